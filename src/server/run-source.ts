/**
 * The adapter between the twin and the dashboards' event stream (run-events.ts).
 *
 * Node state changes and failures come live from the orchestrator's journal (the twin's
 * `onJournal` hook), phase starts and ends live from its PhaseLog (`onPhase`, LivePhases below).
 * The utilisation samples are computed from the finished SimulationResult, and so are the
 * phases of a transfer scenario, whose model has no live hook.
 */
import type { JournalEntry } from '../ports/index.ts';
import type { PhaseRecord, SimulationResult } from '../twin/result.ts';
import type { Scenario } from '../twin/scenario.ts';
import type { FailureEvent, PhaseEndEvent, PhaseStartEvent, RunEvent, SampleEvent, StateEvent } from './run-events.ts';

const STATES = new Set<StateEvent['state']>(['powering-on', 'booting', 'deployed', 'failed']);

/** The events one journal entry stands for (none for entries that change no node's state). */
export function journalEvents(entry: JournalEntry, indexOf: (name: string) => number | undefined): RunEvent[] {
  if (entry.type !== 'node.state' || entry.node === undefined) return [];
  const node = indexOf(entry.node);
  const data = (entry.data ?? {}) as { state?: string; attempt?: number; reason?: string };
  if (node === undefined || !STATES.has(data.state as StateEvent['state'])) return [];
  const state: StateEvent = { kind: 'state', t: entry.at, node, state: data.state as StateEvent['state'] };
  if (typeof data.attempt === 'number') state.attempt = data.attempt;
  if (data.state !== 'failed') return [state];
  return [state, { kind: 'failure', t: entry.at, node, reason: data.reason ?? 'no reason recorded' }];
}

/**
 * Turns the twin's phase notifications into events. A phase the model announced gets its
 * phase-start when it begins; one recorded without an announcement (power-on, recorded when the
 * BMC answers; a phase that failed, recorded as "<phase>:failed") gets its phase-start, dated
 * when it began, just before its phase-end. So the phase-ends equal the result's records one for
 * one, and every recorded phase has its start.
 */
export class LivePhases {
  private readonly announced = new Set<string>();

  began(node: number, phase: string, t: number): PhaseStartEvent {
    this.announced.add(`${node}\u0000${phase}\u0000${t}`);
    return { kind: 'phase-start', t, node, phase };
  }

  recorded(r: PhaseRecord): RunEvent[] {
    const end: PhaseEndEvent = { kind: 'phase-end', t: r.end, node: r.node, phase: r.phase, start: r.start };
    if (this.announced.delete(`${r.node}\u0000${r.phase}\u0000${r.start}`)) return [end];
    return [{ kind: 'phase-start', t: r.start, node: r.node, phase: r.phase }, end];
  }
}

/** A file nodes download in one phase: its size and the network it crosses. */
export interface Download {
  /** bytes */
  bytes: number;
  network: string;
}

/**
 * What each phase downloads, by phase name, for the throughput estimate. Phases that move no
 * file (post, dhcp, mount, ...) are absent, and so is the rootfs of NFS-rooted methods (read on
 * demand, not downloaded in its phase).
 */
export function downloadsOf(scenario: Scenario): Record<string, Download> {
  if (scenario.kind === 'transfer') return { image: { bytes: scenario.transfer.image, network: scenario.transfer.network } };
  const { bootloader, kernel, initrd, rootfs } = scenario.boot;
  const out: Record<string, Download> = {
    bootloader: { bytes: bootloader.size, network: bootloader.network },
    kernel: { bytes: kernel.size, network: kernel.network },
    initrd: { bytes: initrd.size, network: initrd.network },
  };
  if (rootfs.method !== 'nfs' && rootfs.method !== 'hybrid') out.rootfs = { bytes: rootfs.image.size, network: rootfs.network };
  return out;
}

/** Smallest integer k with k * interval >= x (computed as the samples' times are: k * interval). */
function firstSampleAtOrAfter(x: number, interval: number): number {
  let k = Math.max(0, Math.ceil(x / interval));
  while (k > 0 && (k - 1) * interval >= x) k--;
  while (k * interval < x) k++;
  return k;
}

/**
 * Adds `rate` (bytes/s) spread over [start, end) to the per-interval averages `cells` (interval
 * k is [k x interval, (k+1) x interval)): partial intervals at the ends get their share, the
 * whole ones between go through the difference array `whole`.
 */
function spread(cells: Float64Array, whole: Float64Array, start: number, end: number, rate: number, interval: number): void {
  const a = start / interval;
  const b = end / interval;
  const ia = Math.floor(a);
  const ib = Math.floor(b);
  const last = cells.length - 1;
  if (ia === ib) {
    if (ia <= last) cells[ia] += rate * (b - a);
    return;
  }
  if (ia <= last) cells[ia] += rate * (ia + 1 - a);
  if (ia + 1 <= last) {
    whole[ia + 1] += rate;
    whole[Math.min(ib, last + 1)] -= rate;
  }
  if (ib <= last) cells[ib] += rate * (b - ib);
}

/**
 * Samples at t = k * interval, k = 0..count, interval = makespan / count: nodes in each phase and
 * downloads in progress on each network at the instant t (start <= t < end), and the estimated throughput per network averaged over
 * [t, t + interval) (see SampleEvent), so that the sum of throughput x interval is the bytes of
 * every download. Difference arrays over the sample indices: O(records + count x phases).
 */
export function samples(records: readonly PhaseRecord[], makespan: number, downloads: Record<string, Download>, count = 200): SampleEvent[] {
  if (!(makespan > 0) || records.length === 0) return [];
  const interval = makespan / count;
  const phaseDiff = new Map<string, Float64Array>();
  const rateCells = new Map<string, { cells: Float64Array; whole: Float64Array }>();
  const downloadDiff = new Map<string, Float64Array>();
  const count1 = (map: Map<string, Float64Array>, key: string, from: number, to: number): void => {
    let d = map.get(key);
    if (d === undefined) map.set(key, (d = new Float64Array(count + 2)));
    d[from] += 1;
    d[to] -= 1;
  };
  for (const r of records) {
    const from = firstSampleAtOrAfter(r.start, interval);
    const to = Math.min(firstSampleAtOrAfter(r.end, interval), count + 1);
    const dl = downloads[r.phase];
    if (from < to) {
      count1(phaseDiff, r.phase, from, to);
      if (dl !== undefined) count1(downloadDiff, dl.network, from, to);
    }
    if (dl !== undefined && r.end > r.start) {
      let n = rateCells.get(dl.network);
      if (n === undefined) rateCells.set(dl.network, (n = { cells: new Float64Array(count + 1), whole: new Float64Array(count + 2) }));
      spread(n.cells, n.whole, r.start, r.end, dl.bytes / (r.end - r.start), interval);
    }
  }
  const phases = [...phaseDiff].map(([key, d]) => ({ key, d, sum: 0 }));
  const inProgress = [...downloadDiff].map(([key, d]) => ({ key, d, sum: 0 }));
  const rates = [...rateCells].map(([key, c]) => ({ key, ...c, sum: 0 }));
  const out: SampleEvent[] = [];
  for (let k = 0; k <= count; k++) {
    const sample: SampleEvent = { kind: 'sample', t: k * interval, interval, phases: {}, downloads: {}, throughput: {} };
    for (const p of phases) sample.phases[p.key] = Math.round((p.sum += p.d[k]));
    for (const p of inProgress) sample.downloads[p.key] = Math.round((p.sum += p.d[k]));
    // Sums of floats drift: clamp what should be zero once every download has ended.
    for (const r of rates) sample.throughput[r.key] = Math.max(0, (r.sum += r.whole[k]) + r.cells[k]);
    out.push(sample);
  }
  return out;
}

/**
 * Everything the finished result adds to the live events: every phase's start and end (unless
 * `phasesStreamed`: they came live), the failures the journal did not report (`reported`: nodes
 * already failed live, e.g. nodes never deployed), and the samples. Sorted by time; equal times
 * keep that order.
 */
export function resultEvents(result: SimulationResult, downloads: Record<string, Download>, reported: ReadonlySet<number>, phasesStreamed = false): RunEvent[] {
  const events: RunEvent[] = [];
  if (!phasesStreamed) for (const r of result.records) {
    events.push({ kind: 'phase-start', t: r.start, node: r.node, phase: r.phase });
    events.push({ kind: 'phase-end', t: r.end, node: r.node, phase: r.phase, start: r.start });
  }
  for (const f of result.failures) if (!reported.has(f.node)) events.push({ kind: 'failure', t: f.at, node: f.node, reason: f.reason } satisfies FailureEvent);
  events.push(...samples(result.records, result.makespan, downloads));
  return sortByTime(events);
}

/** A stable sort by `t` (Array.prototype.sort is stable). */
export function sortByTime<T extends { t: number }>(events: T[]): T[] {
  return events.sort((a, b) => a.t - b.t);
}

/**
 * `events[0, split)` and `events[split, end)`, each in time order, merged into one list in time
 * order; at equal times the first part's events come first (as a stable sort would put them).
 */
export function mergeByTime<T extends { t: number }>(events: readonly T[], split: number): T[] {
  const out: T[] = new Array(events.length);
  let i = 0;
  let j = split;
  let k = 0;
  while (i < split && j < events.length) out[k++] = events[j].t < events[i].t ? events[j++] : events[i++];
  while (i < split) out[k++] = events[i++];
  while (j < events.length) out[k++] = events[j++];
  return out;
}
