/**
 * Compression of a set of host names into a hostlist expression, the inverse of expansion:
 * expandHostlist(compressHostlist(names)) is the same set, and the output depends only on the set.
 *
 * Names are split at their digit runs ("rack1-node07" -> pattern "rack#-node#", digits 1, 07);
 * names of one pattern are folded into products of digit sets. Patterns are listed in text order
 * and numbers ascend within a pattern (node9 before node10, never lexically).
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import { compareMin, DigitSet } from './hostlist-digits.ts';
import { tokenizeName } from './hostlist-parse.ts';

/** A product of digit sets under one pattern: the unit of compressed output. */
export type Box = DigitSet[];

/**
 * Folds tuples of digit strings into boxes, last dimension first: tuples sharing a prefix are
 * merged into one set for the last dimension, then prefixes with equal last sets are folded
 * recursively. Full products such as rack[1-2]-node[01-04] come out as a single box.
 */
function fold(tuples: readonly string[][]): Box[] {
  const d = tuples[0].length;
  if (d === 1) return [[DigitSet.fromStrings(tuples.map((t) => t[0]))]];
  const lastByPrefix = new Map<string, { prefix: string[]; last: string[] }>();
  for (const t of tuples) {
    const key = t.slice(0, -1).join('\u0000');
    const entry = lastByPrefix.get(key);
    if (entry) entry.last.push(t[d - 1]);
    else lastByPrefix.set(key, { prefix: t.slice(0, -1), last: [t[d - 1]] });
  }
  const prefixesByLast = new Map<string, { set: DigitSet; prefixes: string[][] }>();
  for (const { prefix, last } of lastByPrefix.values()) {
    const set = DigitSet.fromStrings(last);
    const entry = prefixesByLast.get(set.key);
    if (entry) entry.prefixes.push(prefix);
    else prefixesByLast.set(set.key, { set, prefixes: [prefix] });
  }
  return [...prefixesByLast.values()].flatMap(({ set, prefixes }) => fold(prefixes).map((box) => [...box, set]));
}

function compareBoxes(a: Box, b: Box): number {
  for (let k = 0; k < a.length; k++) {
    const c = compareMin(a[k].min, b[k].min);
    if (c !== 0) return c;
  }
  return 0;
}

function comparePatterns(a: readonly string[], b: readonly string[]): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return a.length - b.length;
}

const VALID_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * The shortest-we-reasonably-can expression for a set of names (duplicates ignored), such that
 * expandHostlist gives back exactly the same set. Example: ["node2","node1","node3","login1"]
 * -> "login1,node[1-3]".
 */
export function compressHostlist(names: Iterable<string>): string {
  const byPattern = new Map<string, { literals: string[]; tuples: string[][] }>();
  const unique = new Set(names);
  for (const name of unique) {
    if (typeof name !== 'string' || !VALID_NAME.test(name)) {
      throw new UsageError(ErrorCodes.HOSTLIST_INVALID, `invalid host name ${JSON.stringify(name)}: use letters, digits, ".", "_" and "-"`);
    }
    const { literals, digits } = tokenizeName(name);
    const key = literals.join('\u0000');
    const entry = byPattern.get(key);
    if (entry) entry.tuples.push(digits);
    else byPattern.set(key, { literals, tuples: [digits] });
  }
  const patterns = [...byPattern.values()].sort((a, b) => comparePatterns(a.literals, b.literals));
  const out: string[] = [];
  for (const { literals, tuples } of patterns) {
    if (literals.length === 1) {
      out.push(literals[0]);
      continue;
    }
    for (const box of fold(tuples).sort(compareBoxes)) {
      out.push(literals[0] + box.map((set, k) => set.toText() + literals[k + 1]).join(''));
    }
  }
  return out.join(',');
}
