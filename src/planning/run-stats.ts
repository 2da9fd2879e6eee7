/**
 * The statistics of several runs of one scenario (one sweep point, one checked scenario): makespan
 * mean and percentiles, failures, the probability of missing a deadline, peak utilisations.
 *
 * Seeds: run i (1-based) of a scenario whose seed is S uses the seed "S-i", so a point's runs are
 * the same whatever else is swept, and a scenario's runs the same in a sweep and in a check.
 */
import { mean, quantileSorted } from 'simple-statistics';
import type { RunMetrics } from './run-metrics.ts';

/** Seconds. Percentiles are simple-statistics' quantileSorted (interpolating between order statistics). */
export interface MakespanStats {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

export interface RunStats {
  runs: number;
  makespan: MakespanStats;
  /** Runs in which at least one node did not deploy. */
  failedRuns: number;
  /** Nodes that did not deploy, per run on average. */
  failedNodesMean: number;
  /**
   * Share of runs that missed the deadline: makespan above it, or a node that never deployed (such
   * a run never completes). null without a deadline.
   */
  missProbability: number | null;
  /** Highest over the runs (see RunMetrics). */
  peakLinkUtilisation: number;
  peakServerUtilisation: number;
  /** Each run's makespan, in seed order. */
  makespans: number[];
}

/** The seeds of `count` runs of a scenario whose own seed is `seed`: "seed-1" ... "seed-count". */
export function runSeeds(seed: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${seed}-${i + 1}`);
}

export function makespanStats(samples: readonly number[]): MakespanStats {
  const sorted = Array.from(Float64Array.from(samples).sort());
  return {
    mean: mean(sorted),
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** Share of runs that missed `deadline` seconds (see RunStats.missProbability). */
export function missProbability(runs: readonly RunMetrics[], deadline: number): number {
  return runs.filter((r) => r.makespan > deadline || r.failedNodes > 0).length / runs.length;
}

/** Statistics of a non-empty list of runs, in seed order. */
export function runStats(runs: readonly RunMetrics[], deadline?: number): RunStats {
  const makespans = runs.map((r) => r.makespan);
  return {
    runs: runs.length,
    makespan: makespanStats(makespans),
    failedRuns: runs.filter((r) => r.failedNodes > 0).length,
    failedNodesMean: runs.reduce((s, r) => s + r.failedNodes, 0) / runs.length,
    missProbability: deadline === undefined ? null : missProbability(runs, deadline),
    peakLinkUtilisation: Math.max(...runs.map((r) => r.peakLinkUtilisation)),
    peakServerUtilisation: Math.max(...runs.map((r) => r.peakServerUtilisation)),
    makespans,
  };
}
