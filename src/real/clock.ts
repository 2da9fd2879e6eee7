/**
 * The Clock port on the wall clock, for real hardware. Time is Unix time in seconds, so the
 * times a journal records in one process compare with `now()` in the process that resumes it.
 * It is read as `performance.timeOrigin + performance.now()`: Unix-based like Date.now, but it
 * does not jump when the system clock is stepped during a run (timeouts stay honest).
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import type { Clock } from '../ports/index.ts';

/** setTimeout's largest delay (ms); longer ones fire at once with a warning, so sleep in chunks. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class WallClock implements Clock {
  private live = 0;

  /** Timers this clock holds right now (for leak checks: 0 once every sleep resolved or aborted). */
  get pendingTimers(): number {
    return this.live;
  }

  /** Unix time in seconds (fractional, sub-millisecond resolution). */
  now(): number {
    return (performance.timeOrigin + performance.now()) / 1000;
  }

  /**
   * Resolves after `seconds` (finite, >= 0) of wall time. Rejects with `signal.reason` if the
   * signal is already aborted or aborts first, and then holds no timer and no abort listener.
   * An infinite or negative duration rejects with CLOCK_BAD_DURATION (as the engine clock does).
   */
  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      return Promise.reject(new UsageError(ErrorCodes.CLOCK_BAD_DURATION, `clock.sleep needs a finite number of seconds >= 0, got ${String(seconds)}`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const deadline = this.now() + seconds;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const disarm = (): void => {
        if (timer !== undefined) {
          clearTimeout(timer);
          timer = undefined;
          this.live--;
        }
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        disarm();
        reject(signal!.reason);
      };
      const arm = (ms: number): void => {
        this.live++;
        timer = setTimeout(() => {
          timer = undefined;
          this.live--;
          const left = (deadline - this.now()) * 1000;
          // Timers may fire a little early (ms rounding) or be chunked: wait out what is left.
          if (left > 0) return arm(Math.min(Math.ceil(left), MAX_TIMER_MS));
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      arm(Math.min(seconds * 1000, MAX_TIMER_MS));
    });
  }
}
