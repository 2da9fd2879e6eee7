/**
 * Simulation workers, kept one step ahead. A worker thread needs a few seconds to load and
 * compile the twin's TypeScript before it can simulate anything; the pool keeps one worker
 * loaded and idle, so a run starts at once on it and a replacement loads in the background while
 * the run simulates. Each worker serves one run and is then terminated.
 */
import { Worker } from 'node:worker_threads';

const WORKER_URL = new URL('./sim-worker-boot.mjs', import.meta.url);

export class WorkerPool {
  private idle: Worker | null = null;
  private closed = false;

  /** `warm`: keep a loaded worker waiting (default true; false starts one per run, on demand). */
  constructor(private readonly warm = true) {
    if (warm) this.idle = this.spawn();
  }

  /** A worker for one run (the idle one if any); the pool loads the next one. */
  take(): Worker {
    const worker = this.idle ?? this.spawn();
    this.idle = this.warm && !this.closed ? this.spawn() : null;
    return worker;
  }

  /** Terminates the idle worker; later calls to take() still work but keep none waiting. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle;
    this.idle = null;
    await idle?.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_URL);
    // An idle worker that fails to load is replaced by the run that takes it: the run reports
    // the worker's error. Until then its error must not crash the server.
    worker.on('error', () => {});
    // Idle workers must not keep the process alive.
    worker.unref();
    return worker;
  }
}
