/**
 * `deploytwin sweep` end to end: the same sweep gives byte-identical CSV and JSON with 0, 1 or 2
 * worker threads (in-process main()), each point's runs equal single `simulate` runs of the
 * scenario edited to that point, the real binary runs it with workers too, and bad command lines
 * fail with exit 2 before anything runs or is written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, smallScenarioFile, tempDir } from './cli-helpers.ts';

const dir = tempDir();
const scenario = smallScenarioFile(dir);
const SWEEP = ['sweep', scenario, '--set', 'relays=0,1', '--set', 'wave=2,6', '--seeds', '2', '--deadline', '70s'];

async function sweepWith(workers: number): Promise<{ out: string; err: string; csv: string; json: string }> {
  const csv = join(dir, `w${workers}.csv`);
  const json = join(dir, `w${workers}.json`);
  const r = await cli(...SWEEP, '--workers', String(workers), '--csv', csv, '--json', json);
  expect(r.code, r.err).toBe(0);
  return { out: r.out, err: r.err, csv: readFileSync(csv, 'utf8'), json: readFileSync(json, 'utf8') };
}

describe('deploytwin sweep', () => {
  it('gives byte-identical files whatever the number of workers', async () => {
    const [inline, one, two] = [await sweepWith(0), await sweepWith(1), await sweepWith(2)];
    expect(one.csv).toBe(inline.csv);
    expect(two.csv).toBe(inline.csv);
    expect(one.json).toBe(inline.json);
    expect(two.json).toBe(inline.json);
    expect(two.out).toBe(inline.out);
    expect(two.err).toContain('sweep small: 8/8 runs (100%)');
  }, 300_000);

  it('writes one row per point with parameters, statistics, P(miss), utilisations and the lower bound', async () => {
    const { csv, json, out } = await sweepWith(0);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'point,relays,wave,seeds,makespan_mean,makespan_p50,makespan_p95,makespan_p99,makespan_min,makespan_max,failed_runs,failed_nodes_mean,p_miss,peak_link_utilisation,peak_server_utilisation,lower_bound,bound_by,ratio',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['1,0,2,2', '2,0,6,2', '3,1,2,2', '4,1,6,2']);
    const result = JSON.parse(json);
    expect(result.seeds).toEqual(['3-1', '3-2']);
    expect(result.deadline).toBe(70);
    for (const row of result.rows) {
      expect(row.makespans).toHaveLength(2);
      expect(row.missProbability).toBe(row.makespans.filter((m: number) => m > 70).length / 2);
      expect(row.lowerBound).toBeLessThanOrEqual(row.makespan.min);
      expect(row.ratio).toBeCloseTo(row.makespan.mean / row.lowerBound, 12);
    }
    // Two seeds draw different POST times, so the runs differ.
    expect(new Set(result.rows[0].makespans).size).toBe(2);
    expect(out).toMatch(/^small: best 4 of 4 points, 2 seeds each; P\(miss\) = share of runs over the deadline \(70 s\)/);
    expect(out.split('\n')[1]).toMatch(/^#\s+relays\s+wave\s+mean s\s+p50 s\s+p95 s\s+p99 s\s+P\(miss\)\s+failed\s+link %\s+server %\s+bound s\s+x bound\s+bound by$/);
  });

  it('gives at every point the makespans of single simulate runs of the scenario edited to that point', async () => {
    const { json } = await sweepWith(2);
    const rows = JSON.parse(json).rows as Array<{ makespans: number[] }>;
    const points = [
      [0, 2],
      [0, 6],
      [1, 2],
      [1, 6],
    ];
    const base = readFileSync(scenario, 'utf8');
    for (const [i, [relays, wave]] of points.entries()) {
      const edited = join(dir, `point-${i + 1}.yaml`);
      writeFileSync(edited, `${base}deploy: { relays: ${relays}, wave: ${wave} }\n`);
      for (const [k, seed] of ['3-1', '3-2'].entries()) {
        const r = await cli('simulate', edited, '--seed', seed, '--json');
        expect(r.code, r.err).toBe(0);
        expect(rows[i].makespans[k]).toBe(JSON.parse(r.out).summary.makespan);
      }
    }
  });

  it('runs from the real binary with worker threads', () => {
    const csv = join(dir, 'bin.csv');
    const r = spawnSync(process.execPath, [join(process.cwd(), 'bin', 'deploytwin.js'), ...SWEEP, '--workers', '2', '--csv', csv], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(csv, 'utf8')).toBe(readFileSync(join(dir, 'w0.csv'), 'utf8'));
  }, 150_000);

  it.each([
    [['--set', 'wave=0'], 'DT_PLAN_BAD_SET', /point 1 of 1 \(wave=0\): deploy\.wave: expected an integer >= 1/],
    [['--set', 'deploy.wavee=2'], 'DT_PLAN_BAD_SET', /unknown key "wavee" in deploy \(did you mean "wave"\?\)/],
    [['--set', 'networks.eth.access=1Gb/s..10Gb/s/1Gb/s'], 'DT_PLAN_BAD_SET', /ranges are plain numbers/],
    [['--seeds', '0'], 'DT_CLI_BAD_ARGUMENT', /--seeds: expected a whole number >= 1, got "0"/],
    [['--workers', 'many'], 'DT_CLI_BAD_ARGUMENT', /--workers: expected a whole number >= 0/],
    [['--deadline', '15'], 'DT_CLI_BAD_ARGUMENT', /--deadline: /],
    [['--json', join('no', 'such', 'dir', 'x.json')], 'DT_CLI_CANNOT_WRITE', /no such directory/],
  ])('refuses %j with exit 2, writing nothing', async (args, code, message) => {
    const csv = join(dir, 'refused.csv');
    const r = await cli('sweep', scenario, '--workers', '0', '--csv', csv, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`[${code}]`);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    expect(existsSync(csv)).toBe(false);
  });
});
