/**
 * A real deployment as a dashboard run: its SQLite journal followed read-only (journal-follower.ts)
 * every `pollMs`, on the server's event loop (a poll is one indexed SELECT of the new rows), its
 * entries turned into the twin's event kinds (real-run-source.ts), so the live, figures and
 * compare pages show it as they show a twin run.
 *
 * Never started or stopped through the API. It is "running" while the deployment may still
 * write: until every node known (the inventory's, and any the journal names) is deployed or
 * failed and no new entry came for `quietSeconds`; then "finished", and the file is closed. A
 * journal left mid-deployment (a killed `real deploy` not rerun yet) stays "running".
 */
import { basename, dirname } from 'node:path';
import type { JournalEntry } from '../ports/index.ts';
import type { SimulationResult } from '../twin/result.ts';
import { summarize, type Summary } from '../twin/summary.ts';
import type { DashboardRun } from './dashboard-run.ts';
import { JournalFollower } from './journal-follower.ts';
import { RealJournalEvents } from './real-run-source.ts';
import { fromColumns, toColumns, type RecordColumns } from './record-columns.ts';
import type { RunEvent, RunState } from './run-events.ts';
import { sortByTime } from './run-source.ts';
import type { RunInfo, RunListener } from './run.ts';

export interface RealRunOptions {
  /** Milliseconds between two polls of the journal (default 500). */
  pollMs?: number;
  /** Seconds without a new entry, every node terminal, before the run counts as finished (default 10). */
  quietSeconds?: number;
  /** Nodes per group on the live page's per-rack timeline (default 32; real nodes have no twin racks). */
  nodesPerRack?: number;
  /** Unix time in seconds (default: Date.now() / 1000); the journal's `at` is on the same scale. */
  now?: () => number;
}

export class RealRun implements DashboardRun {
  readonly real = true;
  state: RunState = 'running';
  readonly journal: JournalEntry[] = [];
  events: RunEvent[] = [];
  readonly spec: { names: string[]; nodesPerRack: number; scenario: string };
  private readonly source = new RealJournalEvents();
  private readonly follower: JournalFollower;
  private readonly listeners = new Set<RunListener>();
  private readonly followedAt = new Date();
  private finishedAt: Date | null = null;
  private summary: Summary | null = null;
  private note: string | null = null;
  /** Unix time the latest new entry was seen (its own `at` while catching up with what the file held). */
  private lastNew: number | undefined;
  private catchingUp = true;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;

  /** Opens `file` (a deploytwin.sqlite; SERVER_BAD_JOURNAL if it is not one), reads what it holds, and follows it. */
  constructor(
    readonly id: string,
    readonly file: string,
    private readonly options: RealRunOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now() / 1000);
    this.spec = { names: this.source.names, nodesPerRack: options.nodesPerRack ?? 32, scenario: `real: ${basename(dirname(file))}/${basename(file)}` };
    this.follower = new JournalFollower(file);
    this.follower.check();
    this.poll();
    if (this.state === 'running') {
      this.timer = setInterval(() => this.poll(), options.pollMs ?? 500);
      this.timer.unref();
    }
  }

  /** The records so far, as a result: a real run has figures while it runs. */
  get finished(): { meta: Omit<SimulationResult, 'records'>; records: RecordColumns } {
    const records = [...this.source.records].sort((a, b) => a.node - b.node || a.start - b.start);
    const meta = {
      scenario: this.spec.scenario,
      seed: '-',
      nodes: this.spec.names.length,
      racks: Math.ceil(this.spec.names.length / this.spec.nodesPerRack),
      makespan: this.source.makespan,
      failures: [...this.source.failures],
      relays: [],
      services: [],
      links: [],
      engine: { events: 0, flows: 0, recomputations: 0, flowsResolved: 0 },
    };
    return { meta, records: toColumns(records) };
  }

  subscribe(listener: RunListener): () => void {
    if (this.state === 'running') this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops following (server shutdown); the API refuses to stop a real run. */
  async stop(): Promise<boolean> {
    if (this.state !== 'running') return false;
    this.end('stopped');
    return true;
  }

  info(): RunInfo {
    const { names, nodesPerRack } = this.spec;
    const origin = this.source.origin;
    return {
      id: this.id,
      scenario: this.spec.scenario,
      overrides: {},
      pace: null,
      seed: '-',
      kind: 'deployment',
      state: this.state,
      startedAt: origin === undefined ? this.followedAt.toISOString() : new Date(origin * 1000).toISOString(),
      finishedAt: this.finishedAt?.toISOString() ?? null,
      nodes: names.length,
      nodesPerRack,
      racks: Math.ceil(names.length / nodesPerRack),
      progress: { t: this.source.makespan, deployed: this.source.count('deployed'), failed: this.source.count('failed'), events: this.events.length },
      summary: this.summary,
      error: null,
      real: { journal: this.file, seq: this.journal.at(-1)?.seq ?? 0, note: this.note },
    };
  }

  /** Reads what is new, streams its events, and ends the run once the deployment is over and quiet. */
  poll(): void {
    if (this.state !== 'running') return;
    const read = this.follower.poll();
    if (read.kind === 'locked') {
      this.note = read.message;
      return;
    }
    this.note = null;
    if (read.names !== null) this.source.addNames(read.names);
    const batch: RunEvent[] = [];
    for (const e of read.entries) {
      this.journal.push(e);
      for (const ev of this.source.add(e)) batch.push(ev);
    }
    const now = this.now();
    if (read.entries.length > 0) this.lastNew = this.catchingUp ? Math.min(now, read.entries[read.entries.length - 1].at) : now;
    // A full batch: more is there already. Read on at the next turn of the event loop, not the next tick.
    this.catchingUp = this.follower.full;
    if (this.follower.full) setImmediate(() => this.poll());
    if (batch.length > 0) {
      for (const e of batch) this.events.push(e);
      for (const l of this.listeners) l.events(batch);
    }
    const quiet = this.options.quietSeconds ?? 10;
    if (this.source.allTerminal() && this.lastNew !== undefined && now - this.lastNew >= quiet && !this.follower.full) this.end('finished');
  }

  private end(state: 'finished' | 'stopped'): void {
    this.state = state;
    this.finishedAt = new Date();
    clearInterval(this.timer);
    this.follower.close();
    // Reports are stamped on arrival and journalled a moment later: put the few out of order back.
    this.events = sortByTime(this.events);
    const { meta, records } = this.finished;
    this.summary = summarize({ ...meta, records: fromColumns(records) });
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) l.end();
  }
}
