/**
 * The project's own regression check: every seed scenario, re-run with the seeds of its baseline
 * (scenarios/baselines/seeds.json), must not get worse than the baseline by more than 5 % (what
 * `deploytwin check scenarios/seeds/*.yaml --baseline scenarios/baselines/seeds.json` does). A
 * new seed scenario fails here until its baseline is written (`--update`). The same runs show the
 * lower bound holding on every seed scenario: no run is faster than the bound.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCheck, runCheck } from '../../src/planning/check.ts';
import { lowerBound } from '../../src/planning/lower-bound.ts';
import { defaultWorkers } from '../../src/planning/run-pool.ts';
import { loadScenario } from '../../src/twin/load.ts';

const SEEDS_DIR = join(process.cwd(), 'scenarios', 'seeds');
const seeds = readdirSync(SEEDS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => join(SEEDS_DIR, f));

describe('seed scenarios against their baseline', () => {
  it('none got worse than scenarios/baselines/seeds.json, and none ran faster than its lower bound', async () => {
    const result = await runCheck(seeds, { baselinePath: 'scenarios/baselines/seeds.json', tolerance: 0.05, workers: defaultWorkers(), update: false });
    const report = formatCheck(result, 0.05);
    expect(result.scenarios.map((s) => s.status), report).toEqual(seeds.map(() => 'ok'));
    for (const [i, s] of result.scenarios.entries()) {
      const bound = lowerBound(loadScenario(seeds[i]));
      expect(bound.seconds, `${s.name}: bound by ${bound.binding.label}`).toBeLessThanOrEqual(s.now.makespan.min * (1 + 1e-9));
    }
  }, 900_000);
});
