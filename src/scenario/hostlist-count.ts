/**
 * Counting the distinct names of an expression without listing them, where that can be done:
 * node[1-9000000] is counted from its range, not from nine million strings.
 */
import type { Box } from './hostlist-compress.ts';
import { DigitSet } from './hostlist-digits.ts';
import { expandPattern, parseHostlist, tokenizeName, type HostPattern } from './hostlist-parse.ts';

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
    if (k > 0 && k < p.groups.length && lit === '') return undefined; // glued groups: "[1-2][3-4]"
    if (k > 0 && isDigit(lit[0])) return undefined;
    if (k < p.groups.length && isDigit(lit[lit.length - 1])) return undefined;
    const { literals: parts, digits } = tokenizeName(lit);
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
  const { literals, digits } = tokenizeName(name);
  const boxes = byKey.get(literals.join('\u0000'));
  if (!boxes) return false;
  const d = boxes[0].length;
  // Only patterns counted from ranges: single boxes, or single-run unions.
  if (d > 1 && boxes.length > 1) return false;
  return boxes.some((box) => box.every((set, k) => set.has(digits[k])));
}
