/**
 * Strict parsing of quantities written as strings in scenario files and on the command line:
 * data sizes ("512MiB"), rates ("10Gb/s") and durations ("90s", "1h30min").
 *
 * Why strict: a scenario that says "10GB/s" where the author meant "10Gb/s" is off by a factor of
 * eight, and the twin would happily simulate it. So a unit is always required (even for 0), case
 * matters where it changes the meaning (b = bit, B = byte), and anything unrecognised is an error
 * whose message shows what was expected and what was written.
 *
 * All results are plain numbers in base units: bytes, bytes per second, seconds.
 */
import { ErrorCodes, UsageError } from '../errors.ts';

export { formatBytes, formatDuration, formatRate } from './units-format.ts';

/** The unit-bearing string formats a scenario schema can ask for (see scenario-ajv.ts). */
export type UnitFormat = 'bytes' | 'rate' | 'duration';

// Decimal prefixes accept both k and K because "KB" is what people write for kilobyte; binary
// prefixes are the IEC ones. Values are exact powers so that parse(`${n}GiB`) === n * 2 ** 30.
const DECIMAL: ReadonlyArray<readonly [string, number]> = [
  ['', 1], ['k', 1e3], ['K', 1e3], ['M', 1e6], ['G', 1e9], ['T', 1e12], ['P', 1e15],
];
const BINARY: ReadonlyArray<readonly [string, number]> = [
  ['Ki', 2 ** 10], ['Mi', 2 ** 20], ['Gi', 2 ** 30], ['Ti', 2 ** 40], ['Pi', 2 ** 50],
];

function table(entries: Iterable<readonly [string, number]>): ReadonlyMap<string, number> {
  return new Map(entries);
}

/** Byte units: 1 GB = 1e9 B, 1 GiB = 2^30 B. */
const SIZE_UNITS = table([...DECIMAL, ...BINARY].map(([p, f]) => [`${p}B`, f] as const));

/** Bit units, in bytes: only meaningful for rates, and recognised for sizes to explain the error. */
const BIT_UNITS = table([
  ...DECIMAL.map(([p, f]) => [`${p}b`, f / 8] as const),
  ...DECIMAL.map(([p, f]) => [`${p}bit`, f / 8] as const),
]);

/** Rate units in bytes per second: "<size>/s", "<bits>/s" and the networking "<prefix>bps". */
const RATE_UNITS = table([
  ...[...SIZE_UNITS].map(([u, f]) => [`${u}/s`, f] as const),
  ...[...BIT_UNITS].map(([u, f]) => [`${u}/s`, f] as const),
  ...DECIMAL.map(([p, f]) => [`${p}bps`, f / 8] as const),
]);

/** Duration units in seconds. "m" is deliberately absent: minutes or milliseconds? */
const DURATION_UNITS = table([
  ['ns', 1e-9], ['us', 1e-6], ['\u00b5s', 1e-6], ['\u03bcs', 1e-6], ['ms', 1e-3],
  ['s', 1], ['min', 60], ['h', 3600], ['d', 86400],
]);

/** Common spellings that are not accepted, with the unit to write instead. */
const DURATION_ALIASES: ReadonlyMap<string, string> = new Map([
  ['sec', 's'], ['secs', 's'], ['second', 's'], ['seconds', 's'],
  ['mins', 'min'], ['minute', 'min'], ['minutes', 'min'],
  ['hr', 'h'], ['hrs', 'h'], ['hour', 'h'], ['hours', 'h'],
  ['day', 'd'], ['days', 'd'],
  ['msec', 'ms'], ['usec', 'us'], ['nsec', 'ns'],
]);

// A non-negative decimal number with optional fraction and exponent; no sign, no hex, no
// Infinity/NaN (those never match, so they fall through to the generic message).
const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
/** number, at most one space, unit (everything else up to the end, checked against a table). */
const SINGLE = new RegExp(`^(${NUMBER}) ?(.*)$`, 's');

interface Kind {
  readonly expected: string;
  readonly units: ReadonlyMap<string, number>;
  /** An explanation for a unit that is not in the table, if we can guess what went wrong. */
  hint(unit: string): string | undefined;
}

function caseHint(unit: string, units: ReadonlyMap<string, number>): string | undefined {
  const same = [...units.keys()].filter((u) => u.toLowerCase() === unit.toLowerCase());
  if (same.length === 0) return undefined;
  return `units are case-sensitive: did you mean ${same.map((u) => `"${u}"`).join(' or ')}?`;
}

const SIZE: Kind = {
  expected: 'a data size like "2GB" or "512MiB"',
  units: SIZE_UNITS,
  hint(unit) {
    if (BIT_UNITS.has(unit)) return `"${unit}" is bits; a data size must be in bytes ("B", e.g. "2GB")`;
    if (RATE_UNITS.has(unit)) return 'that is a rate; a data size has no "/s"';
    return caseHint(unit, SIZE_UNITS);
  },
};

const RATE: Kind = {
  expected: 'a rate like "10Gb/s", "10Gbps" or "125MB/s"',
  units: RATE_UNITS,
  hint(unit) {
    if (SIZE_UNITS.has(unit) || BIT_UNITS.has(unit)) return `a rate needs "/s": write "${unit}/s"`;
    const perSec = /^(.*)\/(?:sec|second)$/.exec(unit);
    if (perSec && RATE_UNITS.has(`${perSec[1]}/s`)) return `write "${perSec[1]}/s"`;
    return caseHint(unit, RATE_UNITS);
  },
};

const DURATION: Kind = {
  expected: 'a duration like "30s", "250ms" or "1h30min"',
  units: DURATION_UNITS,
  hint(unit) {
    if (unit === 'm' || unit === 'M') return '"m" is ambiguous: write "min" for minutes or "ms" for milliseconds';
    const alias = DURATION_ALIASES.get(unit.toLowerCase());
    if (alias !== undefined) return `write "${alias}" instead of "${unit}"`;
    return caseHint(unit, DURATION_UNITS);
  },
};

function fail(kind: Kind, input: unknown, why?: string): never {
  const got = typeof input === 'string' ? JSON.stringify(input) : describeNonString(input);
  throw new UsageError(ErrorCodes.UNIT_INVALID, `expected ${kind.expected}, got ${got}${why === undefined ? '' : ` (${why})`}`);
}

function describeNonString(input: unknown): string {
  if (input === null || input === undefined) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return String(input);
}

/** Common entry checks: a string, not negative, not empty. Returns the string. */
function asText(kind: Kind, input: unknown): string {
  if (typeof input === 'number') fail(kind, input, 'a unit is required');
  if (typeof input !== 'string') fail(kind, input);
  if (input.startsWith('-') && SINGLE.test(input.slice(1))) fail(kind, input, 'must not be negative');
  return input;
}

function finite(kind: Kind, input: string, value: number): number {
  if (!Number.isFinite(value)) fail(kind, input, 'too large');
  return value;
}

function unitHint(kind: Kind, unit: string): string | undefined {
  if (/^\s/.test(unit)) return 'put at most one space between the number and the unit';
  return kind.hint(unit);
}

function parseSingle(kind: Kind, input: unknown): number {
  const text = asText(kind, input);
  const m = SINGLE.exec(text);
  if (!m) return fail(kind, text);
  const [, num, unit] = m;
  if (unit === '') return fail(kind, text, 'missing unit');
  const factor = kind.units.get(unit);
  if (factor === undefined) return fail(kind, text, unitHint(kind, unit));
  return finite(kind, text, Number(num) * factor);
}

/** A data size in bytes: "2GB" = 2e9, "512MiB" = 512 * 2^20. Bits are refused. */
export function parseBytes(input: unknown): number {
  return parseSingle(SIZE, input);
}

/** A rate in bytes per second: "10Gb/s" = "10Gbps" = 1.25e9, "125MB/s" = 1.25e8. */
export function parseRate(input: unknown): number {
  return parseSingle(RATE, input);
}

// One term of a duration: number, optional space, unit letters. Terms may be separated by one
// space, which is what lets formatDuration's "3 min 25 s" be read back.
const TERM = new RegExp(`(${NUMBER}) ?([A-Za-z\\u00b5\\u03bc]+)( ?)`, 'y');

/**
 * A duration in seconds: "250ms", "1.5 h", or several terms from the largest unit down,
 * "1h30min" or "3 min 25 s".
 */
export function parseDuration(input: unknown): number {
  const text = asText(DURATION, input);
  const single = SINGLE.exec(text);
  if (single && single[2] !== '' && DURATION_UNITS.has(single[2])) {
    return finite(DURATION, text, Number(single[1]) * (DURATION_UNITS.get(single[2]) as number));
  }
  // Compound form, or an error: find the first term that does not read, to explain it.
  TERM.lastIndex = 0;
  let total = 0;
  let previous = Infinity;
  let terms = 0;
  let trailingSpace = false;
  while (TERM.lastIndex < text.length) {
    const m = TERM.exec(text);
    if (!m) break;
    const factor = DURATION_UNITS.get(m[2]);
    if (factor === undefined) return fail(DURATION, text, unitHint(DURATION, m[2]));
    if (factor >= previous) return fail(DURATION, text, 'in a compound duration, write the larger units first, each once');
    previous = factor;
    total += Number(m[1]) * factor;
    terms += 1;
    trailingSpace = m[3] === ' ';
  }
  if (terms === 0 || TERM.lastIndex !== text.length || trailingSpace) {
    const why = single ? (single[2] === '' ? 'missing unit' : unitHint(DURATION, single[2])) : undefined;
    return fail(DURATION, text, why);
  }
  return finite(DURATION, text, total);
}

/** The parser for each unit format, so that schemas and distributions can name one by format. */
export const unitParsers: Readonly<Record<UnitFormat, (input: unknown) => number>> = {
  bytes: parseBytes,
  rate: parseRate,
  duration: parseDuration,
};

/** How each format is described in messages ("a duration like ..."). */
export const unitExpectations: Readonly<Record<UnitFormat, string>> = {
  bytes: SIZE.expected,
  rate: RATE.expected,
  duration: DURATION.expected,
};
