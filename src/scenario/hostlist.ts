/**
 * Hostlist expressions ("node[001-169],login1"): expansion, compression, set operations and
 * counting. Scenario files name nodes this way, and reports print sets of nodes this way.
 *
 * Output is deterministic and numeric: names are grouped by their pattern (the text around the
 * digit runs), patterns are listed in text order, and within a pattern numbers ascend, so node9
 * comes before node10. Zero padding is significant: "node07" and "node7" are different hosts.
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import { compareMin, DigitSet } from './hostlist-digits.ts';
import { pad, parseHostlist, type HostPattern } from './hostlist-parse.ts';

export { HOSTLIST_MAX_NAMES } from './hostlist-parse.ts';

/** Expands one pattern, rightmost group varying fastest. */
function* expandPattern(p: HostPattern): Generator<string> {
  const choices = p.groups.map((g) => g.flatMap((r) => {
    const out: string[] = [];
    for (let v = r.lo; v <= r.hi; v++) out.push(pad(v, r.width));
    return out;
  }));
  const index = choices.map(() => 0);
  if (choices.some((c) => c.length === 0)) return;
  while (true) {
    let name = p.literals[0];
    for (let k = 0; k < choices.length; k++) name += choices[k][index[k]] + p.literals[k + 1];
    yield name;
    let k = choices.length - 1;
    while (k >= 0 && ++index[k] === choices[k].length) index[k--] = 0;
    if (k < 0) return;
  }
}

/** All names of an expression, in the order written, each once (the first occurrence wins). */
export function expandHostlist(expr: string): string[] {
  const seen = new Set<string>();
  for (const p of parseHostlist(expr)) for (const name of expandPattern(p)) seen.add(name);
  return [...seen];
}

/** A host name split at its digit runs: "rack1-node07" -> literals ["rack", "-node", ""], digits ["1", "07"]. */
interface Tokens {
  readonly literals: string[];
  readonly digits: string[];
}

function tokenize(name: string): Tokens {
  const literals: string[] = [];
  const digitRuns: string[] = [];
  let last = 0;
  for (const m of name.matchAll(/\d+/g)) {
    literals.push(name.slice(last, m.index));
    digitRuns.push(m[0]);
    last = (m.index as number) + m[0].length;
  }
  literals.push(name.slice(last));
  return { literals, digits: digitRuns };
}

/** A product of digit sets under one pattern: the unit of compressed output. */
type Box = DigitSet[];

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
    const { literals, digits } = tokenize(name);
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

/**
 * A pattern whose bracket groups each sit between non-digit characters reads back the same way
 * when its names are split at digit runs, so its size is the product of its groups' sizes and
 * overlaps with other such patterns can be found per digit run without listing names.
 */
function canonicalBox(p: HostPattern): { key: string; box: Box } | undefined {
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const literals: string[] = [];
  const box: Box = [];
  let current = '';
  for (let k = 0; k <= p.groups.length; k++) {
    const lit = p.literals[k];
    if (k > 0 && (lit === '' && k < p.groups.length)) return undefined;
    if (k > 0 && isDigit(lit[0])) return undefined;
    if (k < p.groups.length && isDigit(lit[lit.length - 1])) return undefined;
    const { literals: parts, digits } = tokenize(lit);
    current += parts[0];
    for (let i = 0; i < digits.length; i++) {
      literals.push(current);
      box.push(DigitSet.fromStrings([digits[i]]));
      current = parts[i + 1];
    }
    if (k < p.groups.length) {
      literals.push(current);
      current = '';
      box.push(DigitSet.union(p.groups[k].map((r) => DigitSet.fromItem(r))));
    }
  }
  literals.push(current);
  return { key: literals.join('\u0000'), box };
}

/**
 * The number of distinct names in an expression. Single-run patterns (the usual "node[1-9999]")
 * and patterns that appear once are counted from their ranges; only overlapping multi-run
 * patterns, or groups glued to digits ("n[1-2][3-4]"), are expanded, within the size limit.
 */
export function hostlistCount(expr: string): number {
  const patterns = parseHostlist(expr);
  const byKey = new Map<string, Box[]>();
  const leftovers: HostPattern[] = [];
  for (const p of patterns) {
    const c = canonicalBox(p);
    if (!c) {
      leftovers.push(p);
      continue;
    }
    const list = byKey.get(c.key);
    if (list) list.push(c.box);
    else byKey.set(c.key, [c.box]);
  }
  let count = 0;
  const listed = new Set<string>();
  for (const [key, boxes] of byKey) {
    const d = boxes[0].length;
    if (d === 0) count += 1;
    else if (boxes.length === 1) count += boxes[0].reduce((n, s) => n * s.size, 1);
    else if (d === 1) count += DigitSet.union(boxes.map((b) => b[0])).size;
    else for (const p of patterns) if (canonicalBox(p)?.key === key) for (const n of expandPattern(p)) listed.add(n);
  }
  for (const p of leftovers) for (const n of expandPattern(p)) listed.add(n);
  // Names listed above may coincide with names counted from ranges (e.g. "n1[0-1]" and "n[10-11]"),
  // so those are checked against the counted patterns' sets.
  for (const n of listed) if (!coveredByCounted(n, byKey)) count += 1;
  return count;
}

function coveredByCounted(name: string, byKey: ReadonlyMap<string, Box[]>): boolean {
  const { literals, digits } = tokenize(name);
  const boxes = byKey.get(literals.join('\u0000'));
  if (!boxes) return false;
  const d = boxes[0].length;
  // Only patterns counted from ranges: single boxes, or single-run unions.
  if (d > 1 && boxes.length > 1) return false;
  return boxes.some((box) => box.every((set, k) => set.has(digits[k])));
}

/** Throws HOSTLIST_INVALID unless `expr` is a valid expression within the size limit. */
export function checkHostlist(expr: string): void {
  parseHostlist(expr);
}
