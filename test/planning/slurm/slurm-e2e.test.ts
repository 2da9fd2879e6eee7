/**
 * A sweep split over a REAL single-node Slurm (munged, slurmctld and slurmd started by the test,
 * see slurm-cluster.ts) and merged: `deploytwin sweep --slurm` submits a job array with sbatch,
 * every array task runs `node bin/deploytwin.js sweep task`, and `sweep merge` must give the same
 * CSV, JSON and table bytes as the same sweep run here. Needs root and Debian's slurmctld, slurmd,
 * slurm-client and munge (scripts/install-system-deps.sh); skipped with the reason printed
 * otherwise. Prints its wall times: informative only, nothing is asserted on them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../cli-helpers.ts';
import { SlurmCluster, slurmUnavailable } from './slurm-cluster.ts';

const missing = slurmUnavailable();
if (missing.length > 0) console.warn(`[slurm-e2e.test] skipped: ${missing.join('; ')} (run scripts/install-system-deps.sh as root)`);

const SCENARIO = join(process.cwd(), 'test', 'server', 'fixtures', 'scenarios', 'dash-small.yaml');
const SPEC = [SCENARIO, '--set', 'wave=2,4,12', '--set', 'relays=0,2', '--seeds', '3', '--deadline', '5min'];
const TASKS = 4;
const DONE_TIMEOUT_MS = 180_000;
const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(missing.length > 0)('sweep on a real single-node Slurm', () => {
  let cluster: SlurmCluster | undefined;
  let savedConf: string | undefined;
  const times: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = Date.now();
    cluster = await SlurmCluster.start();
    times['cluster up'] = Date.now() - t0;
    // sbatch, run by the CLI in this process, finds the test cluster through SLURM_CONF.
    savedConf = process.env.SLURM_CONF;
    process.env.SLURM_CONF = cluster.conf;
  }, 60_000);

  afterAll(async () => {
    if (savedConf === undefined) delete process.env.SLURM_CONF;
    else process.env.SLURM_CONF = savedConf;
    const t0 = Date.now();
    await cluster?.stop();
    times['cluster down'] = Date.now() - t0;
    console.log(`[slurm-e2e.test] wall times (ms): ${JSON.stringify(times)}`);
  }, 60_000);

  /** The array's tasks and their states, once every task has reached a final state. */
  async function finished(jobId: number): Promise<Map<string, string>> {
    const end = Date.now() + DONE_TIMEOUT_MS;
    while (Date.now() < end) {
      const r = cluster!.run('squeue', '-h', '-r', '-t', 'all', '-j', String(jobId), '-o', '%i %T');
      const states = new Map(r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
      if (states.size === TASKS && [...states.values()].every((s) => FINAL.has(s))) return states;
      await sleep(250);
    }
    throw new Error(`job ${jobId} not finished after ${DONE_TIMEOUT_MS} ms:\n${cluster!.run('squeue', '-r', '-t', 'all').stdout}\n${cluster!.logs()}`);
  }

  it('merges the array tasks into the bytes of a local sweep', async () => {
    const dir = tempDir();
    const local = { csv: join(dir, 'local.csv'), json: join(dir, 'local.json') };
    const l = await cli('sweep', ...SPEC, '--workers', '0', '--no-progress', '--csv', local.csv, '--json', local.json);
    expect(l.code, l.err).toBe(0);

    const sweepDir = join(dir, 'on-slurm');
    let t0 = Date.now();
    const s = await cli('sweep', ...SPEC, '--slurm', sweepDir, '--slurm-tasks', String(TASKS));
    expect(s.code, s.err).toBe(0);
    const jobId = Number(/submitted batch job (\d+) \(array tasks 0-3\)/.exec(s.out)?.[1]);
    expect(jobId, s.out).toBeGreaterThan(0);

    const states = await finished(jobId);
    times['submit to all tasks done'] = Date.now() - t0;
    const logs = () =>
      readdirSync(join(sweepDir, 'logs'))
        .map((f) => `--- ${f}\n${readFileSync(join(sweepDir, 'logs', f), 'utf8')}`)
        .join('\n');
    expect([...states.values()], logs()).toEqual(Array(TASKS).fill('COMPLETED'));
    expect([...states.keys()].sort()).toEqual([0, 1, 2, 3].map((t) => `${jobId}_${t}`));
    expect(readdirSync(join(sweepDir, 'results')).sort()).toEqual(['task-0.json', 'task-1.json', 'task-2.json', 'task-3.json']);

    t0 = Date.now();
    const merged = { csv: join(dir, 'merged.csv'), json: join(dir, 'merged.json') };
    const m = await cli('sweep', 'merge', sweepDir, '--csv', merged.csv, '--json', merged.json);
    times.merge = Date.now() - t0;
    expect(m.code, m.err).toBe(0);
    expect(existsSync(merged.csv)).toBe(true);
    expect(readFileSync(merged.csv, 'utf8')).toBe(readFileSync(local.csv, 'utf8'));
    expect(readFileSync(merged.json, 'utf8')).toBe(readFileSync(local.json, 'utf8'));
    expect(m.out).toBe(l.out);
    // Each task ran its own slice in its own process: its log says so.
    for (let t = 0; t < TASKS; t++) expect(readFileSync(join(sweepDir, 'logs', `task-${t}-${jobId}.out`), 'utf8')).toContain(`sweep task ${t}/${TASKS}: `);
  }, 300_000);

  it('maps a refusal by the real sbatch to DT_SLURM_SUBMIT_FAILED with its reason', async () => {
    const r = await cli('sweep', ...SPEC, '--slurm', join(tempDir(), 'bad-partition'), '--slurm-option=--partition=nosuchpartition');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/sbatch exited with 1: error: .*[Ii]nvalid partition.* \[DT_SLURM_SUBMIT_FAILED\]/);
  });
});
