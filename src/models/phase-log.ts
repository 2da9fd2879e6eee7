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

/**
 * Told of phases as they happen (the dashboards stream them live). `began` comes only for phases
 * whose model announces their start; every phase, announced or not, ends in one `recorded`.
 */
export interface PhaseListener {
  began(node: number, phase: string, t: number): void;
  recorded(record: PhaseRecord): void;
}

export class PhaseLog {
  private readonly list: PhaseRecord[] = [];
  private readonly open = new Map<string, number>();
  private listener: PhaseListener | undefined;

  /** Sets the one listener told of every phase from now on. */
  watch(listener: PhaseListener): void {
    this.listener = listener;
  }

  /** Announces that a phase, to be recorded when it ends, starts now (only the listener hears of it). */
  began(node: number, phase: string, now: number): void {
    this.listener?.began(node, phase, now);
  }

  /** Records a finished phase. */
  record(node: number, phase: string, start: number, end: number): void {
    const r = { node, phase, start, end };
    this.list.push(r);
    this.listener?.recorded(r);
  }

  /** Marks a phase as started at `now`; `end` closes it. */
  begin(node: number, phase: string, now: number): void {
    this.open.set(`${node}\u0000${phase}`, now);
    this.began(node, phase, now);
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
