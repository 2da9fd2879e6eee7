/**
 * What a model needs from a distribution: a draw from a seeded uniform source, and its mean (for
 * reports and lower bounds). The scenario loader's distributions (src/scenario/distribution.ts)
 * satisfy this interface; models never see scenario files.
 */
export interface Sampler {
  /** One draw; `rng` returns uniform numbers in [0, 1). */
  sample(rng: () => number): number;
  /** The exact mean of sample(). */
  mean(): number;
}

/** A sampler that always returns `value` (and draws nothing from the stream). */
export function constant(value: number): Sampler {
  return { sample: () => value, mean: () => value };
}
