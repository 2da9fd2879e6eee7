/**
 * Parameters and records of the multicast model (src/models/multicast.ts): udpcast's sender as
 * Clonezilla and similar tools run it.
 */
import type { Sampler } from './sampler.ts';

/** Units: seconds, bytes per second, probabilities. */
export interface MulticastParams {
  /**
   * Fraction of the slowest receiver's rate the stream reaches, in (0, 1]. Default 0.75: udpcast
   * reaches ~70-80% of wire speed on 1 GbE (facts.md, beowulf list 2003).
   */
  efficiency: number;
  /**
   * Rate at which a receiver can take the stream in (disk write, CPU), bytes/s, drawn once per
   * session for each receiver from its own seeded stream. Default null: the capacity of the
   * receiver's access link (the last hop of its route from the sender), i.e. only the wire limits.
   * A receiver's own `receiveRate` overrides it.
   */
  receiveRate: Sampler | null;
  /**
   * udp-sender --min-receivers: a session starts as soon as this many receivers wait (never more
   * than the receivers not served yet, so the last session is not held back). Default Infinity:
   * wait for every receiver of the call (or for maxWait).
   */
  minReceivers: number;
  /**
   * udp-sender --max-wait, seconds: a session starts this long after its first receiver joined
   * even with fewer than minReceivers. Default Infinity (no limit).
   */
  maxWait: number;
  /**
   * Packet loss rate p in [0, 1). Lost packets are re-sent to the session, so the stream carries
   * bytes / (1 - p) on every link of the tree (a first-order approximation: each packet is lost
   * independently with probability p and re-sent until it arrives; udpcast's FEC is not modelled).
   * Default 0.
   */
  lossRate: number;
  /** Called at the instant each receiver has the whole image. */
  onReceiverDone?: (record: MulticastRecord) => void;
}

export const DEFAULT_MULTICAST_PARAMS: Readonly<MulticastParams> = Object.freeze({
  efficiency: 0.75,
  receiveRate: null,
  minReceivers: Infinity,
  maxWait: Infinity,
  lossRate: 0,
});

/** One receiver, with the time it joins and, optionally, its own receive rate. */
export interface MulticastReceiver {
  node: number;
  /** Absolute simulated time (s) it joins the sender; default: the time of the call. */
  joinAt?: number;
  /** Its receive rate in bytes/s (overrides MulticastParams.receiveRate). */
  receiveRate?: Sampler;
}

/** What happened to one receiver; times in simulated seconds. */
export interface MulticastRecord {
  node: number;
  joinAt: number;
  /** 0-based number of the session that served it. */
  session: number;
  /** When its session started (the first packet was sent). */
  start: number;
  /** When it had the whole image (every receiver of a session ends together). */
  end: number;
  /** Its receive rate drawn for the session, bytes/s. */
  receiveRate: number;
}

/** One session of the sender. */
export interface MulticastSession {
  start: number;
  end: number;
  /** Nodes served, in the order they joined. */
  receivers: number[];
  /** The stream's own rate cap: efficiency x the slowest receiver's rate, bytes/s. */
  cap: number;
  /** Bytes sent on each link of the tree (the image plus retransmissions). */
  bytesOnWire: number;
}

export interface MulticastResult {
  /** One record per receiver, in the order the receivers were given. */
  records: MulticastRecord[];
  sessions: MulticastSession[];
}
