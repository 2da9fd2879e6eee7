/**
 * The Clock port on the wall clock, for the power adapters' waits (polling the power state after
 * a cycle). Tests may pass another Clock so they wait for nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { Clock } from '../../ports/index.ts';

export const wallClock: Clock = {
  now: () => Date.now() / 1000,
  sleep: (seconds: number, signal?: AbortSignal) => {
    if (!(seconds >= 0 && seconds < Infinity)) {
      return Promise.reject(new UsageError(ErrorCodes.CLOCK_BAD_DURATION, `sleep needs a finite number of seconds >= 0, got ${seconds}`));
    }
    return sleep(seconds * 1000, undefined, { signal }).catch((e: unknown) => {
      // timers/promises rejects with its own AbortError: the port promises the signal's reason.
      if (signal?.aborted) throw signal.reason;
      throw e;
    });
  },
};
