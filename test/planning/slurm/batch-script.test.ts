/**
 * The batch script and the sbatch command of a sweep on Slurm, as text and argv: absolute paths,
 * quoting that bash reads back exactly, the site's options as #SBATCH lines, and bad options
 * refused with exit-2 errors naming --slurm-option.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.ts';
import { batchScript, checkSbatchOption, DEPLOYTWIN_BIN, nodeBinary, sbatchArgv, shellQuote } from '../../../src/planning/slurm/batch-script.ts';
import type { SlurmManifest } from '../../../src/planning/slurm/manifest.ts';
import { errorOf } from '../../helpers/error-of.ts';

const manifest = {
  scenario: '/site/scenarios/my cluster.yaml',
  points: 12,
  seeds: 5,
  tasks: 4,
  header: { scenario: 'my cluster', seeds: [], deadline: null, parameters: [] },
} as unknown as SlurmManifest;

describe('batchScript', () => {
  it('writes #SBATCH lines, then a task line with absolute paths and the array task id', () => {
    const text = batchScript({ dir: '/scratch/sweeps/a', manifest, node: '/opt/node 20/bin/node', bin: '/opt/deploytwin/bin/deploytwin.js', options: ['--partition=batch', '--time=1:00:00'] });
    const lines = text.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '#!/bin/bash',
      '#SBATCH --job-name=deploytwin-sweep-my_cluster',
      '#SBATCH --output="/scratch/sweeps/a/logs/task-%a-%A.out"',
      '#SBATCH --partition=batch',
      '#SBATCH --time=1:00:00',
    ]);
    // sbatch reads #SBATCH lines only before the first command.
    const firstCommand = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
    expect(lines.slice(firstCommand)).toEqual([
      'set -eu',
      `exec '/opt/node 20/bin/node' /opt/deploytwin/bin/deploytwin.js sweep task /scratch/sweeps/a "\${SLURM_ARRAY_TASK_ID:?run this script with sbatch --array}"`,
      '',
    ]);
    expect(text).toContain('# Submit with: sbatch --array=0-3 /scratch/sweeps/a/sweep.sbatch');
    expect(text).toContain('12 points x 5 seeds in 4 array tasks');
  });

  it("doubles Slurm's pattern character % in the folder, and refuses a folder with a double quote", () => {
    const text = batchScript({ dir: '/tmp/100%', manifest, node: 'node', bin: DEPLOYTWIN_BIN, options: [] });
    expect(text).toContain('#SBATCH --output="/tmp/100%%/logs/task-%a-%A.out"');
    expect(errorOf(() => batchScript({ dir: '/tmp/a"b', manifest, node: 'node', bin: DEPLOYTWIN_BIN, options: [] })).code).toBe(ErrorCodes.SLURM_BAD_DIR);
  });

  it('runs the checkout it was written by, with the node given, else $DEPLOYTWIN_SLURM_NODE, else this node', () => {
    expect(DEPLOYTWIN_BIN).toBe(`${process.cwd()}/bin/deploytwin.js`);
    expect(nodeBinary('/opt/node/bin/node', {})).toBe('/opt/node/bin/node');
    expect(nodeBinary(undefined, { DEPLOYTWIN_SLURM_NODE: '/apps/node' })).toBe('/apps/node');
    expect(nodeBinary(undefined, {})).toBe(process.execPath);
  });
});

describe('sbatchArgv', () => {
  it('submits the whole array of the folder, as an argv (no shell)', () => {
    expect(sbatchArgv('/scratch/sweeps/a', 4)).toEqual(['sbatch', '--array=0-3', '/scratch/sweeps/a/sweep.sbatch']);
    expect(sbatchArgv('/x', 1)).toEqual(['sbatch', '--array=0-0', '/x/sweep.sbatch']);
  });
});

describe('checkSbatchOption', () => {
  it.each([['--partition=batch'], ['-p batch'], ['--time=2:00:00'], ['--cpus-per-task=4']])('accepts %s', (option) => {
    expect(checkSbatchOption(option)).toBe(option);
  });

  it.each([['partition=batch'], ['--partition=a\n#SBATCH --x'], [''], ['--array=0-9'], ['-a 1-3']])('refuses %j with a usage error naming --slurm-option', (option) => {
    const e = errorOf(() => checkSbatchOption(option));
    expect(e.code).toBe(ErrorCodes.CLI_BAD_ARGUMENT);
    expect(e.message).toMatch(/^--slurm-option/);
  });
});

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('gives words that bash reads back exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 20 }), (words) => {
        const r = spawnSync('bash', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
        expect(r.stdout.split('\0').slice(0, -1)).toEqual(words);
      }),
      { numRuns: 40 },
    );
  });
});
