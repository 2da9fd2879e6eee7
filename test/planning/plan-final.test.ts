/**
 * The plan search's last step on made-up runs (a stand-in evaluator whose makespans are drawn per
 * setting and seed, with each setting already run on a random number of seeds, as a search leaves
 * them): the recommendation has all the seeds, no setting beats it on the seeds they share, the
 * runners-up have all the seeds and are ranked, and a tie keeps the search's own choice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareScores, scoreOf, type EvaluatedPoint, type Objective, type PlanEvaluator } from '../../src/planning/plan-evaluator.ts';
import { finalise } from '../../src/planning/plan-final.ts';
import { knobsKey, type Knobs } from '../../src/planning/plan-space.ts';
import type { RunMetrics } from '../../src/planning/run-metrics.ts';

/** Runs come from a fixed table: makespans[setting][seed]. */
function fakeEvaluator(table: number[][], done: number[]): PlanEvaluator {
  const knobs = (i: number): Knobs => ({ method: 'http', relays: 0, wave: i + 1 });
  const run = (i: number, s: number): RunMetrics => ({ seed: `x-${s + 1}`, makespan: table[i][s], failedNodes: 0, peakLinkUtilisation: 0, peakServerUtilisation: 0 });
  const points: EvaluatedPoint[] = table.map((_, i) => ({ knobs: knobs(i), key: knobsKey(knobs(i)), overrides: [], file: {} as never, bound: {} as never, runs: [] }));
  points.forEach((p, i) => (p.runs = Array.from({ length: done[i] }, (_, s) => run(i, s))));
  const fake = {
    runsUsed: 0,
    evaluated: () => points.filter((p) => p.runs.length > 0),
    evaluate: async (list: Knobs[], seeds: number) => {
      for (const k of list) {
        const i = k.wave - 1;
        for (let s = points[i].runs.length; s < seeds; s++) points[i].runs.push(run(i, s));
      }
      return list.map((k) => points[k.wave - 1]);
    },
  };
  return fake as unknown as PlanEvaluator;
}

const SEEDS = 4;
const tables = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    table: fc.array(fc.array(fc.integer({ min: 50, max: 60 }), { minLength: SEEDS, maxLength: SEEDS }), { minLength: n, maxLength: n }),
    done: fc.array(fc.integer({ min: 0, max: SEEDS }), { minLength: n, maxLength: n }),
    objective: fc.constantFrom<Objective>('p50', 'p95', 'mean'),
  }),
);

describe('plan final check', () => {
  it('leaves no setting that beats the plan on their shared seeds, and ranks full runners-up', async () => {
    await fc.assert(
      fc.asyncProperty(tables, async ({ table, done, objective }) => {
        if (!done.some((d) => d > 0)) done[0] = 1;
        const evaluator = fakeEvaluator(table, done);
        const { best, runnersUp } = await finalise(evaluator, objective, SEEDS, 3, evaluator.evaluated()[0].key);
        expect(best.runs).toHaveLength(SEEDS);
        for (const p of evaluator.evaluated()) {
          const k = p.runs.length;
          expect(compareScores(scoreOf(best.runs, k, objective), scoreOf(p.runs, k, objective))).toBeLessThanOrEqual(0);
        }
        let previous = scoreOf(best.runs, SEEDS, objective);
        for (const u of runnersUp) {
          expect(u.runs).toHaveLength(SEEDS);
          const s = scoreOf(u.runs, SEEDS, objective);
          expect(compareScores(previous, s)).toBeLessThanOrEqual(0);
          previous = s;
        }
        expect(runnersUp.length).toBe(Math.min(3, evaluator.evaluated().length - 1));
      }),
      { numRuns: 300 },
    );
  });

  it('runs a setting that beat the winner on its one seed on all the seeds', async () => {
    // Setting 1 ran on 4 seeds (mean 10); setting 2 on 1 seed only, where it did better (9).
    const evaluator = fakeEvaluator(
      [
        [10, 10, 10, 10],
        [9, 20, 20, 20],
      ],
      [4, 1],
    );
    const { best, runnersUp } = await finalise(evaluator, 'mean', 4, 0, 'none');
    expect(best.knobs.wave).toBe(1);
    expect(evaluator.evaluated()[1].runs).toHaveLength(4);
    expect(runnersUp).toEqual([]);
  });

  it('keeps the search choice on a tie', async () => {
    const evaluator = fakeEvaluator(
      [
        [10, 10],
        [10, 10],
      ],
      [2, 2],
    );
    const chosen = evaluator.evaluated()[1].key;
    expect((await finalise(evaluator, 'p95', 2, 1, chosen)).best.key).toBe(chosen);
  });
});
