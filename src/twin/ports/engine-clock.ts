/**
 * The Clock port on an Engine: the orchestrator's time is the simulated time, and its waits are
 * calendar events, so a twin run waits zero real seconds and is reproducible.
 */
import type { Engine } from '../../engine/engine.ts';
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { Clock } from '../../ports/index.ts';

export class EngineClock implements Clock {
  constructor(private readonly engine: Engine) {}

  /** Simulated seconds since the engine started. */
  now(): number {
    return this.engine.now;
  }

  /**
   * Resolves `seconds` simulated seconds from now. An infinite sleep is refused (rather than
   * scheduled) because it would sit in the calendar forever and a run would never end "empty".
   * On abort, engine.timeout cancels its calendar event, so nothing is held afterwards.
   */
  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      return Promise.reject(new UsageError(ErrorCodes.CLOCK_BAD_DURATION, `clock.sleep needs a finite number of seconds >= 0, got ${String(seconds)}`));
    }
    return this.engine.timeout(seconds, signal);
  }
}
