/**
 * The distributions a scenario can give for a time or rate parameter. Each one is immutable and
 * stateless: a sample depends only on the numbers drawn from `rng`, so a seeded stream replays
 * exactly, and one Distribution can be shared by many simulated nodes.
 *
 * All quantities in deploytwin (bytes, rates, durations) are non-negative, so every sample is
 * clamped at 0. Only the normal distribution can go negative (lognormal, uniform and empirical
 * parameters are already non-negative); its mean() accounts for the clamping exactly.
 */
import { erfc, Phi, phi, standardNormal } from './normal-math.ts';

export interface Distribution {
  readonly kind: string;
  /** One draw; `rng` returns uniform numbers in [0, 1). */
  sample(rng: () => number): number;
  /** The exact mean of what sample() returns (including truncation and clamping). */
  mean(): number;
  /** For reports, in the scenario's own notation: "uniform(min 5s, max 10s)". */
  describe(): string;
}

/** How many times a truncated normal redraws before giving up and clamping to the window. */
export const NORMAL_TRUNCATION_TRIES = 100;

export class Constant implements Distribution {
  readonly kind = 'constant';
  constructor(readonly value: number, private readonly text = String(value)) {}
  sample(): number {
    return this.value;
  }
  mean(): number {
    return this.value;
  }
  describe(): string {
    return this.text;
  }
}

export class Uniform implements Distribution {
  readonly kind = 'uniform';
  constructor(readonly min: number, readonly max: number, private readonly text = `uniform(min ${min}, max ${max})`) {}
  sample(rng: () => number): number {
    // min + u * (max - min) can round to just above max; the bound is a promise to callers.
    return Math.min(this.max, this.min + rng() * (this.max - this.min));
  }
  mean(): number {
    return (this.min + this.max) / 2;
  }
  describe(): string {
    return this.text;
  }
}

/**
 * Normal with optional truncation window [min, max]: draws outside the window are redrawn, up to
 * NORMAL_TRUNCATION_TRIES times, then the last draw is clamped to the window (so a window far in a
 * tail cannot loop forever). Negative results are then clamped at 0.
 */
export class Normal implements Distribution {
  readonly kind = 'normal';
  constructor(
    readonly mu: number,
    readonly sd: number,
    readonly min = -Infinity,
    readonly max = Infinity,
    private readonly text = `normal(mean ${mu}, sd ${sd})`,
  ) {}

  sample(rng: () => number): number {
    if (this.sd === 0) return Math.max(0, clamp(this.mu, this.min, this.max));
    let x = this.mu;
    for (let i = 0; i < NORMAL_TRUNCATION_TRIES; i++) {
      x = this.mu + this.sd * standardNormal(rng);
      if (x >= this.min && x <= this.max) return Math.max(0, x);
    }
    return Math.max(0, clamp(x, this.min, this.max));
  }

  mean(): number {
    const { mu, sd, min, max } = this;
    if (sd === 0) return Math.max(0, clamp(mu, min, max));
    const a = (min - mu) / sd;
    const b = (max - mu) / sd;
    const below = Phi(a);
    const above = 0.5 * erfc(b / Math.SQRT2); // 1 - Phi(b) without cancellation
    const inWindow = Math.max(0, 1 - below - above);
    // Accepted draws: E[max(0, X) | min <= X <= max]; negatives contribute 0.
    const a0 = (Math.max(min, 0) - mu) / sd;
    const accepted = inWindow > 0 ? (mu * (Phi(b) - Phi(a0)) + sd * (phi(a0) - phi(b))) / inWindow : 0;
    // All tries rejected: the last draw is clamped to whichever bound it fell beyond.
    const rejected = inWindow < 1
      ? ((below > 0 ? Math.max(0, min) * below : 0) + (above > 0 ? Math.max(0, max) * above : 0)) / (1 - inWindow)
      : 0;
    const allRejected = (1 - inWindow) ** NORMAL_TRUNCATION_TRIES;
    return (1 - allRejected) * accepted + allRejected * rejected;
  }

  describe(): string {
    return this.text;
  }
}

/** Lognormal given by the mean and standard deviation of the values themselves (not of the log). */
export class LogNormal implements Distribution {
  readonly kind = 'lognormal';
  private readonly mu: number;
  private readonly sigma: number;
  constructor(readonly m: number, readonly sd: number, private readonly text = `lognormal(mean ${m}, sd ${sd})`) {
    const sigma2 = Math.log(1 + (sd * sd) / (m * m));
    this.sigma = Math.sqrt(sigma2);
    this.mu = Math.log(m) - sigma2 / 2;
  }
  sample(rng: () => number): number {
    return this.sd === 0 ? this.m : Math.exp(this.mu + this.sigma * standardNormal(rng));
  }
  mean(): number {
    return this.m;
  }
  describe(): string {
    return this.text;
  }
}

/** One of the listed values, with probability proportional to its weight (equal by default). */
export class Empirical implements Distribution {
  readonly kind = 'empirical';
  private readonly cumulative: number[];
  constructor(
    readonly values: readonly number[],
    readonly weights: readonly number[] = values.map(() => 1),
    private readonly text = `empirical(${values.join(', ')})`,
  ) {
    let sum = 0;
    this.cumulative = weights.map((w) => (sum += w));
  }
  sample(rng: () => number): number {
    const target = rng() * this.cumulative[this.cumulative.length - 1];
    // First cumulative weight above the target (binary search); zero weights are never chosen.
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo];
  }
  mean(): number {
    const total = this.cumulative[this.cumulative.length - 1];
    return this.values.reduce((s, v, i) => s + v * this.weights[i], 0) / total;
  }
  describe(): string {
    return this.text;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
