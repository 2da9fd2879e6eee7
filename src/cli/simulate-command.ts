/**
 * `deploytwin simulate [scenario]`: run a scenario in the twin and report.
 */
import type { Command } from 'commander';
import { loadScenario, DEFAULT_SCENARIO } from '../twin/load.ts';
import { toCsv, toJson, toText } from '../twin/report.ts';
import { simulate } from '../twin/simulate.ts';
import { writeFileAtomic } from './output.ts';
import { parseSeed } from './arguments.ts';

export interface SimulateFlags {
  json?: boolean;
  csv?: string;
  seed?: string;
}

export function registerSimulate(program: Command, out: (s: string) => void): void {
  program
    .command('simulate')
    .description('run a scenario in the twin and print a summary')
    .argument('[scenario]', `scenario file, or the name of a built-in scenario (default: ${DEFAULT_SCENARIO})`, DEFAULT_SCENARIO)
    .option('--json', 'print a machine-readable report (summary and every node phase) instead of text')
    .option('--csv <file>', 'write one row per node and phase: node,phase,start,end (seconds)')
    .option('--seed <seed>', "override the scenario's seed")
    .action(async (scenarioArg: string, flags: SimulateFlags) => {
      const scenario = loadScenario(scenarioArg);
      const seed = flags.seed === undefined ? undefined : parseSeed(flags.seed);
      const result = await simulate(scenario, { seed });
      if (flags.csv !== undefined) writeFileAtomic(flags.csv, toCsv(result));
      out(flags.json ? toJson(result) : toText(result, scenario));
    });
}
