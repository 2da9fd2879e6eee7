/**
 * A transfer of a number of bytes over a route. Its rate is set by the network's sharing model;
 * its completion time is an absolute deadline (lastUpdate + remaining / rate) kept in the engine's
 * calendar and recomputed only when its rate changes.
 */
import type { ScheduledEvent } from '../calendar.ts';
import type { Constraint, FlowState } from './link.ts';

export type FlowStatus = 'latency' | 'active' | 'done' | 'cancelled';

export class Flow implements FlowState {
  readonly slots: number[] = [];
  rate = 0;
  newRate = 0;
  visit = 0;
  frozen = 0;
  status: FlowStatus = 'latency';
  /** Bytes still to send as of `lastUpdate`. */
  remaining: number;
  /** Time (s) at which `remaining` was last brought up to date. */
  lastUpdate: number;
  /** Time (s) the first byte could flow, after the route's latency. NaN until then. */
  startedAt = NaN;
  /** Time (s) the last byte arrived (or the flow was cancelled). NaN until then. */
  finishedAt = NaN;
  /** @internal pending activation or completion event */
  event: ScheduledEvent | null = null;
  /** @internal */
  onComplete: ((flow: Flow) => void) | undefined;

  constructor(
    readonly id: number,
    readonly constraints: Constraint[],
    /** Bytes to transfer. */
    readonly size: number,
    /** Own rate cap, bytes/s (Infinity when none). */
    public cap: number,
    /** Time (s) the transfer was requested. */
    readonly requestedAt: number,
    /** Free-form label for reports. */
    readonly label: string,
    /** The caller's own data (TransferOptions.data). */
    readonly data: unknown,
  ) {
    this.remaining = size;
    this.lastUpdate = requestedAt;
  }

  /** Bytes delivered by time `now` (s). */
  bytesDone(now: number): number {
    if (this.status === 'done') return this.size;
    if (this.status !== 'active') return this.size - this.remaining;
    const left = this.remaining - this.rate * (now - this.lastUpdate);
    return this.size - Math.max(0, left);
  }
}
