/**
 * Successive halving on the seeds: every candidate runs on the first seed level (1 seed), the best
 * 1/eta of them go on to the next level (twice the seeds), and so on up to all the seeds or one
 * survivor. Cheap settings are told apart on few runs; only the promising ones pay for many.
 * A point's score at a level uses its first `level` seeds, so points compare on the same seeds.
 */
import { compareScores, scoreOf, type EvaluatedPoint, type Objective, type PlanEvaluator } from './plan-evaluator.ts';
import type { Knobs } from './plan-space.ts';

/** Seed counts of the levels: 1, 2, 4, ... up to `seeds` (always the last). */
export function seedLevels(seeds: number): number[] {
  const levels: number[] = [];
  for (let l = 1; l < seeds; l *= 2) levels.push(l);
  levels.push(seeds);
  return levels;
}

/** Best first at `seeds` seeds (each point must have that many runs); ties: `preferred` first, then by setting key. */
export function rankAt(points: readonly EvaluatedPoint[], seeds: number, objective: Objective, preferred?: string): EvaluatedPoint[] {
  const scored = points.map((p) => ({ p, s: scoreOf(p.runs, seeds, objective) }));
  const first = (p: EvaluatedPoint) => (p.key === preferred ? 0 : 1);
  scored.sort((a, b) => compareScores(a.s, b.s) || first(a.p) - first(b.p) || (a.p.key < b.p.key ? -1 : a.p.key > b.p.key ? 1 : 0));
  return scored.map((x) => x.p);
}

export interface HalvingOptions {
  objective: Objective;
  levels: readonly number[];
  /** Keep the best 1/eta at each level (at least one). */
  eta: number;
}

/** The best candidate after halving, or null when the model refuses every one. */
export async function successiveHalving(evaluator: PlanEvaluator, candidates: readonly Knobs[], o: HalvingOptions): Promise<EvaluatedPoint | null> {
  let alive = candidates.map((k) => evaluator.point(k)).filter((p): p is EvaluatedPoint => p !== null);
  alive = [...new Map(alive.map((p) => [p.key, p])).values()];
  if (alive.length === 0) return null;
  for (let i = 0; ; i++) {
    await evaluator.evaluate(
      alive.map((p) => p.knobs),
      o.levels[i],
    );
    const ranked = rankAt(alive, o.levels[i], o.objective);
    if (i === o.levels.length - 1 || ranked.length === 1) return ranked[0];
    alive = ranked.slice(0, Math.max(1, Math.ceil(ranked.length / o.eta)));
  }
}
