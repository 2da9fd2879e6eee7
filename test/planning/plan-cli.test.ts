/**
 * `deploytwin plan` end to end (in-process main()): the same plan, byte for byte, with 0 or 2
 * worker threads; what it prints (recommendation, distribution, bound ratio, runners-up, runs
 * against the cross product); constraints honoured; bad command lines exit 2 with a stable code
 * before anything runs or is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, smallScenarioFile, tempDir } from './cli-helpers.ts';

const dir = tempDir();
const small = smallScenarioFile(dir);
const DASH = 'test/server/fixtures/scenarios/dash-small.yaml';
const PLAN = ['plan', DASH, '--objective', 'p95', '--seeds', '3', '--methods', 'http,rsync,multicast', '--max-relays', '2', '--deadline', '66s'];

async function planWith(workers: number): Promise<{ out: string; err: string; json: string }> {
  const json = join(dir, `plan-w${workers}.json`);
  const r = await cli(...PLAN, '--workers', String(workers), '--json', json);
  expect(r.code, r.err).toBe(0);
  return { out: r.out, err: r.err, json: readFileSync(json, 'utf8') };
}

describe('deploytwin plan', () => {
  it('gives the same plan and file whatever the number of workers', async () => {
    const [inline, two] = [await planWith(0), await planWith(2)];
    expect(two.json).toBe(inline.json);
    expect(two.out).toBe(inline.out);
    expect(inline.err).toMatch(/plan dash-small: pass 1, method: 3 candidates/);
  }, 300_000);

  it('prints the recommendation, its distribution and bound ratio, the runners-up and the search cost', async () => {
    const { out, json } = await planWith(0);
    const r = JSON.parse(json);
    expect(out).toMatch(/^plan for dash-small: objective p95, 3 seeds \(7-1 \.\.\. 7-3\)\n {2}constraint --max-relays 2: deploy\.relays <= 2\n/);
    expect(out).toContain(`recommended: ${r.recommended.description}\n`);
    expect(out).toMatch(/ {2}makespan p50 [\d.]+ s, p95 [\d.]+ s, p99 [\d.]+ s, mean [\d.]+ s, P\(> 66 s\) [\d.]+ %\n/);
    expect(out).toMatch(/lower bound [\d.]+ s, bound by .+; p95 \/ bound = \d+\.\d\d/);
    expect(out).toContain('runners-up:\n  2. ');
    expect(out).toContain(`search: ${r.search.runs} runs over ${r.evaluated.length} settings`);
    expect(out).toContain(`the full cross product of the ranges searched is ${r.search.crossProductPoints} settings x 3 seeds = ${r.search.crossProductRuns} runs`);
    expect(r.search.runs).toBeLessThan(r.search.crossProductRuns);
    expect(r.recommended.ratio).toBeCloseTo(r.recommended.stats.makespan.p95 / r.recommended.lowerBound, 12);
    expect(r.recommended.stats.missProbability).toBe(r.recommended.stats.makespans.filter((m: number) => m > 66).length / 3);
    for (const p of [r.recommended, ...r.runnersUp]) expect(p.settings.relays).toBeLessThanOrEqual(2);
    for (const p of r.evaluated) expect(['http', 'rsync', 'multicast']).toContain(p.settings.method);
    // Above 1.3x the bound, it says what holds the plan back.
    if (r.recommended.ratio > 1.3) {
      expect(out).toContain('what holds it back');
      expect(r.recommended.diagnosis.causes.length).toBeGreaterThan(0);
    }
  }, 120_000);

  it('keeps the wave within --max-server-connections for a method without a connection cap', async () => {
    const json = join(dir, 'conn.json');
    const r = await cli('plan', small, '--objective', 'mean', '--seeds', '2', '--methods', 'rsync', '--max-server-connections', '2', '--workers', '0', '--no-progress', '--json', json);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('constraint --max-server-connections 2: services.http.maxConnections = 2');
    const result = JSON.parse(readFileSync(json, 'utf8'));
    for (const p of result.evaluated) expect(p.settings.wave).toBeLessThanOrEqual(2);
  }, 60_000);

  it.each([
    [['--objective', 'p90'], 'DT_CLI_BAD_ARGUMENT', /--objective: expected one of p50, p95, p99, mean, got "p90"/],
    [[], 'DT_CLI_BAD_ARGUMENT', /required option '--objective <stat>' not specified/],
    [['--objective', 'p95', '--max-relays', 'many'], 'DT_CLI_BAD_ARGUMENT', /--max-relays: expected a whole number >= 0/],
    [['--objective', 'p95', '--max-server-connections', '0'], 'DT_CLI_BAD_ARGUMENT', /--max-server-connections: expected a whole number >= 1/],
    [['--objective', 'p95', '--methods', 'http,ftp'], 'DT_CLI_BAD_ARGUMENT', /--methods: "ftp" is not a method of a deployment scenario/],
    [['--objective', 'p95', '--methods', 'relay'], 'DT_CLI_BAD_ARGUMENT', /--methods: "relay" is not a method of a deployment scenario/],
    [['--objective', 'p95', '--seeds', '0'], 'DT_CLI_BAD_ARGUMENT', /--seeds: expected a whole number >= 1/],
    [['--objective', 'p95', '--deadline', '15'], 'DT_CLI_BAD_ARGUMENT', /--deadline: /],
    [['--objective', 'p95', '--json', join('no', 'such', 'dir', 'p.json')], 'DT_CLI_CANNOT_WRITE', /no such directory/],
  ])('refuses %j with exit 2', async (args, code, message) => {
    const r = await cli('plan', small, '--workers', '0', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`[${code}]`);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('refuses constraints that leave no setting: the relay transfer with --max-relays 0', async () => {
    const json = join(dir, 'never.json');
    const r = await cli('plan', 'scenarios/reference/flat-169.yaml', '--objective', 'mean', '--methods', 'relay', '--max-relays', '0', '--workers', '0', '--json', json);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no method of relay can run within the constraints .* \[DT_PLAN_INFEASIBLE\]/);
    expect(existsSync(json)).toBe(false);
  });

  it('plans a transfer scenario: flat concurrency or relays, at the bound', async () => {
    const r = await cli('plan', 'scenarios/reference/flat-169.yaml', '--objective', 'mean', '--seeds', '1', '--max-relays', '4', '--workers', '0', '--no-progress');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('recommended: method=flat concurrency=all\n');
    expect(r.out).toMatch(/mean \/ bound = 1\.00 \(within 1\.3x\)/);
  }, 60_000);
});
