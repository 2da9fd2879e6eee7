/**
 * The few pieces of normal-distribution arithmetic the distributions need: the density, the
 * cumulative function, and a standard normal draw from a uniform source.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Complementary error function (Numerical Recipes' erfcc): relative error below 1.2e-7. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** Standard normal density. */
export function phi(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** Standard normal cumulative distribution; exact 0 and 1 at the infinities. */
export function Phi(x: number): number {
  if (x === -Infinity) return 0;
  if (x === Infinity) return 1;
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * One standard normal draw by Box-Muller from two uniforms in [0, 1). The second variate of the
 * pair is discarded on purpose: keeping it would give the distribution hidden state, and then the
 * same random stream would not always give the same samples.
 */
export function standardNormal(rng: () => number): number {
  const u1 = 1 - rng(); // (0, 1]: log(0) would be -Infinity
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
