/**
 * Hostlist expressions ("node[001-169],login1"): expansion, compression, set operations and
 * counting. Scenario files name nodes this way, and reports print sets of nodes this way.
 *
 * Output is deterministic and numeric: names are grouped by their pattern (the text around the
 * digit runs), patterns are listed in text order, and within a pattern numbers ascend, so node9
 * comes before node10. Zero padding is significant: "node07" and "node7" are different hosts.
 */
import { compressHostlist } from './hostlist-compress.ts';
import { expandPattern, parseHostlist } from './hostlist-parse.ts';

export { compressHostlist } from './hostlist-compress.ts';
export { hostlistCount } from './hostlist-count.ts';
export { HOSTLIST_MAX_NAMES } from './hostlist-parse.ts';

/** All names of an expression, in the order written, each once (the first occurrence wins). */
export function expandHostlist(expr: string): string[] {
  const seen = new Set<string>();
  for (const p of parseHostlist(expr)) for (const name of expandPattern(p)) seen.add(name);
  return [...seen];
}

// Set operations go through the names: exact by construction, and within the 10-million-name
// limit every expression obeys.

export function hostlistUnion(a: string, b: string): string {
  return compressHostlist([...expandHostlist(a), ...expandHostlist(b)]);
}

export function hostlistIntersection(a: string, b: string): string {
  const right = new Set(expandHostlist(b));
  return compressHostlist(expandHostlist(a).filter((n) => right.has(n)));
}

export function hostlistDifference(a: string, b: string): string {
  const right = new Set(expandHostlist(b));
  return compressHostlist(expandHostlist(a).filter((n) => !right.has(n)));
}

/** Throws HOSTLIST_INVALID unless `expr` is a valid expression within the size limit. */
export function checkHostlist(expr: string): void {
  parseHostlist(expr);
}
