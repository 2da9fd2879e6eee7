/**
 * Statistics of a simulation result: node completion times and per-phase durations
 * (simple-statistics on sorted samples, so quantiles are exact order statistics).
 */
import { mean, quantileSorted } from 'simple-statistics';
import type { SimulationResult } from './result.ts';

export interface Stats {
  count: number;
  mean: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface Summary {
  makespan: number;
  /** Per node: the end of its last phase, seconds. */
  nodeCompletion: Stats;
  /** Per phase: durations (end - start), seconds, in order of first appearance. */
  phases: Array<{ phase: string } & Stats>;
  /** Peak utilisation of each link direction that carried traffic, busiest first. */
  peakUtilisation: Array<{ link: string; peak: number }>;
}

export function stats(samples: number[]): Stats {
  if (samples.length === 0) return { count: 0, mean: NaN, min: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(samples).sort();
  const s = Array.from(sorted);
  return {
    count: s.length,
    mean: mean(s),
    min: s[0],
    p50: quantileSorted(s, 0.5),
    p95: quantileSorted(s, 0.95),
    p99: quantileSorted(s, 0.99),
    max: s[s.length - 1],
  };
}

export function summarize(result: SimulationResult): Summary {
  const completion = new Float64Array(result.nodes);
  const byPhase = new Map<string, number[]>();
  for (const r of result.records) {
    if (r.end > completion[r.node]) completion[r.node] = r.end;
    let list = byPhase.get(r.phase);
    if (list === undefined) byPhase.set(r.phase, (list = []));
    list.push(r.end - r.start);
  }
  return {
    makespan: result.makespan,
    nodeCompletion: stats(Array.from(completion)),
    phases: [...byPhase].map(([phase, durations]) => ({ phase, ...stats(durations) })),
    peakUtilisation: result.links.map((l) => ({ link: l.name, peak: l.peakUtilisation })),
  };
}
