/**
 * `deploytwin check` end to end (in-process main()): --update writes a baseline, an unchanged
 * scenario passes, a worse one fails with exit 1 and a readable diff, and a missing or malformed
 * baseline or a mismatched --seeds is a usage error (exit 2).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASELINE_FORMAT, type Baseline } from '../../src/planning/baseline.ts';
import { cli, smallScenarioFile, tempDir } from './cli-helpers.ts';

const dir = tempDir();
const scenario = smallScenarioFile(dir);
const other = smallScenarioFile(dir, 'other');
const baseline = join(dir, 'baseline.json');
const check = (...args: string[]) => cli('check', scenario, '--baseline', baseline, '--workers', '0', ...args);
const read = (): Baseline => JSON.parse(readFileSync(baseline, 'utf8'));
const edit = (f: (b: Baseline) => void) => {
  const b = read();
  f(b);
  writeFileSync(baseline, JSON.stringify(b));
};

describe('deploytwin check', () => {
  it('refuses to compare without a baseline file', async () => {
    const r = await check();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no baseline file .*baseline\.json: run with --update to create it \[DT_PLAN_BAD_BASELINE\]/);
  });

  it('--update writes the figures of the runs, with the number of seeds', async () => {
    const r = await check('--update', '--seeds', '2');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^small \(2 runs, makespan mean .*\): baseline updated\n$/);
    const b = read();
    expect(b.format).toBe(BASELINE_FORMAT);
    expect(Object.keys(b.scenarios)).toEqual(['small']);
    expect(b.scenarios.small.seeds).toBe(2);
    expect(b.scenarios.small.makespan.p95).toBeGreaterThanOrEqual(b.scenarios.small.makespan.p50);
    expect(b.scenarios.small.failedRuns).toBe(0);
  });

  it('passes (exit 0) when nothing changed, re-running with the baseline\'s seeds', async () => {
    const r = await check();
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^small \(2 runs, makespan mean .*\): ok \(tolerance 5%\)\n$/);
  });

  it('fails (exit 1) with metric, baseline, now and change when a metric got worse beyond the tolerance', async () => {
    const p95 = read().scenarios.small.makespan.p95;
    edit((b) => (b.scenarios.small.makespan.p95 = p95 / 1.2));
    const r = await check();
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^small \(2 runs, .*\): WORSE \(tolerance 5%\)$/);
    expect(lines[1]).toMatch(/^ {2}metric\s+baseline\s+now\s+change$/);
    expect(lines[2]).toMatch(new RegExp(`^ {2}makespan p95 \\(s\\)\\s+${(p95 / 1.2).toFixed(1)}\\s+${p95.toFixed(1)}\\s+\\+20\\.0%\\s+worse$`));
    expect(lines).toHaveLength(3);
    // Within a wider tolerance it passes.
    expect((await check('--tolerance', '25%')).code).toBe(0);
    edit((b) => (b.scenarios.small.makespan.p95 = p95));
  });

  it('lists improvements without failing, and a failure count appearing from zero as worse', async () => {
    edit((b) => {
      b.scenarios.small.makespan.mean *= 2;
      b.scenarios.small.peakLinkUtilisation = 0;
    });
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/makespan mean \(s\)\s+\S+\s+\S+\s+-50\.0%\s+better/);
    expect(r.out).toMatch(/peak link utilisation\s+0\s+1\s+new\s+worse/);
    edit((b) => (b.scenarios.small.peakLinkUtilisation = 1));
    expect((await check()).code).toBe(0);
  });

  it('fails for a scenario missing from the baseline, and --update adds it beside the others', async () => {
    const r = await cli('check', scenario, other, '--baseline', baseline, '--workers', '0');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^other \(3 runs, .*\): NOT IN BASELINE \(run with --update to add it\)$/m);
    expect((await cli('check', other, '--baseline', baseline, '--workers', '0', '--update', '--seeds', '1')).code).toBe(0);
    expect(Object.keys(read().scenarios)).toEqual(['other', 'small']);
    expect(read().scenarios.other.seeds).toBe(1);
  });

  it('refuses --seeds that differ from the baseline\'s, a bad tolerance and a malformed baseline (exit 2)', async () => {
    const seeds = await check('--seeds', '3');
    expect(seeds.code).toBe(2);
    expect(seeds.err).toMatch(/--seeds 3: the baseline of small has 2 runs/);
    const tolerance = await check('--tolerance', 'five');
    expect(tolerance.code).toBe(2);
    expect(tolerance.err).toContain('[DT_CLI_BAD_ARGUMENT]');
    writeFileSync(baseline, '{"format": "deploytwin-baseline/1", "scenarios": {"small": {"seeds": 2}}}');
    const malformed = await check();
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/scenario "small": expected seeds, makespan .* \[DT_PLAN_BAD_BASELINE\]/);
    writeFileSync(baseline, 'not json');
    expect((await check()).err).toMatch(/not readable as JSON/);
    expect(existsSync(`${baseline}.tmp-${process.pid}`)).toBe(false);
  });
});
