/**
 * A real deployment's journal (`deploytwin real deploy`, <stateDir>/deploytwin.sqlite) turned
 * into the events the dashboards stream for twin runs (run-events.ts), and into result-like
 * phase records for the figures. Pure: entries in, events out, no I/O and no clock.
 *
 * - "node.state" entries -> state and failure events (journalEvents, as for the twin).
 * - "phase.report" entries (a booting node's report, data {phase, boot, detail?}) -> phase-end
 *   events: phase p ends at its report and began at the previous report of the same node and
 *   boot, or at the node's "power.on" (or "power.cycle") entry for the first report of a boot. Phase names are the
 *   real ones: dhcp, bootloader, kernel, initrd, rootfs, mounted, booted.
 * - So the live page can show what a node is doing now, the phase expected next (the protocol's
 *   order) gets a phase-start at the previous report (dhcp at power-on). A "failed" report, a
 *   retry or the node's failure closes it as "<phase>:failed", the twin's convention; a phase
 *   the node skipped is closed at zero length and left out of the records.
 * - Reports before a node's first power-on (commissioning boots) and reports of an older boot
 *   than the one in progress (a late straggler after a retry) are ignored.
 *
 * Times: `t` = wall-clock seconds (the journal's `at`, Unix time) since the start of the
 * deployment stage (its "site.stage" deploy start entry), or since the journal's first entry
 * when it has none: the twin's t = 0 is its deployment's start, so the two compare.
 */
import { NODE_PHASES } from '../ports/node-events.ts';
import type { JournalEntry } from '../ports/index.ts';
import type { NodeFailure, PhaseRecord } from '../twin/result.ts';
import type { RunEvent } from './run-events.ts';
import { journalEvents } from './run-source.ts';
import { SITE_STAGE_ENTRY } from '../real/site/site-stages.ts';

const PHASES: readonly string[] = NODE_PHASES;

/** What the converter knows of one node's current boot. */
interface NodeBoot {
  /** t of the latest power.on (undefined before the first: reports are then commissioning's). */
  poweredAt?: number;
  /** Boot number of the attempt in progress (undefined until its first report). */
  boot?: number;
  /** Highest boot number seen in this node's deployment reports. */
  lastBoot?: number;
  /** The phase expected next, from when (null: none open). */
  open: { phase: string; start: number } | null;
}

export class RealJournalEvents {
  /** Node names by index: the inventory's first (addNames), then the journal's in first-seen order. */
  readonly names: string[] = [];
  readonly records: PhaseRecord[] = [];
  readonly failures: NodeFailure[] = [];
  /** Latest orchestrator state per node index ("pending" until its first node.state). */
  readonly states: string[] = [];
  /** Latest t of any event (the makespan once every node is terminal). */
  makespan = 0;
  /** Journal time of t = 0 (undefined until known). */
  origin: number | undefined;
  private firstAt: number | undefined;
  private readonly index = new Map<string, number>();
  private readonly boots: NodeBoot[] = [];

  constructor(names: Iterable<string> = []) {
    this.addNames(names);
  }

  /** Gives names not known yet the next indices (a node keeps its index for good). */
  addNames(names: Iterable<string>): void {
    for (const name of names) this.indexOf(name);
  }

  indexOf(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
      this.states.push('pending');
      this.boots.push({ open: null });
    }
    return i;
  }

  /** Nodes deployed and failed so far. */
  count(state: 'deployed' | 'failed'): number {
    return this.states.filter((s) => s === state).length;
  }

  /** True when there is at least one node and every one is deployed or failed. */
  allTerminal(): boolean {
    return this.names.length > 0 && this.states.every((s) => s === 'deployed' || s === 'failed');
  }

  /** The events `entry` stands for (entries must come in seq order). */
  add(entry: JournalEntry): RunEvent[] {
    this.firstAt ??= entry.at;
    const data = (entry.data ?? {}) as Record<string, unknown>;
    if (entry.type === SITE_STAGE_ENTRY && data.stage === 'deploy' && data.event === 'start') this.origin ??= entry.at;
    if (entry.node === undefined || !['node.state', 'power.on', 'power.cycle', 'phase.report'].includes(entry.type)) return [];
    const node = this.indexOf(entry.node);
    // Commissioning's reports (before the node's first power-on) neither count nor start the clock.
    if (entry.type === 'phase.report' && this.boots[node].poweredAt === undefined) return [];
    this.origin ??= this.firstAt;
    const t = entry.at - this.origin!;
    const out: RunEvent[] = [];
    if (entry.type === 'node.state') {
      const state = data.state as string;
      // A retry or a failure ends the phase the node was in.
      if ((state === 'powering-on' || state === 'failed') && this.boots[node].open !== null) out.push(...this.closeOpen(node, t, ':failed'));
      for (const e of journalEvents({ ...entry, at: t }, () => node)) {
        out.push(e);
        if (e.kind === 'state') this.states[node] = e.state;
        if (e.kind === 'failure') this.failures.push({ node, reason: e.reason, at: t });
      }
    } else if (entry.type === 'power.on' || entry.type === 'power.cycle') {
      // A node found on is power-cycled instead (deploy's cycleIfOn): its boot starts the same way.
      const b = this.boots[node];
      if (b.open !== null) out.push(...this.closeOpen(node, t, ':failed'));
      b.poweredAt = t;
      b.boot = undefined;
      b.open = { phase: PHASES[0], start: t };
      out.push({ kind: 'phase-start', t, node, phase: PHASES[0] });
    } else out.push(...this.report(node, t, data));
    for (const e of out) if (e.t > this.makespan) this.makespan = e.t;
    return out;
  }

  private report(node: number, t: number, data: Record<string, unknown>): RunEvent[] {
    const b = this.boots[node];
    const phase = data.phase as string;
    const boot = typeof data.boot === 'number' ? data.boot : undefined;
    if (b.poweredAt === undefined || (phase !== 'failed' && !PHASES.includes(phase))) return [];
    // A report of an older boot than the one in progress (or, right after a power-on, than the last seen) is a straggler.
    if (boot !== undefined && ((b.boot !== undefined && boot < b.boot) || (b.boot === undefined && b.lastBoot !== undefined && boot <= b.lastBoot))) return [];
    if (boot !== undefined) {
      b.boot = boot;
      b.lastBoot = Math.max(b.lastBoot ?? boot, boot);
    }
    if (phase === 'failed') return this.closeOpen(node, t, ':failed');
    const out: RunEvent[] = [];
    let start = t;
    if (b.open !== null) {
      start = b.open.start;
      // A phase the node did not report: closed at zero length, not a record.
      if (b.open.phase !== phase) out.push({ kind: 'phase-end', t: start, node, phase: b.open.phase, start }, { kind: 'phase-start', t: start, node, phase });
    } else out.push({ kind: 'phase-start', t, node, phase });
    out.push({ kind: 'phase-end', t, node, phase, start });
    this.records.push({ node, phase, start, end: t });
    const next = PHASES[PHASES.indexOf(phase) + 1];
    b.open = next === undefined ? null : { phase: next, start: t };
    if (next !== undefined) out.push({ kind: 'phase-start', t, node, phase: next });
    return out;
  }

  /** Ends the node's open phase at `t` as "<phase><suffix>" (a record, like the twin's failed phases). */
  private closeOpen(node: number, t: number, suffix: string): RunEvent[] {
    const open = this.boots[node].open;
    if (open === null) return [];
    this.boots[node].open = null;
    const phase = open.phase + suffix;
    this.records.push({ node, phase, start: open.start, end: t });
    return [{ kind: 'phase-end', t, node, phase, start: open.start }];
  }
}

/** Every event of a whole journal, and the converter holding its records, failures and names. */
export function realEvents(entries: readonly JournalEntry[], names: Iterable<string> = []): { events: RunEvent[]; source: RealJournalEvents } {
  const source = new RealJournalEvents(names);
  const events = entries.flatMap((e) => source.add(e));
  return { events, source };
}
