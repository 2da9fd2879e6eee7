/**
 * One dashboard run: a twin simulation on its own worker thread, what it has produced so far
 * (journal entries, events, and at the end the result) and who is listening.
 *
 * Why a worker thread: the engine runs a whole simulation without yielding to the event loop
 * (it drains microtasks between events, never macrotasks), so in the server's thread a
 * 13,000-node deployment would freeze every request and socket for ~10 s. On a worker it runs at
 * full speed while the server's thread only receives batches of entries (postMessage is
 * delivered whether or not the sender ever yields) and pushes them to the WebSockets. Stopping a
 * run terminates its worker.
 */
import type { Worker } from 'node:worker_threads';
import { ErrorCodes } from '../errors.ts';
import type { JournalEntry } from '../ports/index.ts';
import type { PhaseRecord, SimulationResult } from '../twin/result.ts';
import type { Summary } from '../twin/summary.ts';
import { fromColumns, type RecordColumns } from './record-columns.ts';
import type { DashboardRun } from './dashboard-run.ts';
import type { RunEvent, RunState } from './run-events.ts';
import { mergeByTime, sortByTime } from './run-source.ts';
import type { RunOverrides } from './scenario-overrides.ts';
import type { SimWorkerMessage } from './sim-protocol.ts';

/** Called with each batch of new events (run-events.ts StreamMessage says how they are ordered), then once at the end. */
export interface RunListener {
  events(batch: RunEvent[]): void;
  end(): void;
}

/** What GET /api/runs/:id answers. Times: `t` and `makespan` simulated seconds; startedAt/finishedAt wall-clock ISO 8601. */
export interface RunInfo {
  id: string;
  scenario: string;
  overrides: RunOverrides;
  pace: number | null;
  seed: string;
  kind: 'deployment' | 'transfer';
  state: RunState;
  startedAt: string;
  finishedAt: string | null;
  nodes: number;
  nodesPerRack: number;
  racks: number;
  /** Simulated time reached, nodes deployed and failed so far, events kept. */
  progress: { t: number; deployed: number; failed: number; events: number };
  /** Once finished: summary statistics of the result (seconds), as `simulate --json` prints them. */
  summary: Summary | null;
  error: { code: string; message: string } | null;
  /** A real run only (real-run.ts): its journal file, the last seq read, and why it is not reading now (null if it is). */
  real?: { journal: string; seq: number; note: string | null };
}

export interface RunSpec {
  id: string;
  /** Name the scenario was asked for by; `path` is its file. */
  scenario: string;
  path: string;
  overrides: RunOverrides;
  /** Simulated seconds per wall-clock second the run is held to (null: flat out). */
  pace: number | null;
  seed: string;
  kind: 'deployment' | 'transfer';
  names: string[];
  nodesPerRack: number;
}

export class Run implements DashboardRun {
  readonly real = false;
  state: RunState = 'running';
  readonly startedAt = new Date();
  finishedAt: Date | null = null;
  error: { code: string; message: string } | null = null;
  /** The orchestrator's journal, as far as it has come. */
  readonly journal: JournalEntry[] = [];
  /** Every event so far: live ones in arrival order; once finished, all of them sorted by time. */
  events: RunEvent[] = [];
  /** Events that came live, before the first chunk of the result's. */
  private liveCount: number | undefined;
  private resultWithoutRecords: Omit<SimulationResult, 'records'> | null = null;
  private columns: RecordColumns | null = null;
  private records: PhaseRecord[] | null = null;
  private summary: Summary | null = null;
  private now = 0;
  private deployed = 0;
  private failed = 0;
  private readonly listeners = new Set<RunListener>();

  /**
   * Takes over `worker`, which has loaded the run's scenario (it answered "started"): attaches
   * the run's listeners, then tells the worker to simulate.
   */
  constructor(
    readonly spec: RunSpec,
    private readonly worker: Worker,
  ) {
    this.worker.on('message', (m: SimWorkerMessage) => this.receive(m));
    this.worker.on('error', (e) => this.end('failed', { code: ErrorCodes.SERVER_RUN_FAILED, message: `the simulation worker crashed: ${e.message}` }));
    this.worker.on('exit', (code) => {
      if (this.state === 'running') this.end('failed', { code: ErrorCodes.SERVER_RUN_FAILED, message: `the simulation worker exited (code ${code}) before the run ended` });
    });
    this.worker.postMessage('go');
  }

  get id(): string {
    return this.spec.id;
  }

  /** The finished run's result without its records, and the records as columns (null unless finished). */
  get finished(): { meta: Omit<SimulationResult, 'records'>; records: RecordColumns } | null {
    return this.resultWithoutRecords === null || this.columns === null ? null : { meta: this.resultWithoutRecords, records: this.columns };
  }

  /** The finished run's result (null before, or if it failed or was stopped); records are rebuilt from their columns on first use. */
  get result(): SimulationResult | null {
    if (this.resultWithoutRecords === null || this.columns === null) return null;
    this.records ??= fromColumns(this.columns);
    return { ...this.resultWithoutRecords, records: this.records };
  }

  /** Adds a listener; returns the function that removes it. Nothing is called after the end. */
  subscribe(listener: RunListener): () => void {
    if (this.state === 'running') this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops a running run (its worker is terminated); false if it had already ended. */
  async stop(): Promise<boolean> {
    if (this.state !== 'running') return false;
    this.end('stopped', null);
    await this.worker.terminate();
    return true;
  }

  info(): RunInfo {
    const { spec } = this;
    return {
      id: spec.id,
      scenario: spec.scenario,
      overrides: spec.overrides,
      pace: spec.pace,
      seed: spec.seed,
      kind: spec.kind,
      state: this.state,
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.finishedAt?.toISOString() ?? null,
      nodes: spec.names.length,
      nodesPerRack: spec.nodesPerRack,
      racks: Math.ceil(spec.names.length / spec.nodesPerRack),
      progress: { t: this.now, deployed: this.deployed, failed: this.failed, events: this.events.length },
      summary: this.summary,
      error: this.error,
    };
  }

  private receive(m: SimWorkerMessage): void {
    if (this.state !== 'running') return;
    if (m.type === 'error') {
      this.end('failed', { code: m.error.code, message: m.error.message });
      return;
    }
    if (m.type === 'started') return;
    if (m.type === 'progress') {
      for (const e of m.entries) this.journal.push(e);
      this.now = Math.max(this.now, m.now);
      this.add(m.events);
      return;
    }
    if (m.type === 'events') {
      this.liveCount ??= this.events.length;
      this.add(m.events);
      // The next chunk once the event loop has had a turn (I/O, timers, other sockets).
      setImmediate(() => {
        if (this.state === 'running') this.worker.postMessage('more');
      });
      return;
    }
    this.resultWithoutRecords = m.result;
    this.columns = m.records;
    this.summary = m.summary;
    this.now = m.result.makespan;
    // Live events first, then the result's, which are in time order. The live ones are not quite:
    // a phase recorded after the fact (power-on, a failed phase) comes with its start dated back.
    const live = this.liveCount ?? this.events.length;
    const sortedLive = sortByTime(this.events.slice(0, live));
    this.events = mergeByTime(sortedLive.concat(this.events.slice(live)), live);
    this.end('finished', null);
  }

  private add(batch: RunEvent[]): void {
    if (batch.length === 0) return;
    for (const e of batch) {
      this.events.push(e);
      if (e.kind === 'state' && e.state === 'deployed') this.deployed++;
      else if (e.kind === 'failure') this.failed++;
    }
    for (const l of this.listeners) l.events(batch);
  }

  private end(state: Exclude<RunState, 'running'>, error: { code: string; message: string } | null): void {
    if (this.state !== 'running') return;
    this.state = state;
    this.error = error;
    this.finishedAt = new Date();
    // One run per worker: whatever it still holds (the twin's engine, its journal) goes with it.
    void this.worker.terminate();
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) l.end();
  }
}
