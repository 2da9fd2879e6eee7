/**
 * Checks of command-line values, each failing with a UsageError that names the option.
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import { parseDuration } from '../scenario/units.ts';
import { defaultWorkers } from '../planning/run-pool.ts';

/** A seed: any non-empty string of letters, digits, dot, dash or underscore. */
export function parseSeed(value: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `--seed: expected 1-64 letters, digits, ".", "-" or "_", got "${value}"`);
  }
  return value;
}

/** A whole number of at least `min` (--seeds, --workers, --top). */
export function parseCount(value: string, option: string, min: number): number {
  const n = /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(n >= min)) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `${option}: expected a whole number >= ${min}, got "${value}"`);
  return n;
}

/** --workers: a whole number >= 0 (0 runs in this thread); absent, one thread per core. */
export function parseWorkers(value: string | undefined): number {
  return value === undefined ? defaultWorkers() : parseCount(value, '--workers', 0);
}

/** A duration with its unit, in seconds (--deadline 15min). */
export function parseDurationOption(value: string, option: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `${option}: ${(e as Error).message}`, { cause: e });
  }
}

/** A percentage, "5%" or "5", as a fraction (0.05); from 0 to 1000 %. */
export function parsePercent(value: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const pct = m === null ? NaN : Number(m[1]);
  if (!(pct >= 0 && pct <= 1000)) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `${option}: expected a percentage like 5%, got "${value}"`);
  return pct / 100;
}
