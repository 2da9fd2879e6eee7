/**
 * Runs a simulation engine against the wall clock (as SimPy's rt.py does), so a model built for
 * virtual time (the BMC model: latency, one command at a time, lost commands) can answer real
 * requests: model time t happens at wall time origin + t * timeScale. The engine is brought up to
 * the wall clock before each new command starts and every `tick` while anything is pending, so
 * an answer leaves within about one tick of its model time.
 *
 * Only servers use this; the engine itself never sees the wall clock.
 */
import type { Engine } from '../../engine/engine.ts';
import { ErrorCodes, UsageError } from '../../errors.ts';

export class RealtimeDriver {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly origin = performance.now();
  private closed = false;
  /** The first error the engine raised (a model bug), if any; later commands fail with it. */
  failure: unknown = undefined;

  /**
   * @param timeScale wall seconds per model second: 1 is real time, 0.01 runs 100x faster.
   * @param tick wall seconds between two catch-ups while events are pending. Default 0.005.
   */
  constructor(
    readonly engine: Engine,
    readonly timeScale: number,
    readonly tick = 0.005,
  ) {
    if (!(timeScale > 0 && timeScale < Infinity)) throw new UsageError(ErrorCodes.REDFISH_ENDPOINT_BAD_OPTIONS, `timeScale must be a finite number > 0, got ${timeScale}`);
    if (!(tick > 0 && tick < Infinity)) throw new UsageError(ErrorCodes.REDFISH_ENDPOINT_BAD_OPTIONS, `tick must be a finite number of seconds > 0, got ${tick}`);
  }

  /** Model time that corresponds to the wall clock now. */
  modelNow(): number {
    return (performance.now() - this.origin) / 1000 / this.timeScale;
  }

  /**
   * Starts `body` as an engine process at the model time of now and resolves or rejects with it,
   * at the wall time its model time maps to.
   */
  async run<T>(body: () => Promise<T>): Promise<T> {
    if (this.closed) throw new UsageError(ErrorCodes.REDFISH_ENDPOINT_BAD_OPTIONS, 'the realtime driver is closed');
    let finished!: Promise<T>;
    const start = this.catchUp().then(() => {
      finished = this.engine.process(() => body()).finished;
    });
    this.chain = start.catch(() => undefined);
    await start;
    this.schedule();
    return finished;
  }

  /** Stops pacing; pending model events never fire. */
  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Fires every event due by the wall clock, after whatever catch-up is already running. */
  private catchUp(): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      const target = Math.max(this.engine.now, this.modelNow());
      // A no-op at the target moves the clock there even when nothing else is due, so a command
      // started next begins at the model time of its arrival.
      this.engine.schedule(target, () => undefined);
      try {
        await this.engine.run({ until: target });
      } catch (e) {
        this.failure = e;
        throw e;
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private schedule(): void {
    if (this.timer !== null || this.closed) return;
    if (this.engine.pendingEvents === 0 && this.engine.liveProcesses === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.catchUp()
        .catch(() => undefined)
        .then(() => this.schedule());
    }, this.tick * 1000);
    this.timer.unref();
  }
}
