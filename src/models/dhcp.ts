/**
 * A DHCP server as a queue with a few workers and a bounded backlog.
 *
 * One request is one client transaction: DISCOVER -> OFFER plus REQUEST -> ACK, served in one
 * `serviceTime`. Requests arriving when every worker is busy wait FIFO in a backlog of at most
 * `backlog` requests; arrivals beyond it are dropped (the socket buffer is full). That is how
 * overload turns into lost offers: when hundreds of nodes power on at once the backlog fills, the
 * dropped clients hear nothing and retransmit on their own timeouts (facts.md: one ISC DHCP server
 * copes with about 40-128 simultaneously booting nodes).
 *
 * Staleness: each request carries the client's deadline (the end of its current DISCOVER timeout).
 * After it the client has moved on to a retry with a new xid, so the old request is useless:
 * - still queued: it keeps its backlog slot until a worker would pick it, and is then discarded
 *   without using server time (the server sees an xid nobody waits for);
 * - already taken by a worker: it still costs its full service time, and the answer is wasted.
 * An answer counts only if it arrives strictly before the deadline (at the deadline the client's
 * retransmission timer fires first).
 *
 * Monotonicity: more workers never lengthened the DHCP phase of N simultaneous clients in any of
 * our property runs, but a larger backlog can: a request that waits past its client's deadline and
 * is then served wastes a worker the client's retry could have used (test/models/dhcp.test.ts
 * has the two-client example).
 *
 * Callback-driven (no processes), so thousands of clients cost only calendar events.
 *
 * Randomness: service times come from one stream per client, `<name>.service.<node>` (default
 * `dhcp.service.<node>`): a client's k-th served exchange always gets the same draw, whatever the
 * other clients do or how many workers there are (common random numbers across configurations).
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { Sampler } from './sampler.ts';

/** Units: seconds and counts. */
export interface DhcpServerParams {
  /**
   * Seconds of server work per DISCOVER->OFFER + REQUEST->ACK exchange (lease lookup, lease-file
   * write, two replies). Default uniform 1.5..2.5 ms (mean 2 ms), calibrated.
   */
  serviceTime: Sampler;
  /** Exchanges served in parallel (ISC dhcpd is single-threaded). Default 1. */
  workers: number;
  /**
   * Requests that may wait for a worker; arrivals beyond are dropped. Default 64, calibrated
   * against facts.md (about 40-128 simultaneous boots per ISC DHCP server before offers get lost).
   */
  backlog: number;
}

function uniform(lo: number, hi: number): Sampler {
  return { sample: (rng) => lo + (hi - lo) * rng(), mean: () => (lo + hi) / 2 };
}

export const DEFAULT_DHCP_SERVER_PARAMS: Readonly<DhcpServerParams> = Object.freeze({
  serviceTime: uniform(0.0015, 0.0025),
  workers: 1,
  backlog: 64,
});

/** One client transaction as the server sees it. Created by the client (see pxe.ts). */
export interface DhcpRequest {
  /** The client's node index (selects its service-time stream). */
  readonly node: number;
  /** Absolute time (s) at which the client stops waiting for this request's answer. */
  readonly deadline: number;
  /** The OFFER/ACK is lost on the way back: the server works, the client hears nothing. */
  readonly answerLost: boolean;
  /** Set by a client that stops waiting early (abort); past the deadline staleness is implied. */
  abandoned: boolean;
  /** Called at the end of service if the client still waits for this request. */
  onAnswer(): void;
}

export interface DhcpServerStats {
  /** Requests that reached the server. */
  arrivals: number;
  /** Arrivals refused because the backlog was full. */
  dropped: number;
  /** Stale requests discarded from the queue without service. */
  discarded: number;
  /** Exchanges a worker performed (useful or not). */
  served: number;
  /** Served exchanges whose answer reached a waiting client. */
  answered: number;
  /** Highest queue length seen (stale entries included: they hold slots). */
  peakQueue: number;
}

export class DhcpServer {
  readonly stats: DhcpServerStats = { arrivals: 0, dropped: 0, discarded: 0, served: 0, answered: 0, peakQueue: 0 };
  private readonly queue: DhcpRequest[] = [];
  private head = 0;
  private idle: number;

  constructor(
    readonly engine: Engine,
    readonly params: DhcpServerParams = DEFAULT_DHCP_SERVER_PARAMS,
    readonly name = 'dhcp',
  ) {
    const { workers, backlog } = params;
    if (!(Number.isInteger(workers) && workers >= 1)) throw new UsageError(ErrorCodes.DHCP_BAD_PARAMS, `${name}: workers must be an integer >= 1, got ${workers}`);
    if (!((Number.isInteger(backlog) && backlog >= 0) || backlog === Infinity)) {
      throw new UsageError(ErrorCodes.DHCP_BAD_PARAMS, `${name}: backlog must be an integer >= 0 or Infinity, got ${backlog}`);
    }
    this.idle = workers;
  }

  /** Requests waiting right now, stale ones included. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Workers busy right now. */
  get busy(): number {
    return this.params.workers - this.idle;
  }

  /** A DISCOVER arrives now. Returns what happened to it. */
  submit(req: DhcpRequest): 'served' | 'queued' | 'dropped' {
    this.stats.arrivals++;
    // Invariant: a worker is idle only when the queue is empty (finish() drains it).
    if (this.idle > 0) {
      this.serve(req);
      return 'served';
    }
    if (this.queued >= this.params.backlog) {
      this.stats.dropped++;
      return 'dropped';
    }
    this.queue.push(req);
    if (this.queued > this.stats.peakQueue) this.stats.peakQueue = this.queued;
    return 'queued';
  }

  private serve(req: DhcpRequest): void {
    this.idle--;
    this.stats.served++;
    const d = Math.max(0, this.params.serviceTime.sample(this.engine.stream(`${this.name}.service.${req.node}`).fn));
    this.engine.after(d, () => this.finish(req));
  }

  private finish(req: DhcpRequest): void {
    if (!req.abandoned && !req.answerLost && this.engine.now < req.deadline) {
      this.stats.answered++;
      req.onAnswer();
    }
    this.idle++;
    while (this.idle > 0 && this.head < this.queue.length) {
      const next = this.queue[this.head++];
      if (next.abandoned || this.engine.now >= next.deadline) this.stats.discarded++;
      else this.serve(next);
    }
    // Drop the consumed prefix now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
