/** Small input checks shared by the configuration stage; each throws a UsageError naming the field. */
import { ErrorCodes, UsageError } from '../../errors.ts';

/** Host-name characters, as hostlists accept them. */
const NAME = /^[A-Za-z0-9._-]+$/;

export function bad(message: string): never {
  throw new UsageError(ErrorCodes.CONFIGURE_BAD_CONFIG, message);
}

/** Checks a name used as a label (cluster, group, network); throws CONFIGURE_BAD_CONFIG. */
export function checkName(name: string, what: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) bad(`${what} must be letters, digits, ".", "_" and "-", got ${JSON.stringify(name)}`);
}

/** Checks an integer field; throws CONFIGURE_BAD_CONFIG. */
export function checkCount(value: number, what: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) bad(`${what} must be an integer from ${min} to ${max}, got ${String(value)}`);
}
