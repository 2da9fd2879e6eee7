/**
 * Checks of command-line values, each failing with a UsageError that names the option.
 */
import { UsageError, ErrorCodes } from '../errors.ts';

/** A seed: any non-empty string of letters, digits, dot, dash or underscore. */
export function parseSeed(value: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `--seed: expected 1-64 letters, digits, ".", "-" or "_", got "${value}"`);
  }
  return value;
}
