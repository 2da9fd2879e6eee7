/**
 * The last step of the plan search: the recommendation is the best setting run on all the seeds,
 * and no setting the search ran may beat it on the seeds they share. Halving compares settings
 * within one race, so a setting dropped early in one race could still beat, on its few seeds, the
 * winner of a later race: any such challenger is run on all the seeds and competes again, until
 * none is left. The runners-up are raised to all the seeds too, so the table compares like with like.
 */
import { compareScores, scoreOf, type EvaluatedPoint, type Objective, type PlanEvaluator } from './plan-evaluator.ts';
import { rankAt } from './plan-halving.ts';

export interface FinalPlan {
  best: EvaluatedPoint;
  /** Best first, every one run on all the seeds. */
  runnersUp: EvaluatedPoint[];
}

/** Points below all the seeds, best first at their own level (more seeds first, then score, then key). */
function rankPartial(points: readonly EvaluatedPoint[], objective: Objective): EvaluatedPoint[] {
  return [...points].sort((a, b) => {
    if (a.runs.length !== b.runs.length) return b.runs.length - a.runs.length;
    return compareScores(scoreOf(a.runs, a.runs.length, objective), scoreOf(b.runs, b.runs.length, objective)) || (a.key < b.key ? -1 : 1);
  });
}

/** `incumbent`: the search's choice, kept on a tie. */
export async function finalise(evaluator: PlanEvaluator, objective: Objective, seeds: number, runnersUp: number, incumbent: string): Promise<FinalPlan> {
  for (;;) {
    const all = evaluator.evaluated();
    const full = all.filter((p) => p.runs.length >= seeds);
    const partial = rankPartial(
      all.filter((p) => p.runs.length < seeds),
      objective,
    );
    if (full.length === 0) {
      await evaluator.evaluate([partial[0].knobs], seeds);
      continue;
    }
    const [best, ...rest] = rankAt(full, seeds, objective, incumbent);
    const challengers = partial.filter((p) => compareScores(scoreOf(p.runs, p.runs.length, objective), scoreOf(best.runs, p.runs.length, objective)) < 0);
    if (challengers.length > 0) {
      await evaluator.evaluate(
        challengers.map((p) => p.knobs),
        seeds,
      );
      continue;
    }
    const missing = Math.min(runnersUp - rest.length, partial.length);
    if (missing > 0) {
      await evaluator.evaluate(
        partial.slice(0, missing).map((p) => p.knobs),
        seeds,
      );
      continue;
    }
    return { best, runnersUp: rest.slice(0, runnersUp) };
  }
}
