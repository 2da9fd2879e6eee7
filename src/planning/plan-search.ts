/**
 * The plan search: coordinate descent over the knobs (method, relays, wave), one knob at a time
 * around the incumbent, each knob's candidates raced by successive halving on the seeds
 * (plan-halving.ts). The first pass screens each numeric knob over a geometric ladder of its whole
 * range (hi, hi/4, hi/16, ..., lo); later passes try the neighbours x/f and x*f, and the step f
 * shrinks (4, 2, 1.41, 1.19) whenever a whole pass brings no improvement. It stops when the
 * smallest step brings none, or when the run budget is spent.
 *
 * A candidate whose physical lower bound is above the incumbent's objective is never run: every
 * run of it takes at least its bound (a property the tests check), so it cannot win. That is
 * what keeps the search off settings such as 8,437 nodes rsyncing from two servers with no relay,
 * whose single run would take longer than the rest of the search.
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import { compareScores, scoreOf, type EvaluatedPoint, type Objective, type PlanEvaluator } from './plan-evaluator.ts';
import { successiveHalving } from './plan-halving.ts';
import { normalise, type IntRange, type Knobs, type PlanSpace } from './plan-space.ts';

export interface SearchOptions {
  objective: Objective;
  levels: readonly number[];
  eta: number;
  /** Runs after which no new knob step starts. */
  maxRuns: number;
  /** A line per step, for progress. */
  onStep?: (line: string) => void;
}

export interface SearchOutcome {
  incumbent: EvaluatedPoint;
  passes: number;
  stoppedBy: 'converged' | 'budget';
}

const FIRST_STEP = 4;
const LAST_STEP = 1.15;
const KNOBS = ['method', 'relays', 'wave'] as const;
/** A guard: halving decides at different levels in different races, so a setting could come back. */
const MAX_PASSES = 20;

/** Whole range as a geometric ladder from the top (plus the bottom and x itself). */
function ladder(r: IntRange, x: number, f: number): number[] {
  const values = new Set([x, r.lo, r.hi]);
  for (let v = r.hi; v > Math.max(r.lo, 1); v /= f) values.add(Math.max(r.lo, Math.round(v)));
  if (r.lo === 0 && r.hi >= 1) values.add(1);
  return [...values].sort((a, b) => a - b);
}

/** x and its neighbours x/f and x*f, at least one integer away, within the range. */
function neighbours(r: IntRange, x: number, f: number): number[] {
  const up = Math.max(x + 1, Math.round(x * f));
  const down = Math.min(x - 1, Math.round(x / f));
  return [...new Set([down, x, up].map((v) => Math.min(r.hi, Math.max(r.lo, v))))].sort((a, b) => a - b);
}

function trials(space: PlanSpace, x: Knobs, knob: (typeof KNOBS)[number], f: number, broad: boolean): Knobs[] {
  if (knob === 'method') return space.methods.map((method) => normalise(space, { ...x, method }));
  const range = knob === 'relays' ? space.relayRange(x.method) : space.waveRange(x.method);
  const values = broad ? ladder(range, x[knob], f) : neighbours(range, x[knob], f);
  return values.map((v) => normalise(space, { ...x, [knob]: v }));
}

/** Candidates that could still beat the incumbent: all of them while it has failed runs (a setting without failures ranks above it whatever its makespan). */
function notRuledOut(evaluator: PlanEvaluator, incumbent: EvaluatedPoint, candidates: Knobs[], objective: Objective, onStep?: (line: string) => void): Knobs[] {
  const score = scoreOf(incumbent.runs, incumbent.runs.length, objective);
  if (score.failedShare > 0) return candidates;
  const kept = candidates.filter((k) => {
    const p = evaluator.point(k);
    return p === null || p.key === incumbent.key || !(p.bound.seconds > score.value);
  });
  if (kept.length < candidates.length) onStep?.(`  ${candidates.length - kept.length} ruled out by their lower bound (above ${score.value.toFixed(1)} s)`);
  return kept;
}

/** On the seeds both have run: a tie keeps the incumbent, so equal settings do not make the descent wander. */
function strictlyBetter(a: EvaluatedPoint, b: EvaluatedPoint, objective: Objective): boolean {
  const seeds = Math.min(a.runs.length, b.runs.length);
  return compareScores(scoreOf(a.runs, seeds, objective), scoreOf(b.runs, seeds, objective)) < 0;
}

export async function coordinateDescent(evaluator: PlanEvaluator, space: PlanSpace, o: SearchOptions): Promise<SearchOutcome> {
  const halving = { objective: o.objective, levels: o.levels, eta: o.eta };
  const first = evaluator.point(space.start) ?? (await successiveHalving(evaluator, trials(space, space.start, 'wave', FIRST_STEP, true), halving));
  if (first === null) {
    const why = evaluator.refusedSettings()[0]?.reason ?? '';
    throw new UsageError(ErrorCodes.PLAN_INFEASIBLE, `the scenario model refuses the scenario's own settings and every wave tried within the constraints: ${why}`);
  }
  // Runs at least once even when no knob has a second value to try.
  await evaluator.evaluate([first.knobs], o.levels[0]);
  let incumbent: EvaluatedPoint = first;
  let f = FIRST_STEP;
  let passes = 0;
  // Only a setting never held before counts as progress, so the descent cannot cycle.
  const held = new Set([incumbent.key]);
  for (;;) {
    let improved = false;
    for (const knob of KNOBS) {
      if (evaluator.runsUsed >= o.maxRuns) return { incumbent, passes, stoppedBy: 'budget' };
      const candidates = notRuledOut(evaluator, incumbent, trials(space, incumbent.knobs, knob, f, passes === 0), o.objective, o.onStep);
      if (candidates.length <= 1) continue;
      o.onStep?.(`pass ${passes + 1}, ${knob}: ${candidates.length} candidates around ${knob}=${incumbent.knobs[knob]} (${evaluator.runsUsed} runs so far)`);
      const winner: EvaluatedPoint = (await successiveHalving(evaluator, [incumbent.knobs, ...candidates], halving)) ?? incumbent;
      if (winner.key !== incumbent.key && strictlyBetter(winner, incumbent, o.objective)) {
        incumbent = winner;
        if (!held.has(winner.key)) improved = true;
        held.add(winner.key);
      }
    }
    passes++;
    if (passes >= MAX_PASSES) return { incumbent, passes, stoppedBy: 'converged' };
    if (!improved) {
      if (f <= LAST_STEP) return { incumbent, passes, stoppedBy: 'converged' };
      f = Math.sqrt(f);
    }
  }
}
