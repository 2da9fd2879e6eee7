/** Runs `f`, which must throw a UsageError, and returns it (any other outcome fails the test). */
import { UsageError } from '../../src/errors.ts';

export function errorOf(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected an error');
}
