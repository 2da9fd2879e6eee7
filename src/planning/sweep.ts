/**
 * A what-if sweep: the cross product of the --set values over one scenario, each point checked as
 * a file would be (overrides.ts) before anything runs, then every point run with the same seeds
 * (run-stats.ts) in parallel (run-pool.ts), and reduced to one row per point with its lower bound.
 * Points are ordered like nested loops, the first --set varying slowest.
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import { loadScenarioSource } from '../twin/load.ts';
import type { ScenarioFile } from '../twin/scenario-schema.ts';
import type { LowerBound } from './lower-bound.ts';
import { checkOverrides, describeOverrides, type Override } from './overrides.ts';
import { runTasks } from './run-pool.ts';
import type { RunTask } from './run-metrics.ts';
import { runSeeds, runStats, type RunStats } from './run-stats.ts';
import { scenarioKind } from './plan-space.ts';
import { parseSet, type SetSpec } from './set-spec.ts';

/** Most simulation runs one sweep may ask for (points x seeds). */
export const MAX_SWEEP_RUNS = 1_000_000;

export interface SweepPoint {
  /** 1-based, in sweep order. */
  index: number;
  overrides: Override[];
  file: ScenarioFile;
  bound: LowerBound;
}

export interface SweepPlan {
  scenario: string;
  source: string;
  sets: SetSpec[];
  seeds: string[];
  points: SweepPoint[];
}

export interface SweepRow extends RunStats {
  point: number;
  /** Value of each --set, by its NAME as written. */
  parameters: Record<string, unknown>;
  lowerBound: number;
  /** The label of the bound's binding term. */
  boundBy: string;
  /** Mean makespan / lower bound. */
  ratio: number;
}

export interface SweepResult {
  scenario: string;
  /** The seeds of every point's runs. */
  seeds: string[];
  /** Seconds, or null. */
  deadline: number | null;
  parameters: Array<{ name: string; path: string }>;
  rows: SweepRow[];
}

function crossProduct(sets: readonly SetSpec[]): Override[][] {
  let points: Override[][] = [[]];
  for (const set of sets) points = points.flatMap((p) => set.values.map((value) => [...p, { name: set.name, path: set.path, value }]));
  return points;
}

/** Loads the scenario, parses the --set arguments and checks every point. */
export function planSweep(scenarioArg: string, setArgs: readonly string[], seeds: number): SweepPlan {
  const { file, source } = loadScenarioSource(scenarioArg);
  const kind = scenarioKind(file);
  const sets = setArgs.map((a) => parseSet(a, kind));
  const seen = new Map<string, string>();
  for (const s of sets) {
    const path = s.path.join('.');
    if (seen.has(path)) throw new UsageError(ErrorCodes.PLAN_BAD_SET, `--set ${s.name}: sets ${path}, which --set ${seen.get(path)} sets already`);
    seen.set(path, s.name);
  }
  const combos = crossProduct(sets);
  if (combos.length * seeds > MAX_SWEEP_RUNS) {
    throw new UsageError(ErrorCodes.PLAN_BAD_SET, `${combos.length} points x ${seeds} seeds = ${combos.length * seeds} runs, more than ${MAX_SWEEP_RUNS}`);
  }
  const points = combos.map((overrides, i) => {
    const what = overrides.length === 0 ? 'the scenario' : `point ${i + 1} of ${combos.length} (${describeOverrides(overrides)})`;
    const { file: checked, bound } = checkOverrides(file, source, overrides, what);
    return { index: i + 1, overrides, file: checked, bound };
  });
  return { scenario: file.name, source, sets, seeds: runSeeds(String(file.seed ?? 1), seeds), points };
}

export interface SweepOptions {
  workers: number;
  /** Seconds. */
  deadline?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function runSweep(plan: SweepPlan, options: SweepOptions): Promise<SweepResult> {
  const tasks: RunTask[] = plan.points.flatMap((p) => plan.seeds.map((seed) => ({ file: p.file, source: plan.source, seed })));
  const n = plan.seeds.length;
  const describe = (i: number) => {
    const p = plan.points[Math.floor(i / n)];
    return `point ${p.index}${p.overrides.length ? ` (${describeOverrides(p.overrides)})` : ''}, seed ${plan.seeds[i % n]}`;
  };
  const metrics = await runTasks(tasks, { workers: options.workers, onProgress: options.onProgress, describe });
  const rows = plan.points.map((p, i): SweepRow => {
    const stats = runStats(metrics.slice(i * n, (i + 1) * n), options.deadline);
    return {
      point: p.index,
      parameters: Object.fromEntries(p.overrides.map((o) => [o.name, o.value])),
      ...stats,
      lowerBound: p.bound.seconds,
      boundBy: p.bound.binding.label,
      ratio: stats.makespan.mean / p.bound.seconds,
    };
  });
  return {
    scenario: plan.scenario,
    seeds: plan.seeds,
    deadline: options.deadline ?? null,
    parameters: plan.sets.map((s) => ({ name: s.name, path: s.path.join('.') })),
    rows,
  };
}
