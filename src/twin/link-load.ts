/**
 * Link utilisation over time, read from the twin's flow network while it runs (the dashboards'
 * live load chart). Links are grouped by kind, their name with the numbers taken out
 * ("opa.rack#.uplink:down"), as the summary's peak utilisation groups them. Each reading gives
 * every kind's cumulative bytes at that instant, exactly (bytes integrated so far plus the current
 * load since its last change), so the difference of two readings is the exact traffic between
 * them, whatever happened in between.
 */
import type { FlowNetwork } from '../engine/network/flow-network.ts';

/** One kind of link at one instant: bytes carried since the start, and the kind's summed capacity (bytes/s). */
export interface KindTotal {
  bytes: number;
  capacity: number;
}

export class LinkLoadMeter {
  /** Index into `kinds` of each constraint of the network, by constraint position. */
  private readonly kindOf: number[] = [];
  private readonly kinds: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly network: FlowNetwork) {}

  /** Cumulative bytes and capacity of every kind of link that has carried traffic, at simulated time `now`. */
  read(now: number): Record<string, KindTotal> {
    const constraints = this.network.constraints;
    // Kind names are built once per constraint: a 13,000-node twin has ~40,000 of them.
    for (let i = this.kindOf.length; i < constraints.length; i++) {
      const kind = constraints[i].name.replace(/\d+/g, '#');
      let k = this.index.get(kind);
      if (k === undefined) {
        k = this.kinds.length;
        this.kinds.push(kind);
        this.index.set(kind, k);
      }
      this.kindOf.push(k);
    }
    const bytes = new Float64Array(this.kinds.length);
    const capacity = new Float64Array(this.kinds.length);
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      const k = this.kindOf[i];
      capacity[k] += c.capacity;
      bytes[k] += c.bytesCarried + c.load * (now - c.loadSince);
    }
    const out: Record<string, KindTotal> = {};
    this.kinds.forEach((kind, k) => {
      if (bytes[k] > 0) out[kind] = { bytes: bytes[k], capacity: capacity[k] };
    });
    return out;
  }
}
