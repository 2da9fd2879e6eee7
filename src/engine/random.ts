/**
 * Named, seeded random streams. Every source of randomness in a simulation asks the engine for a
 * stream by name ("bmc.failures", "post.time"); the stream's seed is derived from the run seed and
 * the name, so adding a new stream or drawing more from one never shifts the numbers another
 * stream produces. Backed by seedrandom's Alea generator (fast, 2^116 period).
 */
import seedrandom from 'seedrandom';

export class RandomStream {
  private readonly prng: () => number;

  constructor(
    readonly runSeed: string,
    readonly name: string,
  ) {
    this.prng = seedrandom.alea(`${runSeed}\u0000${name}`);
  }

  /** Uniform on [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform on [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }

  /** Uniform integer on [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.prng() < p;
  }

  /** Exponential with the given mean (inverse CDF; 1 - u avoids log(0)). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.prng());
  }

  /** Normal by Box-Muller; uses two draws per sample so the sequence is easy to reason about. */
  normal(mean: number, sd: number): number {
    const u1 = 1 - this.prng();
    const u2 = this.prng();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A plain () => number view, for code that takes a generator function. */
  get fn(): () => number {
    return this.prng;
  }
}

/** Streams of one run, created on first use and cached by name. */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly seed: string) {}

  get(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new RandomStream(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }
}
