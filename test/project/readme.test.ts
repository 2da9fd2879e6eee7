/**
 * The README's examples are part of the product: every YAML scenario it shows must validate and
 * run, every site file (real mode) must validate, and its two set-up commands must be the ones CI
 * runs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenarioText } from '../../src/scenario/yaml-loader.ts';
import { resolveScenario } from '../../src/twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../../src/twin/scenario-schema.ts';
import { simulate } from '../../src/twin/simulate.ts';
import { siteSchema, type SiteFile } from '../../src/real/site/site-schema.ts';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('shows scenarios that validate and run, and site files that validate', async () => {
    const all = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => ({ text: m[1], name: `README.md#yaml-${i + 1}` }));
    // A site file (real mode) has a top-level bmc: key; a scenario never does.
    const isSite = (text: string) => /^bmc:/m.test(text);
    const sites = all.filter((b) => isSite(b.text));
    const blocks = all.filter((b) => !isSite(b.text));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(sites.length).toBeGreaterThanOrEqual(1);
    for (const site of sites) expect(loadScenarioText<SiteFile>(site.text, site.name, siteSchema).name).toBeTruthy();
    for (const { text, name } of blocks) {
      const file = loadScenarioText<ScenarioFile>(text, name, scenarioSchema);
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
