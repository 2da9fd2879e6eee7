/**
 * Where a TFTP transfer loses windows, drawn up front from a seeded stream so that the transfer
 * itself is a short list of segments and pauses (not one event per window).
 *
 * Each transmission of a window is lost independently with probability p. The windows whose first
 * transmission is lost number K ~ Binomial(W, p); they are K distinct windows chosen uniformly
 * (Floyd's sampling); each then loses L transmissions in a row, L >= 1 geometric with
 * P(L >= j) = p^(j-1). Draw order: K, then the K positions, then the K run lengths in window order.
 */
import type { RandomStream } from '../engine/random.ts';

/** Binomial(n, p) sampling switches to a normal approximation once n p (1-p) reaches this. */
export const BINOMIAL_EXACT_MAX_VARIANCE = 25;

/**
 * A Binomial(n, p) draw. Exact (inverse CDF, one uniform) while n <= 1000 or n p (1-p) < 25;
 * beyond, a normal approximation (two uniforms) rounded and clamped to [0, n]. Deterministic for a
 * given stream state.
 */
export function sampleBinomial(rng: RandomStream, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  // Work with q = min(p, 1-p) so that (1-q)^n cannot underflow in the exact branch.
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  let k: number;
  if (n <= 1000 || n * q * (1 - q) < BINOMIAL_EXACT_MAX_VARIANCE) {
    const u = rng.next();
    let prob = Math.pow(1 - q, n);
    let cdf = prob;
    k = 0;
    const ratio = q / (1 - q);
    while (u >= cdf && k < n) {
      prob *= ((n - k) / (k + 1)) * ratio;
      if (prob === 0) break; // the rest of the mass is below double precision
      k++;
      cdf += prob;
    }
  } else {
    k = Math.round(rng.normal(n * q, Math.sqrt(n * q * (1 - q))));
    k = Math.min(n, Math.max(0, k));
  }
  return flip ? n - k : k;
}

/** One window that was lost `losses` times in a row (>= 1) before getting through (or never). */
export interface WindowLoss {
  /** 0-based window index. */
  window: number;
  /** Consecutive lost transmissions, capped at maxRetries + 1 (= the transfer fails there). */
  losses: number;
}

/** Loss events of a transfer of `windows` windows, sorted by window. */
export function planLosses(rng: RandomStream, windows: number, p: number, maxRetries: number): WindowLoss[] {
  const k = sampleBinomial(rng, windows, p);
  if (k === 0) return [];
  // Floyd: k distinct integers from [0, windows) with exactly k draws.
  const chosen = new Set<number>();
  for (let j = windows - k; j < windows; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  const sorted = [...chosen].sort((a, b) => a - b);
  const cap = maxRetries + 1;
  return sorted.map((window) => {
    let losses: number;
    if (p >= 1) losses = cap;
    else {
      // Inverse CDF of the geometric run length; 1 - u lies in (0, 1].
      const extra = Math.floor(Math.log(1 - rng.next()) / Math.log(p));
      losses = Math.min(cap, 1 + extra);
    }
    return { window, losses };
  });
}
