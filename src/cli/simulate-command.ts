/**
 * `deploytwin simulate [scenario]`: run a scenario in the twin and report.
 */
import type { Command } from 'commander';
import { loadScenario, DEFAULT_SCENARIO } from '../twin/load.ts';
import { toCsv, toJson, toText } from '../twin/report.ts';
import { simulate } from '../twin/simulate.ts';
import { writeFileAtomic } from './output.ts';
import { parseCount, parseDurationOption, parseSeed, parseWorkers } from './arguments.ts';
import { ErrorCodes, UsageError } from '../errors.ts';
import { runScenarioSeeds, seedRunsJson, seedRunsText } from '../planning/seed-runs.ts';

export interface SimulateFlags {
  json?: boolean;
  csv?: string;
  seed?: string;
  seeds?: string;
  deadline?: string;
  workers?: string;
}

/** --seeds N: the makespan distribution over N seeds instead of one run's report (planning/seed-runs.ts). */
async function simulateSeeds(scenarioArg: string, flags: SimulateFlags, out: (s: string) => void): Promise<void> {
  const seeds = parseCount(flags.seeds!, '--seeds', 1);
  if (flags.csv !== undefined) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, '--csv: one row per node and phase of one run; not with --seeds (use --json for the distribution)');
  const deadline = flags.deadline === undefined ? undefined : parseDurationOption(flags.deadline, '--deadline');
  const workers = parseWorkers(flags.workers);
  const seed = flags.seed === undefined ? undefined : parseSeed(flags.seed);
  const result = await runScenarioSeeds(scenarioArg, { seeds, seed, deadline, workers });
  out(flags.json ? seedRunsJson(result) : seedRunsText(result));
}

export function registerSimulate(program: Command, out: (s: string) => void): void {
  program
    .command('simulate')
    .description('run a scenario in the twin and print a summary')
    .argument('[scenario]', `scenario file, or the name of a built-in scenario (default: ${DEFAULT_SCENARIO})`, DEFAULT_SCENARIO)
    .option('--json', 'print a machine-readable report (summary and every node phase) instead of text')
    .option('--csv <file>', 'write one row per node and phase: node,phase,start,end (seconds)')
    .option('--seed <seed>', "override the scenario's seed")
    .option('--seeds <n>', 'run n seeds ("<seed>-1" ... "-n") and print the makespan distribution (with --json, as JSON)')
    .option('--deadline <duration>', 'with --seeds: also the probability that the makespan exceeds it (e.g. 15min)')
    .option('--workers <n>', 'with --seeds: worker threads; 0 runs in this thread (default: one per core)')
    .action(async (scenarioArg: string, flags: SimulateFlags) => {
      if (flags.seeds !== undefined) return simulateSeeds(scenarioArg, flags, out);
      if (flags.deadline !== undefined || flags.workers !== undefined) {
        throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `${flags.deadline !== undefined ? '--deadline' : '--workers'}: only with --seeds N`);
      }
      const scenario = loadScenario(scenarioArg);
      const seed = flags.seed === undefined ? undefined : parseSeed(flags.seed);
      const result = await simulate(scenario, { seed });
      if (flags.csv !== undefined) writeFileAtomic(flags.csv, toCsv(result));
      out(flags.json ? toJson(result) : toText(result, scenario));
    });
}
