/**
 * Statistics of several runs: percentiles are simple-statistics' order statistics, and the
 * probability of missing a deadline is an exact share of the runs.
 */
import { quantileSorted } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import type { RunMetrics } from '../../src/planning/run-metrics.ts';
import { makespanStats, missProbability, runSeeds, runStats } from '../../src/planning/run-stats.ts';

const run = (makespan: number, failedNodes = 0, link = 0.5, server = 0.25): RunMetrics => ({ seed: 's', makespan, failedNodes, peakLinkUtilisation: link, peakServerUtilisation: server });

describe('makespanStats', () => {
  it('gives simple-statistics quantiles of the sorted runs, whatever their order', () => {
    const xs = [7, 3, 9, 1, 5, 2, 8, 10, 4, 6];
    const sorted = [...xs].sort((a, b) => a - b);
    expect(makespanStats(xs)).toEqual({
      mean: 5.5,
      p50: quantileSorted(sorted, 0.5),
      p95: quantileSorted(sorted, 0.95),
      p99: quantileSorted(sorted, 0.99),
      min: 1,
      max: 10,
    });
    // Known values: the median of 1..10 is 5.5; p95 and p99 interpolate between the 9th and 10th values.
    const s = makespanStats(xs);
    expect(s.p50).toBe(5.5);
    expect(s.p95).toBeCloseTo(9.55, 12);
    expect(s.p99).toBeCloseTo(9.91, 12);
  });

  it('on 1..100: p50 50.5, p95 95.05, p99 99.01', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    const s = makespanStats(xs);
    expect(s).toMatchObject({ mean: 50.5, p50: 50.5, min: 1, max: 100 });
    expect(s.p95).toBeCloseTo(95.05, 12);
    expect(s.p99).toBeCloseTo(99.01, 12);
  });

  it('a single run is every percentile', () => {
    expect(makespanStats([42])).toEqual({ mean: 42, p50: 42, p95: 42, p99: 42, min: 42, max: 42 });
  });
});

describe('missProbability', () => {
  it('is the exact share of runs over the deadline; a run at the deadline meets it', () => {
    const runs = [run(100), run(200), run(300), run(400)];
    expect(missProbability(runs, 250)).toBe(0.5);
    expect(missProbability(runs, 300)).toBe(0.25);
    expect(missProbability(runs, 99)).toBe(1);
    expect(missProbability(runs, 400)).toBe(0);
  });

  it('counts a run with a failed node as missing, however fast', () => {
    expect(missProbability([run(100, 1), run(200), run(300), run(400)], 250)).toBe(0.75);
  });
});

describe('runStats', () => {
  it('keeps runs in seed order, counts failures and takes the highest utilisations', () => {
    const s = runStats([run(30, 0, 0.4, 0.9), run(10, 2, 1, 0.2), run(20, 0, 0.7, 0.5)], 25);
    expect(s).toMatchObject({ runs: 3, failedRuns: 1, failedNodesMean: 2 / 3, missProbability: 2 / 3, peakLinkUtilisation: 1, peakServerUtilisation: 0.9, makespans: [30, 10, 20] });
    expect(runStats([run(1)]).missProbability).toBeNull();
  });

  it('names run i of a scenario seeded S "S-i"', () => {
    expect(runSeeds('1', 3)).toEqual(['1-1', '1-2', '1-3']);
  });
});
