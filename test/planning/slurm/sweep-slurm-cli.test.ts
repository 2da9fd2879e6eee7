/**
 * `deploytwin sweep --slurm`, `sweep task` and `sweep merge` through the CLI, without Slurm: the
 * tasks are run here one by one (as the array would run them), and the merge must give the same
 * CSV, JSON and table bytes as a local sweep for any number of tasks; missing, foreign and corrupt
 * slices, an edited manifest or scenario, and a folder holding another sweep are refused with their
 * codes and nothing written. A fake sbatch on PATH checks the submission argv and its failures.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, smallScenarioFile, tempDir } from '../cli-helpers.ts';

const dir = tempDir();
const scenario = smallScenarioFile(dir);
const SPEC = [scenario, '--set', 'relays=0,1', '--set', 'wave=2,3,6', '--seeds', '2', '--deadline', '70s'];

async function local(): Promise<{ csv: string; json: string; out: string }> {
  const csv = join(dir, 'local.csv');
  const json = join(dir, 'local.json');
  if (!existsSync(csv)) {
    const r = await cli('sweep', ...SPEC, '--workers', '0', '--no-progress', '--csv', csv, '--json', json);
    expect(r.code, r.err).toBe(0);
    writeFileSync(join(dir, 'local.out'), r.out);
  }
  return { csv: readFileSync(csv, 'utf8'), json: readFileSync(json, 'utf8'), out: readFileSync(join(dir, 'local.out'), 'utf8') };
}

/** Writes the sweep for `tasks` tasks into a fresh folder (no submission) and returns the folder and the task count used. */
async function written(name: string, ...extra: string[]): Promise<{ sweepDir: string; tasks: number; out: string }> {
  const sweepDir = join(dir, name);
  const r = await cli('sweep', ...SPEC, '--slurm', sweepDir, '--no-submit', ...extra);
  expect(r.code, r.err).toBe(0);
  const tasks = Number(/in (\d+) Slurm array tasks?/.exec(r.out)![1]);
  return { sweepDir, tasks, out: r.out };
}

async function runTask(sweepDir: string, task: number): Promise<void> {
  const r = await cli('sweep', 'task', sweepDir, String(task), '--workers', '0');
  expect(r.code, r.err).toBe(0);
}

async function merge(sweepDir: string, name: string) {
  const csv = join(dir, `${name}.csv`);
  const json = join(dir, `${name}.json`);
  const r = await cli('sweep', 'merge', sweepDir, '--csv', csv, '--json', json);
  return { ...r, csv, json };
}

describe('deploytwin sweep --slurm, task and merge', () => {
  it.each([[1], [2], [4], [6], [50]])('merges %i task(s) into the bytes of a local sweep', async (asked) => {
    const { sweepDir, tasks, out } = await written(`k${asked}`, '--slurm-tasks', String(asked));
    expect(tasks).toBe(Math.min(asked, 6));
    expect(out).toContain(`submit with:\n  sbatch --array=0-${tasks - 1} ${sweepDir}/sweep.sbatch\n`);
    // In reverse order: the merge sorts by point, not by when a task ended.
    for (let t = tasks - 1; t >= 0; t--) await runTask(sweepDir, t);
    const m = await merge(sweepDir, `merged-${asked}`);
    expect(m.code, m.err).toBe(0);
    const ref = await local();
    expect(readFileSync(m.csv, 'utf8')).toBe(ref.csv);
    expect(readFileSync(m.json, 'utf8')).toBe(ref.json);
    expect(m.out).toBe(ref.out);
  }, 120_000);

  it('refuses to merge while tasks are missing, naming them, and writes nothing', async () => {
    const { sweepDir } = await written('missing', '--slurm-tasks', '4');
    await runTask(sweepDir, 1);
    const m = await merge(sweepDir, 'missing');
    expect(m.code).toBe(1);
    expect(m.err).toContain('3 of 4 array tasks have no results yet: 0,2-3 [DT_SLURM_MISSING_TASKS]');
    expect(m.err).toContain(`sbatch --array=0,2-3 ${sweepDir}/sweep.sbatch`);
    expect(m.out).toBe('');
    expect(existsSync(m.csv) || existsSync(m.json)).toBe(false);
  });

  it('refuses slices of another sweep, extra and corrupt task files, listing each', async () => {
    const a = await written('foreign-a', '--slurm-tasks', '3');
    for (let t = 0; t < 3; t++) await runTask(a.sweepDir, t);
    const c = join(dir, 'foreign-c');
    const r = await cli('sweep', scenario, '--set', 'relays=0,1', '--set', 'wave=2,3,6', '--seeds', '3', '--slurm', c, '--slurm-tasks', '3', '--no-submit');
    expect(r.code, r.err).toBe(0);
    await runTask(c, 1);
    copyFileSync(join(c, 'results', 'task-1.json'), join(a.sweepDir, 'results', 'task-1.json'));
    writeFileSync(join(a.sweepDir, 'results', 'task-2.json'), '{"format": "deploytwin-sweep-slurm-task/1", ');
    copyFileSync(join(a.sweepDir, 'results', 'task-0.json'), join(a.sweepDir, 'results', 'task-7.json'));
    const m = await merge(a.sweepDir, 'foreign');
    expect(m.code).toBe(1);
    expect(m.err).toContain("3 task files are not results of this sweep's manifest; remove them or submit again [DT_SLURM_FOREIGN_TASKS]");
    expect(m.err).toMatch(/results\/task-1\.json: from another sweep/);
    expect(m.err).toMatch(/results\/task-2\.json: unreadable/);
    expect(m.err).toContain('results/task-7.json: this sweep has tasks 0 to 2 only');
    expect(existsSync(m.csv)).toBe(false);
  });

  it('refuses an edited manifest, and a task whose scenario changed after submission', async () => {
    const { sweepDir } = await written('edited', '--slurm-tasks', '2');
    const manifest = join(sweepDir, 'manifest.json');
    const text = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, text.replace('"seeds": 2', '"seeds": 3'));
    let r = await cli('sweep', 'merge', sweepDir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/edited since it was written.*\[DT_SLURM_BAD_MANIFEST\]/);
    writeFileSync(manifest, text);

    const copy = join(dir, 'changing.yaml');
    copyFileSync(scenario, copy);
    const changing = join(dir, 'changing');
    expect((await cli('sweep', copy, '--set', 'wave=2,3', '--slurm', changing, '--no-submit')).code).toBe(0);
    writeFileSync(copy, readFileSync(copy, 'utf8').replace('seed: 3', 'seed: 4'));
    r = await cli('sweep', 'task', changing, '0');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${copy}: the file has changed since the sweep was submitted; submit it again [DT_SLURM_SCENARIO_CHANGED]`);
    expect(readdirSync(join(changing, 'results'))).toEqual([]);
  });

  it('refuses a folder holding results of another sweep, but keeps its own when submitted again', async () => {
    const { sweepDir } = await written('reuse', '--slurm-tasks', '2');
    await runTask(sweepDir, 0);
    expect((await cli('sweep', ...SPEC, '--slurm', sweepDir, '--slurm-tasks', '2', '--no-submit')).code).toBe(0);
    expect(readdirSync(join(sweepDir, 'results'))).toEqual(['task-0.json']);
    const r = await cli('sweep', ...SPEC, '--slurm', sweepDir, '--slurm-tasks', '3', '--no-submit');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds results of another sweep.*\[DT_SLURM_BAD_DIR\]/);
  });

  it.each([
    [['--slurm-tasks', '2'], '--slurm-tasks: only with --slurm DIR'],
    [['--no-submit'], '--no-submit: only with --slurm DIR'],
    [['--slurm', 'X', '--csv', 'out.csv'], '--csv: not with --slurm (give it to deploytwin sweep merge X)'],
    [['--slurm', 'X', '--workers', '2'], '--workers: not with --slurm'],
    [['--slurm', 'X', '--slurm-option', 'partition=x'], '--slurm-option: expected one sbatch option'],
    [['--slurm', 'X', '--slurm-tasks', '0'], '--slurm-tasks: expected a whole number >= 1'],
  ])('refuses %j with exit 2 and writes nothing', async (args, message) => {
    const r = await cli('sweep', scenario, '--set', 'wave=2,3', ...args.map((a) => (a === 'X' ? join(dir, 'refused') : a)));
    expect(r.code).toBe(2);
    expect(r.err).toContain(message.replace('X', join(dir, 'refused')));
    expect(r.err).toContain('[DT_CLI_BAD_ARGUMENT]');
    expect(existsSync(join(dir, 'refused'))).toBe(false);
  });

  it('says when a folder holds no sweep, and still reads a scenario file whose path ends in merge', async () => {
    const r = await cli('sweep', 'merge', join(dir, 'nothing-here'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('holds no sweep (no manifest.json');
    const named = join(dir, 'merge');
    copyFileSync(scenario, named);
    const s = await cli('sweep', named, '--set', 'wave=2', '--seeds', '1', '--workers', '0', '--no-progress');
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(/^small: best 1 of 1 point/);
  });
});

describe('submission through sbatch (a fake one on PATH)', () => {
  const bin = join(dir, 'fake-bin');
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(bin, { recursive: true, force: true });
  });

  function fakeSbatch(body: string): string {
    const log = join(dir, 'sbatch-args.txt');
    rmSync(log, { force: true });
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'sbatch'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\n${body}\n`);
    chmodSync(join(bin, 'sbatch'), 0o755);
    process.env.PATH = `${bin}${delimiter}${savedPath}`;
    return log;
  }

  it('runs sbatch --array=0-(K-1) on the script and reports the job id', async () => {
    const log = fakeSbatch('echo "Submitted batch job 4242"');
    const sweepDir = join(dir, 'submitted');
    const r = await cli('sweep', ...SPEC, '--slurm', sweepDir, '--slurm-tasks', '3');
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe(`--array=0-2\n${sweepDir}/sweep.sbatch\n`);
    expect(r.out).toContain('submitted batch job 4242 (array tasks 0-2)');
    expect(r.out).toContain(`deploytwin sweep merge ${sweepDir} --csv sweep.csv --json sweep.json`);
  });

  it('reports a refusal with its reason and DT_SLURM_SUBMIT_FAILED, exit 1', async () => {
    fakeSbatch('echo "sbatch: error: invalid partition specified: nope" >&2; echo "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2; exit 1');
    const r = await cli('sweep', ...SPEC, '--slurm', join(dir, 'refused-by-slurm'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('sbatch exited with 1: error: Batch job submission failed: Invalid partition name specified [DT_SLURM_SUBMIT_FAILED]');
  });

  it('reports a missing sbatch with DT_SLURM_SBATCH_NOT_FOUND', async () => {
    process.env.PATH = join(dir, 'no-such-bin');
    const r = await cli('sweep', ...SPEC, '--slurm', join(dir, 'no-sbatch'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('[DT_SLURM_SBATCH_NOT_FOUND]');
  });
});
