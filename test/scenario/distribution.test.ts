import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.ts';
import { NORMAL_TRUNCATION_TRIES, parseDistribution, type Distribution } from '../../src/scenario/distribution.ts';
import { Normal } from '../../src/scenario/distribution-kinds.ts';
import { parseDuration, parseRate } from '../../src/scenario/units.ts';
import { errorOf } from '../helpers/error-of.ts';

const dur = (v: unknown) => parseDistribution(v, parseDuration, 'boot');


function sampleMean(d: Distribution, n: number, seed: string): number {
  const rng = seedrandom(seed);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d.sample(rng);
  return sum / n;
}

/** A tiny deterministic rng for property tests: the same seed always gives the same sequence. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseDistribution', () => {
  it('reads a plain unit string as a constant', () => {
    const d = dur('45s');
    expect(d.kind).toBe('constant');
    expect(d.sample(() => 0.3)).toBe(45);
    expect(d.mean()).toBe(45);
    expect(d.describe()).toBe('45s');
  });

  it('serves rates with the same code', () => {
    const d = parseDistribution({ dist: 'uniform', min: '1Gb/s', max: '10Gb/s' }, parseRate, 'link');
    expect(d.mean()).toBe((1.25e8 + 1.25e9) / 2);
    expect(d.describe()).toBe('uniform(min 1Gb/s, max 10Gb/s)');
  });

  it.each<[unknown, number, string]>([
    [{ dist: 'constant', value: '10s' }, 10, '10s'],
    [{ dist: 'uniform', min: '1s', max: '3s' }, 2, 'uniform(min 1s, max 3s)'],
    [{ dist: 'lognormal', mean: '50s', sd: '20s' }, 50, 'lognormal(mean 50s, sd 20s)'],
    [{ dist: 'empirical', values: ['10s', '20s', '40s'], weights: [1, 2, 1] }, 22.5, 'empirical(10s, 20s, 40s; weights 1, 2, 1)'],
    [{ dist: 'empirical', values: ['10s', '20s'] }, 15, 'empirical(10s, 20s)'],
    [{ dist: 'normal', mean: '10s', sd: '2s', min: '8s', max: '12s' }, 10, 'normal(mean 10s, sd 2s, min 8s, max 12s)'],
    [{ dist: 'normal', mean: '5s', sd: '0s', max: '3s' }, 3, 'normal(mean 5s, sd 0s, max 3s)'],
  ])('%j has the closed-form mean %d', (value, mean, text) => {
    const d = dur(value);
    expect(d.mean()).toBeCloseTo(mean, 9);
    expect(d.describe()).toBe(text);
  });

  it('gives the mean of the clamped normal: E[max(0, X)]', () => {
    // X ~ N(0, 1): E[max(0, X)] = phi(0) = 1 / sqrt(2 pi).
    expect(dur({ dist: 'normal', mean: '0s', sd: '1s' }).mean()).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 6);
    // Far from 0 the clamp does not matter.
    expect(dur({ dist: 'normal', mean: '10s', sd: '2s' }).mean()).toBeCloseTo(10, 6);
  });

  it.each<[unknown, string]>([
    ['10 sec', 'boot: expected a duration like "30s", "250ms" or "1h30min", got "10 sec" (write "s" instead of "sec")'],
    [10, 'boot: expected a duration like "30s", "250ms" or "1h30min", got 10 (a unit is required)'],
    [['1s'], 'boot: expected a value with a unit or a mapping like {dist: uniform, min: ..., max: ...}, got a list'],
    [{ min: '1s' }, 'boot: missing required key "dist" (one of constant, uniform, normal, lognormal, empirical)'],
    [{ dist: 'unifrom', min: '1s', max: '2s' }, 'boot.dist: expected one of "constant", "uniform", "normal", "lognormal", "empirical", got "unifrom" (did you mean "uniform"?)'],
    [{ dist: 'uniform', min: '1s', max: '2s', mx: '3s' }, 'boot: unknown key "mx" for a uniform distribution (did you mean "max"?); it takes "min", "max"'],
    [{ dist: 'uniform', min: '1s' }, 'boot: missing required key "max" for a uniform distribution'],
    [{ dist: 'uniform', min: '3s', max: '2s' }, 'boot: min (3s) is above max (2s)'],
    [{ dist: 'normal', mean: '3s', sd: '1s', min: '5s', max: '4s' }, 'boot: min (5s) is above max (4s)'],
    [{ dist: 'normal', mean: '3s', sd: '-1s' }, 'boot.sd: expected a duration like "30s", "250ms" or "1h30min", got "-1s" (must not be negative)'],
    [{ dist: 'lognormal', mean: '0s', sd: '1s' }, 'boot.mean: a lognormal mean must be above 0, got 0s'],
    [{ dist: 'empirical', values: [] }, 'boot.values: expected a non-empty list of values'],
    [{ dist: 'empirical', values: ['1s', 'x'] }, 'boot.values[1]: expected a duration like "30s", "250ms" or "1h30min", got "x"'],
    [{ dist: 'empirical', values: ['1s', '2s'], weights: [1] }, 'boot.weights: expected a list of 2 numbers, one per value'],
    [{ dist: 'empirical', values: ['1s', '2s'], weights: [1, -1] }, 'boot.weights[1]: expected a number >= 0, got -1'],
    [{ dist: 'empirical', values: ['1s'], weights: [0] }, 'boot.weights: at least one weight must be above 0'],
  ])('rejects %j', (value, message) => {
    const e = errorOf(() => dur(value));
    expect(e.code).toBe(ErrorCodes.DISTRIBUTION_INVALID);
    expect(e.message).toBe(message);
  });
});

describe('sampling', () => {
  const kinds: Array<[string, unknown]> = [
    ['constant', '7s'],
    ['uniform', { dist: 'uniform', min: '2s', max: '9s' }],
    ['normal', { dist: 'normal', mean: '10s', sd: '3s' }],
    ['normal clamped at 0', { dist: 'normal', mean: '1s', sd: '2s' }],
    ['truncated normal', { dist: 'normal', mean: '10s', sd: '5s', min: '8s', max: '20s' }],
    ['normal truncated in the tail', { dist: 'normal', mean: '10s', sd: '1s', min: '12.5s' }],
    ['lognormal', { dist: 'lognormal', mean: '30s', sd: '15s' }],
    ['empirical', { dist: 'empirical', values: ['1s', '5s', '60s'], weights: [6, 3, 1] }],
  ];

  it.each(kinds)('%s: the mean of 20,000 draws is within 2%% of mean()', (name, value) => {
    const d = dur(value);
    expect(Math.abs(sampleMean(d, 20_000, name) - d.mean())).toBeLessThanOrEqual(0.02 * d.mean());
  });

  it.each(kinds)('%s: the same rng sequence gives the same samples', (_name, value) => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const d1 = dur(value);
        const d2 = dur(value);
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        for (let i = 0; i < 20; i++) expect(d1.sample(a)).toBe(d2.sample(b));
      }),
      { numRuns: 50 },
    );
  });

  const seconds = fc.double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true });

  it('uniform samples stay within [min, max]', () => {
    fc.assert(
      fc.property(seconds, seconds, fc.integer(), (x, y, seed) => {
        const [min, max] = x <= y ? [x, y] : [y, x];
        const d = dur({ dist: 'uniform', min: `${min}s`, max: `${max}s` });
        const rng = mulberry32(seed);
        for (let i = 0; i < 50; i++) {
          const s = d.sample(rng);
          expect(s).toBeGreaterThanOrEqual(min);
          expect(s).toBeLessThanOrEqual(max);
        }
      }),
    );
  });

  it('truncated normal samples stay within [min, max], even for a window far in a tail', () => {
    fc.assert(
      fc.property(seconds, seconds, seconds, seconds, fc.integer(), (mean, sd, x, y, seed) => {
        const [min, max] = x <= y ? [x, y] : [y, x];
        const d = dur({ dist: 'normal', mean: `${mean}s`, sd: `${sd}s`, min: `${min}s`, max: `${max}s` });
        const rng = mulberry32(seed);
        for (let i = 0; i < 20; i++) {
          const s = d.sample(rng);
          expect(s).toBeGreaterThanOrEqual(min);
          expect(s).toBeLessThanOrEqual(max);
        }
      }),
    );
  });

  it('normal samples are never negative', () => {
    fc.assert(
      fc.property(seconds, seconds, fc.integer(), (mean, sd, seed) => {
        const d = dur({ dist: 'normal', mean: `${mean}s`, sd: `${sd}s` });
        const rng = mulberry32(seed);
        for (let i = 0; i < 20; i++) expect(d.sample(rng)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('empirical returns only listed values, never a zero-weight one', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1000), fc.nat(5)), { minLength: 1, maxLength: 8 }), fc.integer(), (pairs, seed) => {
        fc.pre(pairs.some(([, w]) => w > 0));
        const d = dur({ dist: 'empirical', values: pairs.map(([v]) => `${v}ms`), weights: pairs.map(([, w]) => w) });
        const allowed = new Set(pairs.filter(([, w]) => w > 0).map(([v]) => v * 1e-3));
        const rng = mulberry32(seed);
        for (let i = 0; i < 50; i++) expect(allowed.has(d.sample(rng))).toBe(true);
      }),
    );
  });

  it('a truncation window the normal almost never reaches clamps to the nearest bound', () => {
    const d = new Normal(0, 1, 10, 11);
    expect(d.sample(mulberry32(1))).toBe(10);
    expect(d.mean()).toBeCloseTo(10, 6);
    expect(NORMAL_TRUNCATION_TRIES).toBeGreaterThan(10);
  });
});
