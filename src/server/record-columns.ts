/**
 * Phase records as columns of typed arrays, to cross from a simulation worker to the server's
 * thread without the cost of cloning an object per record: the arrays' buffers are transferred
 * (moved, not copied). A 13,000-node run has 130,000 records; cloning them as objects held the
 * server's event loop for about a second, their columns move at once.
 */
import type { PhaseRecord } from '../twin/result.ts';

export interface RecordColumns {
  node: Int32Array;
  start: Float64Array;
  end: Float64Array;
  /** Index into `phases`. */
  phase: Uint16Array;
  phases: string[];
}

export function toColumns(records: readonly PhaseRecord[]): RecordColumns {
  const n = records.length;
  const cols: RecordColumns = { node: new Int32Array(n), start: new Float64Array(n), end: new Float64Array(n), phase: new Uint16Array(n), phases: [] };
  const index = new Map<string, number>();
  records.forEach((r, i) => {
    let p = index.get(r.phase);
    if (p === undefined) {
      p = cols.phases.length;
      index.set(r.phase, p);
      cols.phases.push(r.phase);
    }
    cols.node[i] = r.node;
    cols.start[i] = r.start;
    cols.end[i] = r.end;
    cols.phase[i] = p;
  });
  return cols;
}

/** The buffers to pass as postMessage's transfer list. */
export function transferList(cols: RecordColumns): ArrayBuffer[] {
  return [cols.node.buffer, cols.start.buffer, cols.end.buffer, cols.phase.buffer] as ArrayBuffer[];
}

/** Record `i` as an object. */
export function recordAt(cols: RecordColumns, i: number): PhaseRecord {
  return { node: cols.node[i], phase: cols.phases[cols.phase[i]], start: cols.start[i], end: cols.end[i] };
}

export function fromColumns(cols: RecordColumns): PhaseRecord[] {
  return Array.from({ length: cols.node.length }, (_, i) => recordAt(cols, i));
}
