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
  /** Link directions grouped by kind ("node#.access:up"), with their peak utilisation (0..1). */
  linkKinds: LinkKind[];
}

export interface LinkKind {
  kind: string;
  count: number;
  /** Highest peak utilisation among the kind's links. */
  max: number;
  /** Mean of their peak utilisations. */
  mean: number;
}

/**
 * Groups link directions by kind (digits replaced by #) so that thousands of links read as a few
 * lines; kinds in order of first appearance (server, uplinks, access, as the topology built them).
 */
export function linkKinds(links: SimulationResult['links']): LinkKind[] {
  const kinds = new Map<string, { kind: string; count: number; max: number; sum: number }>();
  for (const l of links) {
    const kind = l.name.replace(/\d+/g, '#');
    let k = kinds.get(kind);
    if (k === undefined) kinds.set(kind, (k = { kind, count: 0, max: 0, sum: 0 }));
    k.count++;
    k.sum += l.peakUtilisation;
    if (l.peakUtilisation > k.max) k.max = l.peakUtilisation;
  }
  return [...kinds.values()].map((k) => ({ kind: k.kind, count: k.count, max: k.max, mean: k.sum / k.count }));
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
    linkKinds: linkKinds(result.links),
  };
}
