/**
 * The README's examples are part of the product: every YAML scenario it shows must validate and
 * run, and its two set-up commands must be the ones CI runs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenarioText } from '../../src/scenario/yaml-loader.ts';
import { resolveScenario } from '../../src/twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../../src/twin/scenario-schema.ts';
import { simulate } from '../../src/twin/simulate.ts';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('shows scenarios that validate and run', async () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [i, text] of blocks.entries()) {
      const file = loadScenarioText<ScenarioFile>(text, `README.md#yaml-${i + 1}`, scenarioSchema);
      const result = await simulate(resolveScenario(file));
      expect(result.records.length).toBeGreaterThan(0);
      expect(result.failures).toEqual([]);
    }
  }, 120_000);

  it('has exactly two set-up commands near the top, and CI runs the test one unchanged', () => {
    const top = readme.split('\n').slice(0, 20).join('\n');
    const commands = top.split('\n').filter((l) => /^(\S+ && )?npm ci && /.test(l));
    expect(commands).toHaveLength(2);
    const testCommand = commands.find((c) => c.includes('npm test'))!.split('#')[0].trim();
    expect(readFileSync('.ci/run', 'utf8')).toContain(testCommand);
  });
});
