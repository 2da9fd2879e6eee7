/**
 * `deploytwin plan`: a recommended wave size, relay count and transfer method for a scenario,
 * found by a search (plan-search.ts: coordinate descent with successive halving on the seeds,
 * then plan-final.ts) rather than a grid, under constraints carried by real scenario parameters
 * (plan-constraints.ts). The result has the plan's makespan distribution, its ratio to the lower
 * bound, the runners-up, every setting run (with its makespans, for checking) and the run count
 * against the cross product of the ranges searched. Deterministic whatever the number of workers:
 * the search's decisions depend only on the runs, and the runs only on setting and seed.
 */
import { resolveScenario } from '../twin/scenario.ts';
import type { ScenarioFile } from '../twin/scenario-schema.ts';
import { simulate } from '../twin/simulate.ts';
import { expressConstraints, type PlanConstraints } from './plan-constraints.ts';
import { diagnose, type Diagnosis } from './plan-diagnosis.ts';
import { PlanEvaluator, type EvaluatedPoint, type Objective } from './plan-evaluator.ts';
import { finalise } from './plan-final.ts';
import { seedLevels } from './plan-halving.ts';
import { coordinateDescent } from './plan-search.ts';
import { crossProductSize, describeKnobs, parseMethods, planSpace, scenarioKind, type Knobs, type PlanSpace } from './plan-space.ts';
import { runSeeds, runStats, type RunStats } from './run-stats.ts';

/** Above this ratio to the bound the plan says what holds it back. */
export const RATIO_TO_EXPLAIN = 1.3;

export interface PlanOptions extends PlanConstraints {
  objective: Objective;
  seeds: number;
  /** Comma-separated methods, as given to --methods. */
  methods?: string;
  /** Seconds. */
  deadline?: number;
  workers: number;
  /** Runs after which the search starts no new step (the final check may add a few). */
  maxRuns: number;
  runnersUp: number;
  onStep?: (line: string) => void;
}

export interface PlanPoint {
  settings: Knobs;
  description: string;
  stats: RunStats;
  lowerBound: number;
  boundBy: string;
  /** The objective's value / the lower bound. */
  ratio: number;
}

export interface PlanResult {
  scenario: string;
  objective: Objective;
  seeds: string[];
  deadline: number | null;
  constraints: string[];
  recommended: PlanPoint & { boundTerms: Array<{ label: string; seconds: number }>; diagnosis: Diagnosis | null };
  runnersUp: PlanPoint[];
  search: { runs: number; crossProductPoints: number; crossProductRuns: number; passes: number; stoppedBy: 'converged' | 'budget'; methods: string[] };
  /** Every setting run, in key order, with the makespan and failure of each run in seed order. */
  evaluated: Array<{ settings: Knobs; makespans: number[]; failedRuns: boolean[] }>;
  refused: Array<{ settings: Knobs; reason: string }>;
}

function pointOf(space: PlanSpace, p: EvaluatedPoint, objective: Objective, deadline: number | undefined): PlanPoint {
  const stats = runStats(p.runs, deadline);
  return { settings: p.knobs, description: describeKnobs(space, p.knobs), stats, lowerBound: p.bound.seconds, boundBy: p.bound.binding.label, ratio: stats.makespan[objective] / p.bound.seconds };
}


export async function recommendPlan(file: ScenarioFile, source: string, o: PlanOptions): Promise<PlanResult> {
  const expressed = expressConstraints(file, o);
  const space = planSpace(file, { ...expressed.limits, methods: parseMethods(o.methods, scenarioKind(file)) });
  const seeds = runSeeds(String(file.seed ?? 1), o.seeds);
  const evaluator = new PlanEvaluator({ file, source, space, fixed: expressed.fixed, seeds, workers: o.workers });
  let outcome: Awaited<ReturnType<typeof coordinateDescent>>;
  let final: Awaited<ReturnType<typeof finalise>>;
  try {
    outcome = await coordinateDescent(evaluator, space, { objective: o.objective, levels: seedLevels(o.seeds), eta: 2, maxRuns: o.maxRuns, onStep: o.onStep });
    o.onStep?.(`final check: every setting that could beat ${describeKnobs(space, outcome.incumbent.knobs)} on its seeds, on all ${o.seeds} seeds`);
    final = await finalise(evaluator, o.objective, o.seeds, o.runnersUp, outcome.incumbent.key);
  } finally {
    await evaluator.close();
  }
  const best = pointOf(space, final.best, o.objective, o.deadline);
  let diagnosis: Diagnosis | null = null;
  if (best.ratio > RATIO_TO_EXPLAIN) {
    // One more run of the plan, in this thread, for its full result (phases, links).
    const scenario = resolveScenario(final.best.file, source);
    diagnosis = diagnose(scenario, final.best.bound, await simulate(scenario, { seed: seeds[0] }));
  }
  const points = crossProductSize(space);
  return {
    scenario: file.name,
    objective: o.objective,
    seeds,
    deadline: o.deadline ?? null,
    constraints: expressed.notes,
    recommended: { ...best, boundTerms: final.best.bound.terms.map((t) => ({ label: t.label, seconds: t.seconds })), diagnosis },
    runnersUp: final.runnersUp.map((p) => pointOf(space, p, o.objective, o.deadline)),
    search: { runs: evaluator.runsUsed, crossProductPoints: points, crossProductRuns: points * o.seeds, passes: outcome.passes, stoppedBy: outcome.stoppedBy, methods: space.methods },
    evaluated: evaluator.evaluated().map((p) => ({ settings: p.knobs, makespans: p.runs.map((r) => r.makespan), failedRuns: p.runs.map((r) => r.failedNodes > 0) })),
    refused: evaluator.refusedSettings().map((r) => ({ settings: r.knobs, reason: r.reason })),
  };
}
