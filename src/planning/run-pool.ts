/**
 * Runs many simulation tasks, in worker threads (piscina) or in this thread, and returns their
 * figures in task order whatever order they finish in: the same tasks give the same array with any
 * number of workers. Each simulation is deterministic for its scenario and seed, so parallelism
 * changes only the wall time.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { DeployTwinError, ErrorCodes } from '../errors.ts';
import { runTask, type RunMetrics, type RunTask } from './run-metrics.ts';

/** The worker's entry: registers tsx in the thread, then loads simulate-worker.ts. */
const WORKER_URL = new URL('./simulate-worker-boot.mjs', import.meta.url);

export interface PoolOptions {
  /** Worker threads; 0 runs every task in this thread, one after the other. */
  workers: number;
  /** Called after each task ends, with how many have ended so far. */
  onProgress?: (done: number, total: number) => void;
  /** Names task i in an error message (default "run i+1"). */
  describe?: (index: number) => string;
}

/** Worker threads to use by default: one per core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

function failed(describe: (i: number) => string, index: number, e: unknown): DeployTwinError {
  const message = e instanceof Error ? e.message : String(e);
  return new DeployTwinError(ErrorCodes.PLAN_RUN_FAILED, `${describe(index)} failed: ${message}`, 'fatal', { cause: e });
}

/**
 * Worker threads kept for several batches of tasks (the plan search runs dozens of small
 * batches: starting threads, each registering tsx and compiling the twin, for every one of them
 * cost more than the simulations). Threads start with the first batch; close() ends them.
 */
export class RunPool {
  private pool: Piscina | null = null;

  /** `workers`: threads; 0 runs every task in this thread, one after the other. */
  constructor(private readonly workers: number) {}

  /** The tasks' figures in task order, whatever order they finish in. */
  async run(tasks: readonly RunTask[], options: Omit<PoolOptions, 'workers'> = {}): Promise<RunMetrics[]> {
    const describe = options.describe ?? ((i: number) => `run ${i + 1}`);
    const results: RunMetrics[] = new Array(tasks.length);
    let done = 0;
    const finished = () => options.onProgress?.(++done, tasks.length);
    if (this.workers === 0 || tasks.length === 0) {
      for (let i = 0; i < tasks.length; i++) {
        try {
          results[i] = await runTask(tasks[i]);
        } catch (e) {
          throw failed(describe, i, e);
        }
        finished();
      }
      return results;
    }
    this.pool ??= new Piscina({ filename: WORKER_URL.href, minThreads: this.workers, maxThreads: this.workers, idleTimeout: 1000 });
    const pool = this.pool;
    await Promise.all(
      tasks.map((task, i) =>
        (pool.run(task) as Promise<RunMetrics>).then(
          (m) => {
            results[i] = m;
            finished();
          },
          (e: unknown) => {
            throw failed(describe, i, e);
          },
        ),
      ),
    );
    return results;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }
}

/** One batch on a pool of its own (no more threads than tasks), closed when it is done. */
export async function runTasks(tasks: readonly RunTask[], options: PoolOptions): Promise<RunMetrics[]> {
  const pool = new RunPool(Math.min(options.workers, tasks.length));
  try {
    return await pool.run(tasks, options);
  } finally {
    await pool.close();
  }
}
