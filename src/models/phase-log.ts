/**
 * The record of every node's phases: for each node and phase, when it started and ended, in
 * simulated seconds. Filled by the models as nodes boot; read by reports, CSV/JSON output and the
 * orchestrator's journal in the twin.
 */

/** One phase of one node: times in seconds of simulated time. */
export interface PhaseRecord {
  /** 0-based node index, rack-major. */
  node: number;
  phase: string;
  start: number;
  end: number;
}

export class PhaseLog {
  private readonly list: PhaseRecord[] = [];
  private readonly open = new Map<string, number>();

  /** Records a finished phase. */
  record(node: number, phase: string, start: number, end: number): void {
    this.list.push({ node, phase, start, end });
  }

  /** Marks a phase as started at `now`; `end` closes it. */
  begin(node: number, phase: string, now: number): void {
    this.open.set(`${node}\u0000${phase}`, now);
  }

  /** Closes a phase begun with `begin`, recording it. Returns its duration. */
  end(node: number, phase: string, now: number): number {
    const key = `${node}\u0000${phase}`;
    const start = this.open.get(key);
    if (start === undefined) return 0;
    this.open.delete(key);
    this.record(node, phase, start, now);
    return now - start;
  }

  get size(): number {
    return this.list.length;
  }

  /** All records, sorted by node, then start time, then the order they were recorded. */
  records(): PhaseRecord[] {
    return this.list
      .map((r, i) => ({ r, i }))
      .sort((a, b) => a.r.node - b.r.node || a.r.start - b.r.start || a.i - b.i)
      .map(({ r }) => r);
  }
}
