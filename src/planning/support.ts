/**
 * The smallest and largest value a distribution can draw (its support), for lower bounds: the
 * fastest a phase can be is its duration's minimum, the fastest a client can download is its rate
 * cap's maximum. Exact for the scenario's distribution kinds (src/scenario/distribution-kinds.ts);
 * any other sampler counts as a constant when it draws nothing from its stream (the models'
 * `constant()`), else as unknown, [0, Infinity): always a valid, if loose, support.
 */
import type { Sampler } from '../models/sampler.ts';
import { Constant, Empirical, LogNormal, Normal, Uniform } from '../scenario/distribution.ts';

/** Units are the sampler's own (seconds for durations, bytes/s for rates). */
export interface Support {
  min: number;
  max: number;
}

const nonNegative = (x: number) => Math.max(0, x);

export function supportOf(sampler: Sampler): Support {
  if (sampler instanceof Constant) return { min: nonNegative(sampler.value), max: nonNegative(sampler.value) };
  if (sampler instanceof Uniform) return { min: sampler.min, max: sampler.max };
  if (sampler instanceof Normal) {
    // Redraws land in [min, max] or are clamped to it; negatives are clamped at 0.
    if (sampler.sd === 0) {
      const v = nonNegative(Math.min(sampler.max, Math.max(sampler.min, sampler.mu)));
      return { min: v, max: v };
    }
    return { min: nonNegative(sampler.min), max: nonNegative(sampler.max) };
  }
  if (sampler instanceof LogNormal) return sampler.sd === 0 ? { min: sampler.m, max: sampler.m } : { min: 0, max: Infinity };
  if (sampler instanceof Empirical) {
    // Zero-weight values are never drawn, but counting them only widens the support.
    return { min: Math.min(...sampler.values), max: Math.max(...sampler.values) };
  }
  let drew = false;
  const value = sampler.sample(() => {
    drew = true;
    return 0.5;
  });
  return drew ? { min: 0, max: Infinity } : { min: value, max: value };
}

/** The support of an optional sampler (null: no cap, i.e. [Infinity, Infinity] for a rate). */
export function maxOf(sampler: Sampler | null): number {
  return sampler === null ? Infinity : supportOf(sampler).max;
}
