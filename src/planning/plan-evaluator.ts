/**
 * The plan search's memory of what it ran: each setting checked once (as a file would be, with the
 * constraints' fixed overrides), and its runs kept per seed, so that asking for more seeds of a
 * setting only runs the seeds it lacks. Every batch goes through the run pool (run-pool.ts); the
 * results are keyed by setting and seed, so the search sees the same numbers whatever the number
 * of workers. A setting the scenario model refuses (a check error) is remembered as infeasible.
 */
import { UsageError } from '../errors.ts';
import type { ScenarioFile } from '../twin/scenario-schema.ts';
import type { LowerBound } from './lower-bound.ts';
import { checkOverrides, describeOverrides, type Override } from './overrides.ts';
import { knobOverrides, knobsKey, type Knobs, type PlanSpace } from './plan-space.ts';
import { RunPool } from './run-pool.ts';
import type { RunMetrics, RunTask } from './run-metrics.ts';
import { makespanStats } from './run-stats.ts';

export type Objective = 'p50' | 'p95' | 'p99' | 'mean';
export const OBJECTIVES: readonly Objective[] = ['p50', 'p95', 'p99', 'mean'];

export interface EvaluatedPoint {
  knobs: Knobs;
  key: string;
  overrides: Override[];
  file: ScenarioFile;
  bound: LowerBound;
  /** Runs so far, in seed order: runs[i] used seed i + 1. */
  runs: RunMetrics[];
}

/** Lower is better: first the share of runs with a node that did not deploy, then the objective. */
export interface Score {
  failedShare: number;
  value: number;
}

/** The score of a point's first `seeds` runs. */
export function scoreOf(runs: readonly RunMetrics[], seeds: number, objective: Objective): Score {
  const first = runs.slice(0, seeds);
  return { failedShare: first.filter((r) => r.failedNodes > 0).length / first.length, value: makespanStats(first.map((r) => r.makespan))[objective] };
}

export function compareScores(a: Score, b: Score): number {
  return a.failedShare - b.failedShare || a.value - b.value;
}

export interface EvaluatorOptions {
  file: ScenarioFile;
  source: string;
  space: PlanSpace;
  /** Overrides of the constraints, applied to every point before its knobs. */
  fixed: Override[];
  /** Every seed the search may use, in order. */
  seeds: string[];
  workers: number;
  /** After each batch: runs so far. */
  onBatch?: (runsUsed: number) => void;
}

export class PlanEvaluator {
  runsUsed = 0;
  private readonly points = new Map<string, EvaluatedPoint>();
  private readonly refused = new Map<string, { knobs: Knobs; reason: string }>();
  /** One pool for every batch of the search (close() ends its threads). */
  private readonly pool: RunPool;

  constructor(private readonly o: EvaluatorOptions) {
    this.pool = new RunPool(o.workers);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** The checked point of a setting, or null when the model refuses it. */
  point(knobs: Knobs): EvaluatedPoint | null {
    const key = knobsKey(knobs);
    const known = this.points.get(key);
    if (known !== undefined) return known;
    if (this.refused.has(key)) return null;
    const overrides = [...this.o.fixed, ...knobOverrides(this.o.space, knobs)];
    try {
      const checked = checkOverrides(this.o.file, this.o.source, overrides, describeOverrides(overrides));
      const p: EvaluatedPoint = { knobs, key, overrides, file: checked.file, bound: checked.bound, runs: [] };
      this.points.set(key, p);
      return p;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      this.refused.set(key, { knobs, reason: e.message });
      return null;
    }
  }

  /** Runs every feasible setting of `list` up to `seeds` seeds (in one parallel batch); returns those points. */
  async evaluate(list: readonly Knobs[], seeds: number): Promise<EvaluatedPoint[]> {
    const points = [...new Map(list.map((k) => [knobsKey(k), k])).values()].map((k) => this.point(k)).filter((p): p is EvaluatedPoint => p !== null);
    const wanted: Array<{ point: EvaluatedPoint; seed: number }> = [];
    for (const p of points) for (let s = p.runs.length; s < seeds; s++) wanted.push({ point: p, seed: s });
    if (wanted.length > 0) {
      const tasks: RunTask[] = wanted.map((w) => ({ file: w.point.file, source: this.o.source, seed: this.o.seeds[w.seed] }));
      const describe = (i: number) => `${describeOverrides(wanted[i].point.overrides)}, seed ${this.o.seeds[wanted[i].seed]}`;
      const metrics = await this.pool.run(tasks, { describe });
      // Seeds of one point are asked in increasing order, so each lands at its own index.
      wanted.forEach((w, i) => (w.point.runs[w.seed] = metrics[i]));
      this.runsUsed += tasks.length;
      this.o.onBatch?.(this.runsUsed);
    }
    return points;
  }

  /** Every point that has runs, in key order. */
  evaluated(): EvaluatedPoint[] {
    return [...this.points.values()].filter((p) => p.runs.length > 0).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Settings the scenario model refused, with its reason, in key order. */
  refusedSettings(): Array<{ knobs: Knobs; reason: string }> {
    return [...this.refused.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  }
}
