/**
 * The batch script of a sweep on Slurm (DIR/sweep.sbatch) and the sbatch command that submits it
 * as a job array. The script carries every sbatch option but --array as #SBATCH lines (job name,
 * log files, the site's options), so running a few tasks again is just
 * `sbatch --array=3,7 DIR/sweep.sbatch`. Each array task runs
 * `node deploytwin.js sweep task DIR $SLURM_ARRAY_TASK_ID` with absolute paths, because batch
 * jobs start in whatever directory and PATH the compute node gives them.
 */
import { fileURLToPath } from 'node:url';
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { SlurmManifest } from './manifest.ts';
import { slurmPaths } from './manifest.ts';

/** This checkout's CLI entry (bin/deploytwin.js), which the tasks run. */
export const DEPLOYTWIN_BIN = fileURLToPath(new URL('../../../bin/deploytwin.js', import.meta.url));

/** Environment variable naming the node binary on the compute nodes (when --slurm-node is not given). */
export const NODE_ENV_VAR = 'DEPLOYTWIN_SLURM_NODE';

export interface BatchScriptSpec {
  dir: string;
  manifest: SlurmManifest;
  /** The node binary the tasks run (absolute, or a name looked up on the compute node's PATH). */
  node: string;
  /** bin/deploytwin.js, absolute. */
  bin: string;
  /** Extra sbatch options as the user wrote them (--partition=x, --time=1:00:00). */
  options: readonly string[];
}

/** The node to run on the compute nodes: --slurm-node, else $DEPLOYTWIN_SLURM_NODE, else the node running this. */
export function nodeBinary(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return option ?? (env[NODE_ENV_VAR] || process.execPath);
}

/** A word for bash, single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Checks one --slurm-option: an sbatch option on one line (it becomes an #SBATCH line). */
export function checkSbatchOption(option: string): string {
  if (!/^--?[A-Za-z]/.test(option) || /[\r\n\0]/.test(option)) {
    throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `--slurm-option: expected one sbatch option such as --partition=batch or --time=1:00:00, got ${JSON.stringify(option)}`);
  }
  if (/^(--array\b|-a\b)/.test(option)) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `--slurm-option ${option}: the array is the sweep's own (use --slurm-tasks)`);
  return option;
}

/**
 * A path inside an #SBATCH line: double-quoted (sbatch strips the quotes), with Slurm's filename
 * pattern character % doubled. A double quote or a line break cannot be written there at all.
 */
function directivePath(path: string, pattern: string): string {
  if (/["\r\n]/.test(path)) throw new UsageError(ErrorCodes.SLURM_BAD_DIR, `--slurm ${path}: a sweep folder for Slurm cannot have a double quote or a line break in its path`);
  return `"${path.replace(/%/g, '%%')}${pattern}"`;
}

function jobName(m: SlurmManifest): string {
  return `deploytwin-sweep-${m.header.scenario.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 64);
}

export function batchScript(spec: BatchScriptSpec): string {
  const { manifest: m } = spec;
  const paths = slurmPaths(spec.dir);
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=${jobName(m)}`,
    `#SBATCH --output=${directivePath(paths.logs, '/task-%a-%A.out')}`,
    ...spec.options.map((o) => `#SBATCH ${checkSbatchOption(o)}`),
    `# deploytwin sweep of ${m.scenario}: ${m.points} points x ${m.seeds} seeds in ${m.tasks} array tasks.`,
    `# Submit with: ${sbatchArgv(spec.dir, m.tasks).map(shellQuote).join(' ')}`,
    '# Task i runs points i+1, i+1+tasks, ... and writes results/task-i.json; then run',
    `#   deploytwin sweep merge ${shellQuote(paths.root)} --csv sweep.csv --json sweep.json`,
    'set -eu',
    `exec ${[spec.node, spec.bin, 'sweep', 'task', paths.root].map(shellQuote).join(' ')} "\${SLURM_ARRAY_TASK_ID:?run this script with sbatch --array}"`,
    '',
  ].join('\n');
}

/** The command that submits the sweep: every task of the array (or only `tasks`, to run some again). */
export function sbatchArgv(dir: string, tasks: number): string[] {
  return ['sbatch', `--array=0-${tasks - 1}`, slurmPaths(dir).script];
}
