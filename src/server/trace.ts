/**
 * A run's per-node phase timeline in the Chrome trace event format (the JSON Object Format of
 * "Trace Event Format", Google, 2016), which Perfetto (ui.perfetto.dev) and chrome://tracing open:
 * one process per rack, one thread per node, one complete event (ph "X") per phase, an instant
 * event (ph "i") per failure, and a "links" process whose counter track (ph "C") draws the link
 * utilisation by kind measured while the twin ran. Timestamps and durations are microseconds of
 * simulated time.
 */
import type { NodeFailure, PhaseRecord, SimulationResult } from '../twin/result.ts';
import type { LoadEvent } from './run-events.ts';

export interface TraceEvent {
  name: string;
  ph: 'X' | 'i' | 'M' | 'C';
  pid: number;
  tid: number;
  /** µs */
  ts?: number;
  /** µs (complete events) */
  dur?: number;
  cat?: string;
  /** Scope of an instant event: "t" (thread). */
  s?: 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  displayTimeUnit: 'ms';
  otherData: Record<string, string | number>;
  traceEvents: TraceEvent[];
}

/** What a trace is made of: its head (every field but traceEvents) and its events, by index. */
export interface TraceParts {
  head: Omit<ChromeTrace, 'traceEvents'>;
  count: number;
  eventAt(i: number): TraceEvent;
}

export interface TraceSource {
  scenario: string;
  seed: string;
  nodes: number;
  makespan: number;
  failures: readonly NodeFailure[];
  records: { length: number; at(i: number): PhaseRecord };
  /** Link loads measured during the run (none for a transfer scenario). */
  loads?: readonly LoadEvent[];
}

const US = 1e6;

/**
 * The trace of a finished run, event by event. `names[i]` is node i's name; pid = rack + 1 and
 * tid = node + 1 (some viewers treat 0 as "none"); metadata events name them and keep racks and
 * nodes in index order.
 */
export function traceParts(source: TraceSource, names: readonly string[], nodesPerRack: number): TraceParts {
  const racks = Math.ceil(source.nodes / nodesPerRack);
  const pid = (node: number) => Math.floor(node / nodesPerRack) + 1;
  const name = (node: number) => names[node] ?? `node ${node}`;
  // Ranges: rack metadata (2 per rack), node metadata (2 per node), phases, failures, then the
  // links process (its name, and one counter event per load reading) when there are loads.
  const rackEnd = 2 * racks;
  const nodeEnd = rackEnd + 2 * source.nodes;
  const phaseEnd = nodeEnd + source.records.length;
  const failureEnd = phaseEnd + source.failures.length;
  const loads = source.loads ?? [];
  const linksPid = racks + 1;
  const eventAt = (i: number): TraceEvent => {
    if (i >= failureEnd) {
      if (i === failureEnd) return { name: 'process_name', ph: 'M', pid: linksPid, tid: 0, args: { name: 'links' } };
      const l = loads[i - failureEnd - 1];
      // A reading is the mean over the interval before it: the counter takes that value from its start.
      const args = Object.fromEntries(Object.entries(l.utilisation).map(([kind, u]) => [kind, Math.round(u * 1e4) / 100]));
      return { name: 'link utilisation %', ph: 'C', pid: linksPid, tid: 0, ts: (l.t - l.interval) * US, args };
    }
    if (i < rackEnd) {
      const rack = i >> 1;
      return i % 2 === 0
        ? { name: 'process_name', ph: 'M', pid: rack + 1, tid: 0, args: { name: `rack ${rack}` } }
        : { name: 'process_sort_index', ph: 'M', pid: rack + 1, tid: 0, args: { sort_index: rack } };
    }
    if (i < nodeEnd) {
      const node = (i - rackEnd) >> 1;
      return (i - rackEnd) % 2 === 0
        ? { name: 'thread_name', ph: 'M', pid: pid(node), tid: node + 1, args: { name: name(node) } }
        : { name: 'thread_sort_index', ph: 'M', pid: pid(node), tid: node + 1, args: { sort_index: node } };
    }
    if (i < phaseEnd) {
      const r = source.records.at(i - nodeEnd);
      return { name: r.phase, cat: 'phase', ph: 'X', ts: r.start * US, dur: (r.end - r.start) * US, pid: pid(r.node), tid: r.node + 1, args: { node: name(r.node) } };
    }
    const f = source.failures[i - phaseEnd];
    return { name: 'failed', cat: 'failure', ph: 'i', s: 't', ts: f.at * US, pid: pid(f.node), tid: f.node + 1, args: { reason: f.reason } };
  };
  return {
    head: {
      displayTimeUnit: 'ms',
      otherData: { scenario: source.scenario, seed: source.seed, makespanSeconds: source.makespan, timeUnit: 'microseconds of simulated time' },
    },
    count: failureEnd + (loads.length > 0 ? 1 + loads.length : 0),
    eventAt,
  };
}

/** The whole trace of a result as one object (small runs, tests). */
export function chromeTrace(result: SimulationResult, names: readonly string[], nodesPerRack: number): ChromeTrace {
  const parts = traceParts({ ...result, records: { length: result.records.length, at: (i) => result.records[i] } }, names, nodesPerRack);
  return { ...parts.head, traceEvents: Array.from({ length: parts.count }, (_, i) => parts.eventAt(i)) };
}
