/**
 * Bookkeeping of the swarm (src/models/peer-to-peer.ts): which pieces each peer has or awaits,
 * rarest-first piece choice, and the choice of each peer's neighbours. Peers are numbered by their
 * place in the swarm (0 .. N-1); the server is -1 and has every piece.
 */
import type { RandomStream } from '../engine/random.ts';

export class PieceBook {
  /** Number of pieces. */
  readonly pieces: number;
  /** have[i][x] = 1 once peer i has piece x whole. */
  readonly have: Uint8Array[];
  /** pending[i][x]: copies of piece x on their way to peer i (more than 1 only in end game). */
  readonly pending: Uint16Array[];
  readonly haveCount: Int32Array;
  /** Pieces with at least one copy on its way to peer i. */
  readonly pendingCount: Int32Array;
  /** Copies of each piece among peers, held or on their way (the server's not counted). */
  readonly copies: Int32Array;

  constructor(
    peers: number,
    readonly bytes: number,
    readonly pieceSize: number,
  ) {
    this.pieces = Math.max(1, Math.ceil(bytes / pieceSize));
    this.have = Array.from({ length: peers }, () => new Uint8Array(this.pieces));
    this.pending = Array.from({ length: peers }, () => new Uint16Array(this.pieces));
    this.haveCount = new Int32Array(peers);
    this.pendingCount = new Int32Array(peers);
    this.copies = new Int32Array(this.pieces);
  }

  /** Bytes of piece x (the last one may be short; a 0-byte image is one empty piece). */
  size(x: number): number {
    return x < this.pieces - 1 ? this.pieceSize : this.bytes - this.pieceSize * (this.pieces - 1);
  }

  complete(i: number): boolean {
    return this.haveCount[i] === this.pieces;
  }

  /** End game: every piece `dst` lacks is already on its way to it. */
  endGame(dst: number): boolean {
    return this.haveCount[dst] < this.pieces && this.haveCount[dst] + this.pendingCount[dst] === this.pieces;
  }

  /** True if `src` can send piece x to `dst`: src has it, dst neither has nor awaits it. */
  wanted(src: number, dst: number, x: number): boolean {
    return (src < 0 || this.have[src][x] === 1) && this.have[dst][x] === 0 && this.pending[dst][x] === 0;
  }

  /**
   * The piece `src` should send `dst` next: the one with the fewest copies in the swarm (rarest
   * first, as BitTorrent), ties broken by scanning from a random place; -1 if none is wanted.
   */
  pick(src: number, dst: number, rng: RandomStream): number {
    const n = this.pieces;
    const from = rng.int(n);
    let best = -1;
    let bestCopies = Infinity;
    for (let k = 0; k < n; k++) {
      const x = from + k < n ? from + k : from + k - n;
      if (this.copies[x] < bestCopies && this.wanted(src, dst, x)) {
        best = x;
        bestCopies = this.copies[x];
        if (bestCopies === 0) break;
      }
    }
    return best;
  }

  /**
   * End game (BitTorrent's): the piece already on its way to `dst` that `src` has, with the fewest
   * copies on their way, ties broken from a random place; -1 if none.
   */
  pickDuplicate(src: number, dst: number, rng: RandomStream): number {
    const n = this.pieces;
    const from = rng.int(n);
    let best = -1;
    let bestPending = Infinity;
    for (let k = 0; k < n; k++) {
      const x = from + k < n ? from + k : from + k - n;
      const pending = this.pending[dst][x];
      if (pending > 0 && pending < bestPending && (src < 0 || this.have[src][x] === 1)) {
        best = x;
        bestPending = pending;
      }
    }
    return best;
  }

  /** A copy of piece x starts on its way to dst. */
  request(dst: number, x: number): void {
    if (this.pending[dst][x]++ === 0) this.pendingCount[dst]++;
    this.copies[x]++;
  }

  /** A copy of piece x reached dst whole (other copies on their way must be abandoned). */
  receive(dst: number, x: number): void {
    this.pending[dst][x]--;
    this.pendingCount[dst]--; // it was lacking and awaited; now it is had
    this.have[dst][x] = 1;
    this.haveCount[dst]++;
  }

  /** A copy of piece x will not reach dst after all (its sender left, or another copy won). */
  abandon(dst: number, x: number): void {
    if (--this.pending[dst][x] === 0 && this.have[dst][x] === 0) this.pendingCount[dst]--;
    this.copies[x]--;
  }

  /** Peer i leaves with every piece: it no longer counts as a copy. */
  leave(i: number): void {
    for (let x = 0; x < this.pieces; x++) if (this.have[i][x] === 1) this.copies[x]--;
  }
}

/** Shuffles `list` in place (Fisher-Yates) and returns it. */
function shuffle<T>(list: T[], rng: RandomStream): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/**
 * For each peer, the peers it downloads from: k rounds of a random cycle through all peers, each
 * peer downloading from the next one in the cycle. So every peer downloads from k peers AND
 * uploads to k peers: no uploader's capacity is split more ways than another's (with neighbours
 * drawn independently, some peers would feed twice as many as others and their receivers would
 * lag behind the swarm). In ceil(k x localFraction) of the rounds the cycle runs through the racks
 * one after the other, each rack's peers in random order, so all but one edge per rack stay inside
 * the rack; in the others it runs through all peers in random order. A round that would repeat an
 * earlier edge is redrawn (up to 20 times), after which the repeated edges are dropped. Drawn from
 * `rng`; with fewer than k + 1 peers, everyone downloads from everyone.
 */
export function chooseNeighbours(racks: readonly number[], k: number, localFraction: number, rng: RandomStream): number[][] {
  const n = racks.length;
  const from: number[][] = Array.from({ length: n }, () => []);
  const rounds = Math.min(k, n - 1);
  const localRounds = Math.min(rounds, Math.ceil(k * localFraction));
  const byRack = new Map<number, number[]>();
  racks.forEach((r, i) => {
    const list = byRack.get(r);
    if (list === undefined) byRack.set(r, [i]);
    else list.push(i);
  });
  const rackLists = [...byRack.keys()].sort((a, b) => a - b).map((r) => byRack.get(r)!);
  const edges = new Set<number>(); // dst * n + src
  const repeats = (cycle: number[]) => cycle.some((dst, m) => edges.has(dst * n + cycle[(m + 1) % n]));
  for (let round = 0; round < rounds; round++) {
    let cycle: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      cycle = round < localRounds ? shuffle([...rackLists], rng).flatMap((list) => shuffle([...list], rng)) : shuffle(racks.map((_, i) => i), rng);
      if (!repeats(cycle)) break;
    }
    cycle.forEach((dst, m) => {
      const src = cycle[(m + 1) % n];
      if (edges.has(dst * n + src)) return;
      edges.add(dst * n + src);
      from[dst].push(src);
    });
  }
  return from;
}
