/** The support of each kind of distribution, as the lower bound reads it. */
import { describe, expect, it } from 'vitest';
import { constant } from '../../src/models/sampler.ts';
import { maxOf, supportOf } from '../../src/planning/support.ts';
import { Constant, Empirical, LogNormal, Normal, Uniform } from '../../src/scenario/distribution.ts';

describe('supportOf', () => {
  it('reads the bounds each scenario distribution can draw', () => {
    expect(supportOf(new Constant(5))).toEqual({ min: 5, max: 5 });
    expect(supportOf(new Uniform(60, 90))).toEqual({ min: 60, max: 90 });
    // Truncated normal: redraws stay in [min, max]; an untruncated one is clamped at 0 only.
    expect(supportOf(new Normal(430e3, 110e3, 200e3, 600e3))).toEqual({ min: 200e3, max: 600e3 });
    expect(supportOf(new Normal(50, 5))).toEqual({ min: 0, max: Infinity });
    expect(supportOf(new Normal(-3, 0))).toEqual({ min: 0, max: 0 });
    expect(supportOf(new LogNormal(390e3, 120e3))).toEqual({ min: 0, max: Infinity });
    expect(supportOf(new LogNormal(7, 0))).toEqual({ min: 7, max: 7 });
    expect(supportOf(new Empirical([40, 90, 50], [1, 1, 1]))).toEqual({ min: 40, max: 90 });
  });

  it('treats a model sampler as a constant when it draws nothing, else as unknown', () => {
    expect(supportOf(constant(0.001))).toEqual({ min: 0.001, max: 0.001 });
    const drawing = { sample: (rng: () => number) => 10 + rng(), mean: () => 10.5 };
    expect(supportOf(drawing)).toEqual({ min: 0, max: Infinity });
  });

  it('gives no cap for an absent client rate', () => {
    expect(maxOf(null)).toBe(Infinity);
    expect(maxOf(new Uniform(5, 80))).toBe(80);
  });

  it('never lies: every draw falls inside the support', () => {
    let seed = 1;
    const rng = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (const d of [new Uniform(1, 2), new Normal(10, 5, 4, 12), new Normal(1, 3), new LogNormal(5, 2), new Empirical([3, 1, 2])]) {
      const s = supportOf(d);
      for (let i = 0; i < 2000; i++) {
        const x = d.sample(rng);
        expect(x).toBeGreaterThanOrEqual(s.min);
        expect(x).toBeLessThanOrEqual(s.max);
      }
    }
  });
});
