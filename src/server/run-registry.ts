/**
 * The server's runs: starts them (the scenario is loaded and checked on the run's worker, so a
 * bad override is an error before the run exists and the server's thread never parses or
 * compiles anything heavy), finds them, stops them, and forgets the oldest ended ones so memory
 * stays bounded. Real deployments followed from their journal (`serve --real`, real-run.ts) are
 * runs too, numbered in the same sequence, never forgotten and never counted as simulating.
 */
import type { Worker } from 'node:worker_threads';
import { DeployTwinError, ErrorCodes, InternalError, UsageError } from '../errors.ts';
import type { DashboardRun } from './dashboard-run.ts';
import { RealRun, type RealRunOptions } from './real-run.ts';
import { Run } from './run.ts';
import type { RunOverrides } from './scenario-overrides.ts';
import type { SimWorkerInput, SimWorkerMessage } from './sim-protocol.ts';
import { WorkerPool } from './worker-pool.ts';

export interface RegistryOptions {
  /** Scenario name -> file path: what POST /api/runs may ask for. */
  scenarios: ReadonlyMap<string, string>;
  /** Runs simulating at once (each on its own worker thread; default 2, one per core here). */
  maxRunning?: number;
  /** Ended runs kept for viewing and replay; the oldest is forgotten beyond this (default 10: a 13,000-node run keeps ~300,000 events, tens of MB). */
  maxKept?: number;
  /** Wall-clock ms between two progress batches from a worker (default 50). */
  batchMs?: number;
  /** Keep a loaded simulation worker waiting for the next run (default true). */
  warmWorker?: boolean;
}

type Started = Extract<SimWorkerMessage, { type: 'started' }>;

/** The worker's answer to its input: "started", or its error as the DeployTwinError it was. */
function loaded(worker: Worker): Promise<Started> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: SimWorkerMessage) => {
      worker.off('error', onError);
      if (m.type === 'started') return resolve(m);
      if (m.type === 'error') return reject(new DeployTwinError(m.error.code, m.error.message, m.error.kind === 'usage' ? 'usage' : 'internal'));
      reject(new InternalError(ErrorCodes.SERVER_RUN_FAILED, `the simulation worker sent "${m.type}" before "started"`));
    };
    const onError = (e: Error) => {
      worker.off('message', onMessage);
      reject(new InternalError(ErrorCodes.SERVER_RUN_FAILED, `the simulation worker crashed while loading: ${e.message}`));
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
}

export class RunRegistry {
  private readonly runs = new Map<string, DashboardRun>();
  private counter = 0;
  /** Runs asked for whose worker is still loading the scenario: they count as running. */
  private loading = 0;
  private readonly workers: WorkerPool;

  constructor(private readonly options: RegistryOptions) {
    this.workers = new WorkerPool(options.warmWorker ?? true);
  }

  /**
   * Starts a run; resolves once its worker has loaded the scenario. Rejects with a UsageError
   * (a 4xx): SERVER_UNKNOWN_SCENARIO, SERVER_BAD_OVERRIDE or the scenario's own error code;
   * with SERVER_BUSY (retryable) when maxRunning runs are simulating. `pace` (simulated seconds
   * per wall-clock second) slows the simulation down to be watched; null runs it flat out.
   */
  async start(scenario: string, overrides: RunOverrides, pace: number | null = null): Promise<Run> {
    if (this.list().some((r) => r.real && r.info().scenario === scenario)) {
      throw new UsageError(ErrorCodes.SERVER_REAL_RUN_READ_ONLY, `${JSON.stringify(scenario)} is a real deployment followed from its journal: it is watched, never started from here`);
    }
    const path = this.options.scenarios.get(scenario);
    if (path === undefined) {
      throw new UsageError(ErrorCodes.SERVER_UNKNOWN_SCENARIO, `no scenario named ${JSON.stringify(scenario)} (GET /api/scenarios lists them)`);
    }
    const running = this.list().filter((r) => !r.real && r.state === 'running').length + this.loading;
    const maxRunning = this.options.maxRunning ?? 2;
    if (running >= maxRunning) {
      throw new DeployTwinError(ErrorCodes.SERVER_BUSY, `${running} runs are simulating already (at most ${maxRunning}); stop one or wait`, 'retryable');
    }
    const worker = this.workers.take();
    const input: SimWorkerInput = { path, overrides, batchMs: this.options.batchMs, pace };
    this.loading++;
    let started: Started;
    try {
      worker.postMessage(input);
      started = await loaded(worker);
    } catch (e) {
      void worker.terminate();
      throw e;
    } finally {
      this.loading--;
    }
    const id = `run-${++this.counter}`;
    const { kind, seed, names, nodesPerRack } = started;
    const run = new Run({ id, scenario, path, overrides, pace, seed, kind, names, nodesPerRack }, worker);
    this.runs.set(id, run);
    this.forgetOld();
    return run;
  }

  /**
   * Adds a real deployment, followed read-only from its store `file` (a deploytwin.sqlite).
   * Throws SERVER_BAD_JOURNAL if the file is not one.
   */
  follow(file: string, options: RealRunOptions = {}): RealRun {
    const run = new RealRun(`run-${this.counter + 1}`, file, options);
    this.counter++;
    this.runs.set(run.id, run);
    return run;
  }

  /** A twin run by id (undefined for a real one). */
  get(id: string): Run | undefined {
    const run = this.runs.get(id);
    return run instanceof Run ? run : undefined;
  }

  /** Any run by id, twin or real. */
  find(id: string): DashboardRun | undefined {
    return this.runs.get(id);
  }

  /** Every run kept, oldest first. */
  list(): DashboardRun[] {
    return [...this.runs.values()];
  }

  /** Stops every running run and the idle worker (server shutdown). */
  async close(): Promise<void> {
    await Promise.all(this.list().map((r) => r.stop()));
    await this.workers.close();
  }

  private forgetOld(): void {
    const maxKept = this.options.maxKept ?? 10;
    const ended = this.list().filter((r) => !r.real && r.state !== 'running');
    for (const r of ended.slice(0, Math.max(0, ended.length - maxKept))) this.runs.delete(r.id);
  }
}
