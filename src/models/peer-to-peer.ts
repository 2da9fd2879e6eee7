/**
 * BitTorrent-style swarm: the server (the first seed) has the image; N peers download pieces from
 * the server and from each other, and a peer can only share pieces it has whole.
 *
 * On the FlowNetwork, so that real links are shared: each peer has one connection from the server
 * and one from each of its k neighbours (drawn from a seeded stream, rack-local preferred, so that
 * every peer also uploads to exactly k others: see chooseNeighbours). A connection carries one
 * piece at a time as a flow of p bytes over its route; when the piece arrives the connection asks
 * its sender for the next (rarest first among the pieces the sender has and the receiver neither
 * has nor awaits). A connection whose sender has nothing new waits, and wakes when the sender gets
 * a piece the receiver wants. So a neighbour can only upload what it has already received, one
 * piece at a time, and every rate is the network's max-min share: a peer's upload is split among
 * the connections it feeds, its download among its incoming ones. The server, like a BitTorrent
 * seed, uploads to `serverSlots` peers at once, one piece to each peer in turn, so each new piece
 * gets out fast and the peers spread it while the server sends the next. In the end game a peer's
 * idle connections fetch copies of its last pieces; the first copy to arrive cancels the others.
 * A complete peer keeps seeding until all are done (seedAfterComplete) or leaves at once: its
 * pieces in flight are lost and their receivers ask someone else.
 *
 * Known bound (facts.md, Kumar & Ross): T >= max(S/u_s, S/d_min, N*S/(u_s + sum u_i)); the tests
 * hold homogeneous swarms of 16-64 peers within 1.5x of it (about 1.1x with the defaults).
 * Cost: every piece arrival re-solves the swarm's rates (one connected component), so a run costs
 * about N x (S/p) x N x (k+1) flow updates: fine for tens to a few hundred peers.
 *
 * Streams: `p2p.neighbours` (drawn once, at the start), `p2p.pieces` (rarest-first tie-breaks).
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import type { Flow } from '../engine/network/flow.ts';
import type { Route } from '../engine/network/link.ts';
import { checkBytes, checkNodeList, checkRange, type BroadcastRoutes } from './broadcast-routes.ts';
import { PieceBook, chooseNeighbours } from './peer-to-peer-pieces.ts';
import { DEFAULT_SWARM_PARAMS, type SwarmParams, type SwarmRecord, type SwarmResult } from './peer-to-peer-params.ts';

export * from './peer-to-peer-params.ts';

/** One sender-to-receiver connection; src -1 is the server. Indices are places in the swarm. */
interface Connection {
  readonly src: number;
  readonly dst: number;
  readonly route: Route;
  open: boolean;
  flow: Flow | null;
  piece: number;
}

/**
 * Distributes `bytes` from the server to `peers` (node numbers) as a swarm. Resolves once every
 * peer has the image (run the engine to get there). Throws a UsageError (DT_BROADCAST_BAD_PARAMS)
 * at once on bad arguments.
 */
export function startSwarm(routes: BroadcastRoutes, peers: readonly number[], bytes: number, params: Partial<SwarmParams> = {}): Promise<SwarmResult> {
  const p: SwarmParams = { ...DEFAULT_SWARM_PARAMS, ...params };
  checkNodeList(routes, peers, 'swarm peers');
  checkBytes(bytes, 'swarm');
  checkRange(p.pieceSize, 0, Infinity, 'swarm: pieceSize (bytes)', { lo: true, hi: true });
  checkRange(p.rackLocalFraction, 0, 1, 'swarm: rackLocalFraction');
  // (At most 65534: a piece's copies on their way to one peer are counted in 16 bits.)
  if (!(Number.isInteger(p.neighbours) && p.neighbours >= 0 && p.neighbours < 65535)) {
    throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `swarm: neighbours must be an integer from 0 to 65534, got ${p.neighbours}`);
  }
  if (!((Number.isInteger(p.serverSlots) && p.serverSlots >= 1) || p.serverSlots === Infinity)) {
    throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `swarm: serverSlots must be an integer >= 1 or Infinity, got ${p.serverSlots}`);
  }

  const net = routes.network;
  const engine = net.engine;
  const n = peers.length;
  const book = new PieceBook(n, bytes, p.pieceSize);
  const rng = engine.stream('p2p.pieces');
  const racks = peers.map((node) => routes.rackOf?.(node) ?? 0);
  const neighbours = chooseNeighbours(racks, p.neighbours, p.rackLocalFraction, engine.stream('p2p.neighbours'));
  const start = engine.now;
  const records: SwarmRecord[] = peers.map((node, i) => ({ node, start, end: NaN, fromServer: 0, fromPeers: 0, neighbours: neighbours[i].map((j) => peers[j]) }));
  const inbound: Connection[][] = [];
  const outbound: Connection[][] = peers.map(() => []);
  peers.forEach((node, i) => {
    const conn = (src: number): Connection => ({ src, dst: i, route: src < 0 ? routes.serverToNode(node) : routes.nodeToNode(peers[src], node), open: true, flow: null, piece: -1 });
    const list = [conn(-1), ...neighbours[i].map(conn)];
    for (const c of list) if (c.src >= 0) outbound[c.src].push(c);
    inbound.push(list);
  });

  return new Promise((resolve) => {
    let done = 0;
    let serverBusy = 0; // server connections carrying a piece
    let turn = 0; // the peer the server serves next, round robin

    function send(c: Connection, x: number): void {
      if (c.src < 0) serverBusy++;
      const before = book.endGame(c.dst);
      book.request(c.dst, x);
      c.piece = x;
      c.flow = net.transfer(c.route, book.size(x), { data: c, onComplete: arrived, label: 'p2p piece' });
      // Entering end game: the receiver's idle connections may now fetch duplicates.
      if (p.endGame && !before && book.endGame(c.dst)) for (const other of inbound[c.dst]) next(other);
    }

    /** Starts the next piece on an idle connection, if its sender has one the receiver wants. */
    function next(c: Connection): void {
      if (!c.open || c.flow !== null || book.complete(c.dst)) return;
      if (c.src < 0 && serverBusy >= p.serverSlots) return;
      let x = book.pick(c.src, c.dst, rng);
      if (x < 0 && p.endGame && book.endGame(c.dst)) x = book.pickDuplicate(c.src, c.dst, rng);
      if (x >= 0) send(c, x);
    }

    /** Fills the server's free upload slots, one piece per peer in turn (round-robin seeding). */
    function serveNext(): void {
      for (let k = 0; k < n && serverBusy < p.serverSlots; k++) {
        const i = turn;
        turn = turn + 1 < n ? turn + 1 : 0;
        next(inbound[i][0]);
      }
    }

    function stop(c: Connection): void {
      if (c.src < 0) serverBusy--;
      c.flow = null;
    }

    function arrived(flow: Flow): void {
      const c = flow.data as Connection;
      const x = c.piece;
      const dst = c.dst;
      stop(c);
      book.receive(dst, x);
      const rec = records[dst];
      if (c.src < 0) rec.fromServer += flow.size;
      else rec.fromPeers += flow.size;
      // End game: the other copies of x on their way to dst are cancelled (their bytes are lost).
      const losers: Connection[] = [];
      for (const other of inbound[dst]) {
        if (other.flow === null || other.piece !== x) continue;
        net.cancel(other.flow);
        stop(other);
        book.abandon(dst, x);
        losers.push(other);
      }
      if (book.complete(dst)) finished(dst);
      else {
        if (c.src >= 0) next(c);
        for (const other of losers) next(other);
      }
      serveNext();
      if (!p.seedAfterComplete && book.complete(dst)) return;
      // Only x is new at dst, so an idle connection it feeds wants x, a duplicate of x, or nothing.
      for (const out of outbound[dst]) {
        if (!out.open || out.flow !== null) continue;
        if (book.wanted(dst, out.dst, x)) send(out, x);
        else if (p.endGame && book.endGame(out.dst)) next(out);
      }
    }

    function finished(i: number): void {
      records[i].end = engine.now;
      done++;
      p.onPeerDone?.(records[i]);
      if (!p.seedAfterComplete) leave(i);
      if (done === n) resolve({ records, makespan: engine.now - start });
    }

    /** A complete peer leaves: its uploads stop and their receivers look elsewhere. */
    function leave(i: number): void {
      const orphans: number[] = [];
      for (const c of outbound[i]) {
        c.open = false;
        if (c.flow === null) continue;
        net.cancel(c.flow);
        stop(c);
        book.abandon(c.dst, c.piece);
        orphans.push(c.dst);
      }
      book.leave(i);
      for (const dst of orphans) for (const c of inbound[dst]) next(c);
    }

    for (const list of inbound) for (const c of list) if (c.src >= 0) next(c);
    serveNext();
  });
}
