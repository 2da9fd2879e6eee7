/**
 * Reads a distribution for a time or rate parameter from a scenario value:
 *
 *   boot: 45s                                         # constant
 *   boot: { dist: uniform, min: 40s, max: 60s }
 *   boot: { dist: normal, mean: 50s, sd: 5s, min: 30s }   # min/max optional: truncation
 *   boot: { dist: lognormal, mean: 50s, sd: 20s }
 *   boot: { dist: empirical, values: [40s, 50s, 90s], weights: [5, 4, 1] }
 *
 * Every quantity is a unit string read by the parser passed in, so the same code serves durations
 * (parseDuration), rates (parseRate) and sizes (parseBytes). Weights are plain numbers.
 * Samples are never negative: see distribution-kinds.ts.
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import { suggestionSuffix } from './did-you-mean.ts';
import { Constant, Empirical, LogNormal, Normal, Uniform, type Distribution } from './distribution-kinds.ts';

export { Constant, Empirical, LogNormal, Normal, NORMAL_TRUNCATION_TRIES, Uniform, type Distribution } from './distribution-kinds.ts';

export type DistributionKind = 'constant' | 'uniform' | 'normal' | 'lognormal' | 'empirical';

/** The keys each kind takes besides "dist"; shared with the JSON-schema fragment. */
export const DISTRIBUTION_PARAMS: Readonly<Record<DistributionKind, { readonly required: readonly string[]; readonly optional: readonly string[] }>> = {
  constant: { required: ['value'], optional: [] },
  uniform: { required: ['min', 'max'], optional: [] },
  normal: { required: ['mean', 'sd'], optional: ['min', 'max'] },
  lognormal: { required: ['mean', 'sd'], optional: [] },
  empirical: { required: ['values'], optional: ['weights'] },
};

export const DISTRIBUTION_KINDS = Object.keys(DISTRIBUTION_PARAMS) as DistributionKind[];

type UnitParser = (input: unknown) => number;

function invalid(where: string, message: string, cause?: unknown): never {
  throw new UsageError(ErrorCodes.DISTRIBUTION_INVALID, `${where}: ${message}`, cause === undefined ? undefined : { cause });
}

/** A unit value, with the parser's own message (what was expected, what was got) on failure. */
function quantity(parse: UnitParser, value: unknown, where: string): { n: number; text: string } {
  try {
    return { n: parse(value), text: String(value) };
  } catch (e) {
    return invalid(where, e instanceof Error ? e.message : String(e), e);
  }
}

function checkKeys(obj: Record<string, unknown>, kind: DistributionKind, where: string): void {
  const { required, optional } = DISTRIBUTION_PARAMS[kind];
  const allowed = ['dist', ...required, ...optional];
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      invalid(where, `unknown key "${key}" for a ${kind} distribution${suggestionSuffix(key, allowed)}; it takes ${[...required, ...optional].map((k) => `"${k}"`).join(', ')}`);
    }
  }
  for (const key of required) if (!(key in obj)) invalid(where, `missing required key "${key}" for a ${kind} distribution`);
}

function parseEmpirical(obj: Record<string, unknown>, parse: UnitParser, where: string): Distribution {
  const { values, weights } = obj;
  if (!Array.isArray(values) || values.length === 0) invalid(`${where}.values`, 'expected a non-empty list of values');
  const parsed = values.map((v, i) => quantity(parse, v, `${where}.values[${i}]`));
  let w: number[] | undefined;
  if (weights !== undefined) {
    if (!Array.isArray(weights) || weights.length !== values.length) {
      invalid(`${where}.weights`, `expected a list of ${values.length} numbers, one per value`);
    }
    w = weights.map((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) invalid(`${where}.weights[${i}]`, `expected a number >= 0, got ${JSON.stringify(x)}`);
      return x;
    });
    if (w.reduce((a, b) => a + b, 0) <= 0) invalid(`${where}.weights`, 'at least one weight must be above 0');
  }
  const text = `empirical(${parsed.map((p) => p.text).join(', ')}${w ? `; weights ${w.join(', ')}` : ''})`;
  return new Empirical(parsed.map((p) => p.n), w, text);
}

/**
 * A Distribution from a scenario value (see the file comment for the forms). `where` names the
 * value in messages ("phases.boot"). Throws UsageError(DISTRIBUTION_INVALID).
 */
export function parseDistribution(value: unknown, parseUnit: UnitParser, where: string): Distribution {
  if (typeof value === 'string' || typeof value === 'number') {
    const { n, text } = quantity(parseUnit, value, where);
    return new Constant(n, text);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return invalid(where, `expected a value with a unit or a mapping like {dist: uniform, min: ..., max: ...}, got ${Array.isArray(value) ? 'a list' : String(value)}`);
  }
  const obj = value as Record<string, unknown>;
  const kind = obj.dist;
  if (kind === undefined) invalid(where, `missing required key "dist" (one of ${DISTRIBUTION_KINDS.join(', ')})`);
  if (typeof kind !== 'string' || !(DISTRIBUTION_KINDS as string[]).includes(kind)) {
    const suffix = typeof kind === 'string' ? suggestionSuffix(kind, DISTRIBUTION_KINDS) : '';
    invalid(`${where}.dist`, `expected one of ${DISTRIBUTION_KINDS.map((k) => `"${k}"`).join(', ')}, got ${JSON.stringify(kind)}${suffix}`);
  }
  checkKeys(obj, kind as DistributionKind, where);
  const q = (key: string) => quantity(parseUnit, obj[key], `${where}.${key}`);
  switch (kind as DistributionKind) {
    case 'constant': {
      const v = q('value');
      return new Constant(v.n, v.text);
    }
    case 'uniform': {
      const [min, max] = [q('min'), q('max')];
      if (min.n > max.n) invalid(where, `min (${min.text}) is above max (${max.text})`);
      return new Uniform(min.n, max.n, `uniform(min ${min.text}, max ${max.text})`);
    }
    case 'normal': {
      const [mean, sd] = [q('mean'), q('sd')];
      const min = obj.min === undefined ? undefined : q('min');
      const max = obj.max === undefined ? undefined : q('max');
      if (min && max && min.n > max.n) invalid(where, `min (${min.text}) is above max (${max.text})`);
      const bounds = `${min ? `, min ${min.text}` : ''}${max ? `, max ${max.text}` : ''}`;
      return new Normal(mean.n, sd.n, min?.n, max?.n, `normal(mean ${mean.text}, sd ${sd.text}${bounds})`);
    }
    case 'lognormal': {
      const [mean, sd] = [q('mean'), q('sd')];
      if (mean.n <= 0) invalid(`${where}.mean`, `a lognormal mean must be above 0, got ${mean.text}`);
      return new LogNormal(mean.n, sd.n, `lognormal(mean ${mean.text}, sd ${sd.text})`);
    }
    case 'empirical':
      return parseEmpirical(obj, parseUnit, where);
  }
}
