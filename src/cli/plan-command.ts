/**
 * `deploytwin plan <scenario> --objective p95 [--max-relays N] [--max-server-connections N]
 * [--methods http,rsync] [--seeds N] [--deadline D] [--json F] [--workers N]`: searches wave size,
 * relay count and transfer method for the setting that does best on the objective, and prints it
 * with its makespan distribution, its ratio to the lower bound (and what holds it back above
 * 1.3x), the runners-up and what the search cost. Search steps go to stderr.
 */
import type { Command } from 'commander';
import { ErrorCodes, UsageError } from '../errors.ts';
import { OBJECTIVES, type Objective } from '../planning/plan-evaluator.ts';
import { planJson, planText } from '../planning/plan-report.ts';
import { recommendPlan } from '../planning/plan.ts';
import { loadScenarioSource } from '../twin/load.ts';
import { defaultWorkers } from '../planning/run-pool.ts';
import { parseCount, parseDurationOption, parseWorkers } from './arguments.ts';
import { checkWritable, writeFileAtomic } from './output.ts';
import type { ProgressSink } from './progress.ts';

interface PlanFlags {
  objective: string;
  seeds: string;
  maxRelays?: string;
  maxServerConnections?: string;
  methods?: string;
  deadline?: string;
  json?: string;
  workers?: string;
  maxRuns: string;
  runnersUp: string;
  progress: boolean;
}

const HELP = `
The search: coordinate descent over method, relays and wave (one knob at a time around the best
setting so far; the first pass screens each knob over a geometric ladder of its whole range, later
passes its neighbours with a shrinking step), each knob's candidates raced by successive halving
on the seeds (all on seed 1, the better half on 2 seeds, ...). Run i uses seed "<scenario seed>-i".
Relays always serve groups of whole, contiguous racks, so their count sets their placement.
--max-server-connections N caps the server's HTTP connection slots (services.http.maxConnections)
and, for methods whose servers have no connection cap in the model, the wave (deploy.wave <= N);
in a transfer scenario, the flat concurrency or the relay count.

Example:
  deploytwin plan kiera-nurion-169 --objective p95 --max-relays 13 --seeds 4 --deadline 20min
`;

function parseObjective(v: string): Objective {
  if (!(OBJECTIVES as readonly string[]).includes(v)) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `--objective: expected one of ${OBJECTIVES.join(', ')}, got "${v}"`);
  return v as Objective;
}

export function registerPlan(program: Command, out: (s: string) => void, stderr: ProgressSink): void {
  program
    .command('plan')
    .description('search wave size, relay count and transfer method for the best makespan under constraints, and recommend a plan')
    .argument('<scenario>', 'scenario file, or the name of a built-in scenario')
    .requiredOption('--objective <stat>', `what to make smallest: ${OBJECTIVES.join(', ')} of the makespan`)
    .option('--seeds <n>', 'seeds for the recommendation (the search uses 1, 2, 4, ... up to n)', '4')
    .option('--max-relays <n>', 'most relays a plan may use')
    .option('--max-server-connections <n>', 'most connections the deployment server may serve at once (see below)')
    .option('--methods <list>', 'transfer methods to consider, comma-separated (default: every method of the scenario kind)')
    .option('--deadline <duration>', 'also give the probability that a run misses this deadline (e.g. 15min)')
    .option('--json <file>', 'write the result, with every setting run and its makespans')
    .option('--workers <n>', `worker threads; 0 runs in this thread (default: one per core, ${defaultWorkers()})`)
    .option('--max-runs <n>', 'runs after which the search starts no new step', '400')
    .option('--runners-up <n>', 'runners-up to show', '4')
    .option('--no-progress', 'do not show the search steps on stderr')
    .addHelpText('after', HELP)
    .action(async (scenarioArg: string, flags: PlanFlags) => {
      const objective = parseObjective(flags.objective);
      const seeds = parseCount(flags.seeds, '--seeds', 1);
      const maxRelays = flags.maxRelays === undefined ? undefined : parseCount(flags.maxRelays, '--max-relays', 0);
      const maxServerConnections = flags.maxServerConnections === undefined ? undefined : parseCount(flags.maxServerConnections, '--max-server-connections', 1);
      const workers = parseWorkers(flags.workers);
      const maxRuns = parseCount(flags.maxRuns, '--max-runs', 1);
      const runnersUp = parseCount(flags.runnersUp, '--runners-up', 0);
      const deadline = flags.deadline === undefined ? undefined : parseDurationOption(flags.deadline, '--deadline');
      if (flags.methods !== undefined && flags.methods.trim() === '') throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, '--methods: expected a comma-separated list, e.g. http,rsync');
      checkWritable(flags.json, '--json');
      const { file, source } = loadScenarioSource(scenarioArg);
      const onStep = flags.progress ? (line: string) => stderr.write(`plan ${file.name}: ${line}\n`) : undefined;
      const result = await recommendPlan(file, source, { objective, seeds, maxRelays, maxServerConnections, methods: flags.methods, deadline, workers, maxRuns, runnersUp, onStep });
      if (flags.json !== undefined) writeFileAtomic(flags.json, planJson(result));
      out(planText(result));
    });
}
