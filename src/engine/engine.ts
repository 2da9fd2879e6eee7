/**
 * The simulation engine: owns the virtual clock, the event calendar and the random streams of one
 * run. Nothing here is global, so any number of engines can run side by side in one process.
 *
 * Two ways to write simulated behaviour:
 * - callbacks scheduled on the calendar (`schedule`, `after`): the fast path used by the flow network;
 * - processes: ordinary async functions (`process`) that wait on engine promises (`timeout`,
 *   resources, stores, transfers). The same async code can run against real hardware with a real
 *   clock, which is why processes are async functions and not generators.
 *
 * Determinism with async functions: after every event that may have woken a process, the run loop
 * lets the microtask queue drain completely before it looks at the calendar again, so every
 * continuation a wake-up triggers runs at the simulated instant it belongs to, in a deterministic
 * order. The drain uses process.nextTick from inside a microtask: Node runs the next-tick queue
 * only once V8's microtask queue is empty. That is an ordering primitive, not a timer: no wall time
 * is read or waited for.
 */
import { InternalError, UsageError, ErrorCodes } from '../errors.ts';
import { Calendar, type ScheduledEvent } from './calendar.ts';
import { RandomStreams, type RandomStream } from './random.ts';
import { Process, type ProcessBody } from './process.ts';

export interface EngineOptions {
  /** Seed of the run; every named random stream derives from it. Default "0". */
  seed?: string | number;
}

export interface RunOptions {
  /** Stop once the clock would pass this absolute time (seconds); the clock is left at it. */
  until?: number;
  /** Stop after this many events (used to cut a run short, e.g. to test resume). */
  maxEvents?: number;
}

export interface RunStats {
  /** Simulated time at the end of the run, in seconds. */
  now: number;
  /** Events fired during this run() call. */
  events: number;
  /** Why the run stopped. */
  stoppedBy: 'empty' | 'until' | 'maxEvents';
  /** Processes still waiting when the calendar ran empty (waiting on something that never comes). */
  waitingProcesses: number;
}

function settleMicrotasks(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

export class Engine {
  private _now = 0;
  private readonly calendar = new Calendar();
  private endOfInstant: Array<() => void> = [];
  private running = false;
  private failure: { error: unknown } | null = null;
  private _firedTotal = 0;
  /** Processes started and not yet finished. While > 0, the loop drains microtasks after each event. */
  liveProcesses = 0;
  readonly random: RandomStreams;

  constructor(options: EngineOptions = {}) {
    this.random = new RandomStreams(String(options.seed ?? '0'));
  }

  /** Current simulated time in seconds. */
  get now(): number {
    return this._now;
  }

  /** Events fired since the engine was created. */
  get eventsFired(): number {
    return this._firedTotal;
  }

  /** Events ever scheduled (including cancelled ones). */
  get eventsScheduled(): number {
    return this.calendar.scheduledCount;
  }

  /** Events waiting in the calendar. */
  get pendingEvents(): number {
    return this.calendar.size;
  }

  /** A named seeded random stream of this run. */
  stream(name: string): RandomStream {
    return this.random.get(name);
  }

  /** Runs `action` at absolute time `at` (seconds). Throws if `at` is in the past or not a number. */
  schedule(at: number, action: () => void): ScheduledEvent {
    if (!(at >= this._now)) {
      throw new UsageError(
        Number.isNaN(at) ? ErrorCodes.ENGINE_BAD_DELAY : ErrorCodes.ENGINE_TIME_IN_PAST,
        `cannot schedule an event at t=${at}s: the clock is at ${this._now}s`,
      );
    }
    return this.calendar.push(at, action);
  }

  /** Runs `action` after `delay` seconds (delay >= 0). */
  after(delay: number, action: () => void): ScheduledEvent {
    if (!(delay >= 0)) throw new UsageError(ErrorCodes.ENGINE_BAD_DELAY, `delay must be a number >= 0 seconds, got ${delay}`);
    return this.calendar.push(this._now + delay, action);
  }

  /** Cancels a scheduled event; false if it already fired or was cancelled. */
  cancel(event: ScheduledEvent): boolean {
    return this.calendar.cancel(event);
  }

  /**
   * Runs `action` once, after every event of the current instant has fired and before the clock
   * moves on. Used to batch work that many same-instant events make necessary (the flow network
   * recomputes rates once per instant, not once per flow started).
   */
  atEndOfInstant(action: () => void): void {
    this.endOfInstant.push(action);
  }

  /** A promise resolved `delay` seconds from now; rejected with the signal's reason if aborted first. */
  timeout(delay: number, signal?: AbortSignal): Promise<void> {
    if (!(delay >= 0)) return Promise.reject(new UsageError(ErrorCodes.ENGINE_BAD_DELAY, `delay must be a number >= 0 seconds, got ${delay}`));
    return this.until(this._now + delay, signal);
  }

  /** A promise resolved at absolute time `at`; rejected with the signal's reason if aborted first. */
  until(at: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      if (signal === undefined) {
        this.schedule(at, resolve);
        return;
      }
      const onAbort = () => {
        this.cancel(event);
        reject(signal.reason);
      };
      const event = this.schedule(at, () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Starts a process at the current instant (after events already scheduled for it). A process
   * that fails while nobody awaits its `finished` promise fails the whole run: errors are never
   * silently dropped.
   */
  process<T>(body: ProcessBody<T>, name = 'process'): Process<T> {
    return new Process<T>(this, body, name);
  }

  /** Called by Process when a failure has no observer; the run stops with it. */
  reportUnhandled(error: unknown): void {
    if (this.failure === null) this.failure = { error };
  }

  /** Runs the simulation until the calendar is empty (or `until`/`maxEvents`). */
  async run(options: RunOptions = {}): Promise<RunStats> {
    this.enter(options);
    try {
      // Enter microtask context so that settleMicrotasks() orders after every queued continuation.
      await null;
      return await this.loop(options, true);
    } finally {
      this.running = false;
    }
  }

  /**
   * Runs callback-only simulations without any async hop. Throws if a process is alive, since
   * processes need the microtask drain that only run() provides.
   */
  runSync(options: RunOptions = {}): RunStats {
    this.enter(options);
    try {
      const result = this.loop(options, false);
      if (result instanceof Promise) throw new InternalError(ErrorCodes.ENGINE_REENTRANT_RUN, 'runSync reached an async path');
      return result;
    } finally {
      this.running = false;
    }
  }

  private enter(options: RunOptions): void {
    if (this.running) throw new UsageError(ErrorCodes.ENGINE_REENTRANT_RUN, 'engine.run() called while the engine is already running');
    if (options.until !== undefined && !(options.until >= this._now)) {
      throw new UsageError(ErrorCodes.ENGINE_TIME_IN_PAST, `run until t=${options.until}s is before the clock (${this._now}s)`);
    }
    this.running = true;
  }

  private loop(options: RunOptions, allowAsync: true): Promise<RunStats>;
  private loop(options: RunOptions, allowAsync: false): RunStats | Promise<RunStats>;
  private loop(options: RunOptions, allowAsync: boolean): RunStats | Promise<RunStats> {
    const until = options.until ?? Infinity;
    const maxEvents = options.maxEvents ?? Infinity;
    let fired = 0;
    const finish = (stoppedBy: RunStats['stoppedBy']): RunStats => {
      this.throwIfFailed();
      return { now: this._now, events: fired, stoppedBy, waitingProcesses: this.liveProcesses };
    };
    // The loop body is shared by both modes; in async mode it awaits a microtask drain after any
    // step that may have woken a process.
    const step = (): 'again' | RunStats => {
      this.throwIfFailed();
      if (fired >= maxEvents) return finish('maxEvents');
      const next = this.calendar.peekTime();
      if (next > this._now && this.endOfInstant.length > 0) {
        const hooks = this.endOfInstant;
        this.endOfInstant = [];
        for (const hook of hooks) hook();
        return 'again';
      }
      if (next === Infinity) return finish('empty');
      if (next > until) {
        this._now = until;
        return finish('until');
      }
      const event = this.calendar.pop()!;
      this._now = event.time;
      const action = event.action!;
      event.action = null;
      fired++;
      this._firedTotal++;
      action();
      return 'again';
    };
    if (!allowAsync) {
      if (this.liveProcesses > 0) throw new UsageError(ErrorCodes.ENGINE_REENTRANT_RUN, 'runSync() cannot drive processes: use await engine.run()');
      while (true) {
        const r = step();
        if (r !== 'again') return r;
        if (this.liveProcesses > 0) throw new UsageError(ErrorCodes.ENGINE_REENTRANT_RUN, 'a process was started during runSync(): use await engine.run()');
      }
    }
    return (async () => {
      while (true) {
        const r = step();
        if (r !== 'again') return r;
        if (this.liveProcesses > 0) await settleMicrotasks();
      }
    })();
  }

  private throwIfFailed(): void {
    if (this.failure === null) return;
    const { error } = this.failure;
    this.failure = null;
    if (error instanceof Error && 'code' in error) throw error;
    throw new InternalError(ErrorCodes.ENGINE_PROCESS_FAILED, `a simulated process failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
