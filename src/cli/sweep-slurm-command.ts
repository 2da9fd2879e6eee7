/**
 * The Slurm side of `deploytwin sweep`: `sweep <scenario> --slurm DIR` writes the sweep's manifest
 * and batch script into DIR and submits a job array; `sweep task DIR I` (hidden, what each array
 * task runs) runs slice I and writes DIR/results/task-I.json; `sweep merge DIR` combines the
 * slices into the CSV, JSON and table a local run of the same sweep gives, byte for byte.
 *
 * `merge` and `task` are subcommands of `sweep`, so `deploytwin sweep merge` never reads a
 * scenario named "merge": write `./merge` (or merge.yaml) for such a file.
 */
import type { Command } from 'commander';
import { ErrorCodes, UsageError } from '../errors.ts';
import { progressReporter } from '../planning/progress.ts';
import { batchScript, checkSbatchOption, DEPLOYTWIN_BIN, nodeBinary, NODE_ENV_VAR, sbatchArgv, shellQuote } from '../planning/slurm/batch-script.ts';
import { buildManifest, manifestText, readManifest, slurmPaths } from '../planning/slurm/manifest.ts';
import { mergeSweep } from '../planning/slurm/merge.ts';
import { submit } from '../planning/slurm/sbatch.ts';
import { DEFAULT_MAX_TASKS, taskCount } from '../planning/slurm/slicing.ts';
import { prepareSweepDir } from '../planning/slurm/sweep-dir.ts';
import { taskResultsText } from '../planning/slurm/task-file.ts';
import { runSliceOf, taskWorkers } from '../planning/slurm/task-run.ts';
import { sweepCsv, sweepJson, sweepTable } from '../planning/sweep-report.ts';
import type { SweepPlan } from '../planning/sweep.ts';
import { parseCount } from './arguments.ts';
import { checkWritable, writeFileAtomic } from './output.ts';
import type { ProgressSink } from './progress.ts';

export interface SlurmFlags {
  slurm?: string;
  slurmTasks?: string;
  slurmOption: string[];
  slurmNode?: string;
  submit: boolean;
}

/** The --slurm options of `sweep <scenario>`. */
export function addSlurmOptions(command: Command): Command {
  return command
    .option('--slurm <dir>', 'do not run here: write a Slurm job array into DIR (on a shared file system) and submit it with sbatch')
    .option('--slurm-tasks <n>', `array tasks with --slurm, each running a share of the points (default: one per point, at most ${DEFAULT_MAX_TASKS})`)
    .option('--slurm-option <opt>', 'an sbatch option for the job, e.g. --partition=batch or --time=2:00:00 (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--slurm-node <path>', `the node binary on the compute nodes (default: $${NODE_ENV_VAR}, else this node, ${process.execPath})`)
    .option('--no-submit', 'with --slurm: write the files and print the sbatch command instead of running it');
}

/** Refuses --slurm-* options without --slurm, and options of a local run with it. */
export function checkSlurmFlags(flags: SlurmFlags & { csv?: string; json?: string; workers?: string }): void {
  if (flags.slurm === undefined) {
    const stray = [flags.slurmTasks !== undefined && '--slurm-tasks', flags.slurmOption.length > 0 && '--slurm-option', flags.slurmNode !== undefined && '--slurm-node', !flags.submit && '--no-submit'].filter(Boolean);
    if (stray.length > 0) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `${stray[0]}: only with --slurm DIR`);
    return;
  }
  for (const [given, option] of [[flags.csv, '--csv'], [flags.json, '--json'], [flags.workers, '--workers']] as const) {
    if (given !== undefined) {
      const hint = option === '--workers' ? 'each array task uses the CPUs Slurm gives it (--slurm-option --cpus-per-task=N)' : `give it to deploytwin sweep merge ${flags.slurm}`;
      throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `${option}: not with --slurm (${hint})`);
    }
  }
  flags.slurmOption.forEach(checkSbatchOption);
}

/** Writes the sweep's folder and submits it (or prints how to). */
export function submitSlurmSweep(plan: SweepPlan, spec: { sets: string[]; seeds: number; deadline?: number }, flags: SlurmFlags, out: (s: string) => void): void {
  const dir = flags.slurm!;
  const tasks = taskCount(plan.points.length, flags.slurmTasks === undefined ? undefined : parseCount(flags.slurmTasks, '--slurm-tasks', 1));
  const manifest = buildManifest(plan, { sets: spec.sets, seeds: spec.seeds, deadline: spec.deadline ?? null, tasks });
  const script = batchScript({ dir, manifest, node: nodeBinary(flags.slurmNode), bin: DEPLOYTWIN_BIN, options: flags.slurmOption });
  prepareSweepDir(dir, manifest);
  const paths = slurmPaths(dir);
  writeFileAtomic(paths.manifest, manifestText(manifest));
  writeFileAtomic(paths.script, script);
  const argv = sbatchArgv(dir, tasks);
  const merge = `deploytwin sweep merge ${shellQuote(paths.root)} --csv sweep.csv --json sweep.json`;
  out(`sweep ${plan.scenario}: ${plan.points.length} points x ${spec.seeds} seeds in ${tasks} Slurm array task${tasks === 1 ? '' : 's'}, written to ${paths.root}\n`);
  if (!flags.submit) {
    out(`submit with:\n  ${argv.map(shellQuote).join(' ')}\nthen, once every task has finished:\n  ${merge}\n`);
    return;
  }
  const job = submit(argv);
  out(`submitted batch job ${job.jobId}${job.cluster ? ` on cluster ${job.cluster}` : ''} (array tasks 0-${tasks - 1}); once every task has finished:\n  ${merge}\n`);
}

/** `sweep task` and `sweep merge`. */
export function registerSweepSubcommands(sweep: Command, out: (s: string) => void, stderr: ProgressSink): void {
  sweep
    .command('task', { hidden: true })
    .description('run one array task of a sweep written by --slurm (what DIR/sweep.sbatch runs)')
    .argument('<dir>', 'the folder given to --slurm')
    .argument('<index>', 'the array task, 0-based ($SLURM_ARRAY_TASK_ID)')
    .option('--workers <n>', 'worker threads (default: $SLURM_CPUS_PER_TASK when above 1, else none)')
    .action(async (dir: string, index: string, flags: { workers?: string }) => {
      const task = parseCount(index, 'index', 0);
      const workers = flags.workers === undefined ? taskWorkers() : parseCount(flags.workers, '--workers', 0);
      const manifest = readManifest(dir);
      const label = `sweep task ${task}/${manifest.tasks}`;
      const progress = progressReporter({ label, err: (s) => stderr.write(s), isTTY: false });
      const results = await runSliceOf(manifest, task, { workers, onProgress: (done, total) => progress.update(done, total) });
      const file = slurmPaths(dir).taskFile(task);
      writeFileAtomic(file, taskResultsText(results));
      stderr.write(`${label}: ${results.points.length} point${results.points.length === 1 ? '' : 's'} x ${manifest.seeds} seeds written to ${file}\n`);
    });

  sweep
    .command('merge')
    .description('combine the results of a sweep run with --slurm into the CSV, JSON and table a local run gives')
    .argument('<dir>', 'the folder given to --slurm')
    .option('--csv <file>', 'write one row per point, as sweep --csv does')
    .option('--json <file>', 'write the same as JSON, as sweep --json does')
    .option('--top <n>', 'points shown in the table', '10')
    .action((dir: string, flags: { csv?: string; json?: string; top: string }) => {
      const top = parseCount(flags.top, '--top', 1);
      checkWritable(flags.csv, '--csv');
      checkWritable(flags.json, '--json');
      const { manifest, result } = mergeSweep(dir);
      if (flags.csv !== undefined) writeFileAtomic(flags.csv, sweepCsv(result));
      if (flags.json !== undefined) writeFileAtomic(flags.json, sweepJson(result));
      stderr.write(`sweep merge: ${manifest.tasks} tasks, ${manifest.points} points x ${manifest.seeds} seeds from ${slurmPaths(dir).root}\n`);
      out(sweepTable(result, top));
    });
}
