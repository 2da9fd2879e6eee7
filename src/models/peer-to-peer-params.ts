/**
 * Parameters and records of the BitTorrent-style swarm (src/models/peer-to-peer.ts).
 */

/** Units: bytes. */
export interface SwarmParams {
  /**
   * Piece size p, bytes: the unit a peer downloads, verifies and may then share. Default 4 MiB
   * (the size BitTorrent clients choose for multi-GB payloads), calibrated.
   */
  pieceSize: number;
  /**
   * k: how many other peers each peer downloads from at once, besides the server (and uploads to:
   * the neighbour graph is k-regular). Default 4 (BitTorrent's 4 unchoked upload slots per peer),
   * calibrated.
   */
  neighbours: number;
  /**
   * Fraction of a peer's k neighbours taken from its own rack when there are enough (rounded up).
   * The rest come from other racks: with only rack-local neighbours every rack would have to get
   * the whole image from the server. Default 0.5, calibrated. Without rackOf, neighbours are
   * drawn from every peer.
   */
  rackLocalFraction: number;
  /**
   * How many peers the server uploads to at once (a BitTorrent seed's unchoke slots); it serves
   * the peers in turn, one piece each (round-robin seeding). Few slots get each new piece out
   * quickly (p / (u_s / slots) seconds) so the peers can spread it while the server sends the
   * next; Infinity serves every peer at once. Default 8, calibrated: BitTorrent seeds unchoke 4
   * peers plus optimistic unchokes; on homogeneous 1 GbE swarms of 16-64 peers 4 to 16 slots give
   * about 1.1-1.2x the Kumar & Ross bound, every peer at once about 1.35x.
   */
  serverSlots: number;
  /** Whether a peer that has every piece keeps uploading until every peer is done. Default true. */
  seedAfterComplete: boolean;
  /**
   * BitTorrent's end game: once every piece a peer lacks is on its way, its idle connections fetch
   * copies of those pieces too, and the first copy to arrive cancels the others (their bytes are
   * lost). Keeps a peer's last pieces from crawling in over one slow connection. Default true.
   */
  endGame: boolean;
  /** Called at the instant each peer has every piece. */
  onPeerDone?: (record: SwarmRecord) => void;
}

export const DEFAULT_SWARM_PARAMS: Readonly<SwarmParams> = Object.freeze({
  pieceSize: 4 * 1024 * 1024,
  neighbours: 4,
  serverSlots: 8,
  rackLocalFraction: 0.5,
  seedAfterComplete: true,
  endGame: true,
});

/** What happened to one peer; times in simulated seconds, sizes in bytes. */
export interface SwarmRecord {
  node: number;
  /** When the swarm was started. */
  start: number;
  /** When it had every piece. */
  end: number;
  /** Bytes it received from the server and from other peers (pieces cut short not counted). */
  fromServer: number;
  fromPeers: number;
  /** The peers it downloads from (node numbers). */
  neighbours: number[];
}

export interface SwarmResult {
  /** One record per peer, in the order the peers were given. */
  records: SwarmRecord[];
  /** Time from the start to the last peer's end, seconds. */
  makespan: number;
}
