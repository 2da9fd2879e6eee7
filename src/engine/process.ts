/**
 * A simulated process: an async function run by the engine, started at the instant it is created
 * (after the events already scheduled for that instant, so creation order is start order).
 *
 * Interrupts follow the AbortSignal idiom so that the same code works on real hardware: a process
 * waits through `p.timeout()` or passes `p.signal` to any wait; `interrupt(cause)` aborts the
 * current signal with an Interrupt, and the process gets a fresh signal for its next waits (it may
 * catch the Interrupt and carry on, as in SimPy).
 */
import type { Engine } from './engine.ts';
import { Interrupt } from './interrupt.ts';

export type ProcessBody<T> = (p: Process<T>) => Promise<T>;

export type ProcessState = 'running' | 'succeeded' | 'failed';

export class Process<T = unknown> {
  private controller = new AbortController();
  private _state: ProcessState = 'running';
  private _value: T | undefined;
  private _error: unknown;
  private observed = false;
  private readonly promise: Promise<T>;

  constructor(
    readonly engine: Engine,
    body: ProcessBody<T>,
    readonly name: string,
  ) {
    engine.liveProcesses++;
    let resolveStart!: () => void;
    const started = new Promise<void>((r) => (resolveStart = r));
    engine.after(0, resolveStart);
    this.promise = started.then(() => body(this));
    this.promise.then(
      (value) => {
        this._state = 'succeeded';
        this._value = value;
        engine.liveProcesses--;
      },
      (error: unknown) => {
        this._state = 'failed';
        this._error = error;
        engine.liveProcesses--;
        if (!this.observed) engine.reportUnhandled(error);
      },
    );
  }

  get state(): ProcessState {
    return this._state;
  }

  get isAlive(): boolean {
    return this._state === 'running';
  }

  /** The value the body returned (undefined until it succeeded). */
  get value(): T | undefined {
    return this._value;
  }

  /** The error the body threw (undefined unless it failed). */
  get error(): unknown {
    return this._error;
  }

  /**
   * Settles with the body's result. Asking for it marks the process as observed: its failure is
   * then the awaiting code's to handle, and no longer fails the run.
   */
  get finished(): Promise<T> {
    this.observed = true;
    return this.promise;
  }

  /** The signal the process's current waits should honour. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Waits `delay` simulated seconds, interruptibly. */
  timeout(delay: number): Promise<void> {
    return this.engine.timeout(delay, this.controller.signal);
  }

  /** Waits until absolute time `at`, interruptibly. */
  until(at: number): Promise<void> {
    return this.engine.until(at, this.controller.signal);
  }

  /**
   * Interrupts the process's current wait with an Interrupt carrying `cause`. Returns false if the
   * process has already finished. Waits started after the interrupt are not affected.
   */
  interrupt(cause: unknown = 'interrupt'): boolean {
    if (!this.isAlive) return false;
    const old = this.controller;
    this.controller = new AbortController();
    old.abort(new Interrupt(cause));
    return true;
  }
}
