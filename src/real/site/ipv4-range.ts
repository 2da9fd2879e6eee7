/**
 * A BMC address range as a site file writes it, "10.78.0.11-10.78.0.14" (or one address),
 * expanded in address order. Capped, so a typo such as 10.0.0.1-10.9.0.1 is refused rather than
 * scanned.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import { formatIpv4, parseIpv4 } from '../../orchestrator/configure/ipv4.ts';

export const MAX_RANGE = 65536;

export function expandIpv4Range(text: string, field: string): string[] {
  const [first, last = first] = text.split('-');
  const a = parseIpv4(first, field);
  const b = parseIpv4(last, field);
  if (b < a) throw new UsageError(ErrorCodes.SITE_INVALID, `${field}: ${last} comes before ${first}`);
  if (b - a + 1 > MAX_RANGE) throw new UsageError(ErrorCodes.SITE_INVALID, `${field}: ${b - a + 1} addresses, more than ${MAX_RANGE}`);
  return Array.from({ length: b - a + 1 }, (_, i) => formatIpv4(a + i));
}

/** Sorts IPv4 addresses numerically (10.0.0.9 before 10.0.0.10). */
export function byIpv4(x: string, y: string): number {
  return parseIpv4(x, 'address') - parseIpv4(y, 'address');
}
