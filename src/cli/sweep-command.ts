/**
 * `deploytwin sweep <scenario> --set NAME=VALUES ...`: what-if runs of a scenario over the cross
 * product of parameter values, several seeds per point, in worker threads; one row per point in
 * CSV and JSON (byte-identical whatever the number of workers), the best points as a table on
 * stdout, progress on stderr. Every point is checked before anything runs.
 */
import type { Command } from 'commander';
import { ErrorCodes } from '../errors.ts';
import { progressReporter } from '../planning/progress.ts';
import { defaultWorkers } from '../planning/run-pool.ts';
import { sweepCsv, sweepJson, sweepTable } from '../planning/sweep-report.ts';
import { planSweep, runSweep } from '../planning/sweep.ts';
import { parseCount, parseDurationOption, parseWorkers } from './arguments.ts';
import type { ProgressSink } from './progress.ts';
import { checkWritable, writeFileAtomic } from './output.ts';
import { addSlurmOptions, checkSlurmFlags, registerSweepSubcommands, submitSlurmSweep, type SlurmFlags } from './sweep-slurm-command.ts';

interface SweepFlags extends SlurmFlags {
  set: string[];
  seeds: string;
  workers?: string;
  deadline?: string;
  csv?: string;
  json?: string;
  top: string;
  progress: boolean;
}

const SET_HELP = `
--set NAME=VALUES (repeatable; the points are the cross product, the first --set varying slowest):
  NAME    a path in the scenario file (deploy.wave, networks.opa.serverNic, boot.rootfs.clientRate)
          or a short name: wave, stagger, relays, method (= boot.rootfs.method), post (= hardware.post);
          rootfs.*, kernel.*, initrd.*, bootloader.*, mount, init are read under boot.; in a transfer scenario
          relays, method and concurrency are transfer.distribution.*
  VALUES  comma-separated YAML values as in the file (25, http, 10Gb/s, {dist: uniform, min: 60s, max: 90s})
          or numeric ranges lo..hi/step (25..400/25); ranges of quantities with units are refused
Run i of every point uses the seed "<scenario seed>-i". Each point is checked like a scenario file
before anything runs (a bad path or value: exit 2, code ${ErrorCodes.PLAN_BAD_SET}).

Example:
  deploytwin sweep kiera-nurion-169 --set relays=0,4,13 --set wave=25..175/50 --seeds 20 --deadline 15min --csv out.csv
`;

const SLURM_HELP = `
On Slurm: --slurm DIR plans the same points and seeds, writes DIR/manifest.json and DIR/sweep.sbatch
and submits a job array (sbatch --array); each task writes DIR/results/task-<i>.json. Then
  deploytwin sweep merge DIR --csv out.csv --json out.json
gives the CSV, JSON and table a local run gives. (A scenario file named merge or task: write ./merge.)
`;

export function registerSweep(program: Command, out: (s: string) => void, stderr: ProgressSink): void {
  const sweep = program
    .command('sweep')
    // `sweep merge DIR --csv F`: the subcommand's own options, not sweep's (needs the program's positional options too).
    .enablePositionalOptions()
    .description('run a scenario over a grid of parameter values, several seeds per point, in parallel, and rank the points')
    .argument('<scenario>', 'scenario file, or the name of a built-in scenario')
    .option('--set <NAME=VALUES>', 'a parameter and the values to try (repeatable; see below)', (v: string, all: string[]) => [...all, v], [])
    .option('--seeds <n>', 'runs per point, with seeds "<scenario seed>-1" ... "-n"', '5')
    .option('--workers <n>', `worker threads; 0 runs in this thread (default: one per core, ${defaultWorkers()})`)
    .option('--deadline <duration>', 'also give each point the probability that a run misses this deadline (e.g. 15min)')
    .option('--csv <file>', 'write one row per point (parameters, makespan statistics, failures, utilisations, lower bound)')
    .option('--json <file>', 'write the same as JSON, with every run\'s makespan')
    .option('--top <n>', 'points shown in the table', '10')
    .option('--no-progress', 'do not show progress on stderr');
  addSlurmOptions(sweep)
    .addHelpText('after', SET_HELP + SLURM_HELP)
    .action(async (scenarioArg: string, flags: SweepFlags) => {
      checkSlurmFlags(flags);
      const seeds = parseCount(flags.seeds, '--seeds', 1);
      const workers = parseWorkers(flags.workers);
      const top = parseCount(flags.top, '--top', 1);
      const deadline = flags.deadline === undefined ? undefined : parseDurationOption(flags.deadline, '--deadline');
      checkWritable(flags.csv, '--csv');
      checkWritable(flags.json, '--json');
      const plan = planSweep(scenarioArg, flags.set, seeds);
      if (flags.slurm !== undefined) return submitSlurmSweep(plan, { sets: flags.set, seeds, deadline }, flags, out);
      const runs = plan.points.length * seeds;
      if (flags.progress) stderr.write(`sweep ${plan.scenario}: ${plan.points.length} points x ${seeds} seeds = ${runs} runs, ${workers === 0 ? 'in this thread' : `${workers} worker thread${workers === 1 ? '' : 's'}`}\n`);
      const progress = flags.progress ? progressReporter({ label: `sweep ${plan.scenario}`, err: (s) => stderr.write(s), isTTY: stderr.isTTY }) : undefined;
      try {
        const result = await runSweep(plan, { workers, deadline, onProgress: (done, total) => progress?.update(done, total) });
        progress?.stop();
        if (flags.csv !== undefined) writeFileAtomic(flags.csv, sweepCsv(result));
        if (flags.json !== undefined) writeFileAtomic(flags.json, sweepJson(result));
        out(sweepTable(result, top));
      } finally {
        progress?.stop();
      }
    });
  registerSweepSubcommands(sweep, out, stderr);
}
