/**
 * Parser for hostlist expressions as Slurm and ClusterShell write them: "node[001-169]",
 * "rack[1-2]-node[01-04]", "node[1-2],gpu[01-02],login1".
 *
 * The result keeps the expression's structure (literal text around bracket groups) so that sizes
 * can be computed without expanding. Also here: expanding one parsed pattern, and splitting a
 * host name at its digit runs, the two primitives the rest of the hostlist code builds on. Only the plain syntax is supported: no node groups ("@io"),
 * no set operators ("!", "&", "^"), no steps ("[1-9/2]"); those are reported as errors rather than
 * silently read as host names.
 */
import { ErrorCodes, UsageError } from '../errors.ts';

/** One item of a bracket group: lo..hi inclusive, printed zero-padded to `width` digits. */
export interface RangeItem {
  readonly lo: number;
  readonly hi: number;
  /** The printed length of the range start ("001" -> 3, "1" -> 1): padding is kept from it. */
  readonly width: number;
}

/** One top-level expression: literals[0] group[0] literals[1] ... group[n-1] literals[n]. */
export interface HostPattern {
  readonly literals: readonly string[];
  readonly groups: ReadonlyArray<readonly RangeItem[]>;
}

/** Beyond this many names an expression is almost certainly a typo ("node[1-1000000000]"). */
export const HOSTLIST_MAX_NAMES = 10_000_000;

/** Characters allowed in host names outside brackets (RFC 1123 letters, digits, '-', plus '.' and '_'). */
const NAME_CHAR = /[A-Za-z0-9._-]/;
/** Digit strings longer than this would lose precision as numbers. */
const MAX_DIGITS = 15;

function invalid(expr: string, why: string): never {
  throw new UsageError(ErrorCodes.HOSTLIST_INVALID, `invalid hostlist ${JSON.stringify(expr)}: ${why}`);
}

/** Splits at commas outside brackets, remembering where each piece starts (for messages). */
function splitTopLevel(expr: string): Array<{ text: string; start: number }> {
  const pieces: Array<{ text: string; start: number }> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= expr.length; i++) {
    const c = expr[i];
    if (c === '[') depth += 1;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (i === expr.length || (c === ',' && depth === 0)) {
      pieces.push({ text: expr.slice(start, i), start });
      start = i + 1;
    }
  }
  return pieces;
}

function parseGroup(expr: string, body: string, at: number): RangeItem[] {
  if (body === '') invalid(expr, `empty brackets at position ${at + 1}`);
  return body.split(',').map((item) => {
    if (item === '') invalid(expr, `empty range in "[${body}]"`);
    if (/^\d+-\d+\/\d+$/.test(item)) invalid(expr, `steps ("${item}") are not supported; list the numbers`);
    const m = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!m) invalid(expr, `"${item}" in "[${body}]" is not a number or a range like "1-4"`);
    const [, loText, hiText = loText] = m;
    if (loText.length > MAX_DIGITS || hiText.length > MAX_DIGITS) invalid(expr, `number too large in "[${body}]"`);
    const lo = Number(loText);
    const hi = Number(hiText);
    if (hi < lo) invalid(expr, `range "${item}" goes backwards (write "${hiText}-${loText}"?)`);
    return { lo, hi, width: loText.length };
  });
}

function parsePattern(expr: string, text: string, offset: number): HostPattern {
  const literals: string[] = [];
  const groups: RangeItem[][] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') {
      const close = text.indexOf(']', i + 1);
      const reopen = text.indexOf('[', i + 1);
      if (close < 0) invalid(expr, `"[" at position ${offset + i + 1} is never closed`);
      if (reopen >= 0 && reopen < close) invalid(expr, `nested "[" at position ${offset + reopen + 1}`);
      literals.push(literal);
      literal = '';
      groups.push(parseGroup(expr, text.slice(i + 1, close), offset + i));
      i = close;
    } else if (c === ']') {
      invalid(expr, `"]" at position ${offset + i + 1} has no matching "["`);
    } else if (NAME_CHAR.test(c)) {
      literal += c;
    } else if (c === '@' || c === '!' || c === '&' || c === '^') {
      invalid(expr, `"${c}" (node groups and set operators) is not supported`);
    } else {
      invalid(expr, `unexpected character ${JSON.stringify(c)} at position ${offset + i + 1}`);
    }
  }
  literals.push(literal);
  return { literals, groups };
}

/** How many names a pattern writes, counting repeats; Infinity-safe for absurd inputs. */
export function patternSize(p: HostPattern): number {
  let size = 1;
  for (const g of p.groups) size *= g.reduce((n, r) => n + (r.hi - r.lo + 1), 0);
  return size;
}

/**
 * Parses a whole expression into its top-level patterns. Spaces around top-level commas and at
 * the ends are allowed ("node1, node2"); the empty expression is the empty set.
 */
export function parseHostlist(expr: string): HostPattern[] {
  if (typeof expr !== 'string') invalid(String(expr), 'expected a string');
  if (expr.trim() === '') return [];
  let total = 0;
  const patterns = splitTopLevel(expr).map(({ text, start }) => {
    const trimmed = text.trim();
    if (trimmed === '') invalid(expr, `empty name at position ${start + 1}`);
    const p = parsePattern(expr, trimmed, start + text.indexOf(trimmed));
    total += patternSize(p);
    return p;
  });
  if (total > HOSTLIST_MAX_NAMES) {
    invalid(expr, `describes ${total > 1e15 ? 'more than 10^15' : total.toLocaleString('en-US')} names, more than the limit of ${HOSTLIST_MAX_NAMES.toLocaleString('en-US')}`);
  }
  return patterns;
}

/** A number printed with at least `width` digits ("7", 3 -> "007"). */
export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Expands one pattern, rightmost group varying fastest. */
export function* expandPattern(p: HostPattern): Generator<string> {
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

/** A host name split at its digit runs: "rack1-node07" -> literals ["rack", "-node", ""], digits ["1", "07"]. */
export interface NameTokens {
  readonly literals: string[];
  readonly digits: string[];
}

export function tokenizeName(name: string): NameTokens {
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
