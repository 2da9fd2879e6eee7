/**
 * `deploytwin deploy [scenario]`: the orchestrator's deployment stage on the twin of a scenario,
 * with progress on stderr and the same report as `simulate` (text, --json, --csv); --journal
 * saves every action and event as JSON lines. `--plan` prints what would be done (scheme, power-on
 * order, relays, caps, boot entries) and the twin's predicted timeline, and touches nothing.
 * `--full` runs discovery, commissioning and configuration first, on the same twin.
 */
import type { Command } from 'commander';
import { describeDeployment, type DeploymentDescription } from '../orchestrator/deploy-cluster.ts';
import type { SimulationResult } from '../twin/result.ts';
import { clusterDeploymentOf } from '../twin/deployment/orchestrated-run.ts';
import { simulateDeploymentStages } from '../twin/deployment/simulate-deployment.ts';
import { DEFAULT_SCENARIO } from '../twin/load.ts';
import { toCsv, toJson, toText } from '../twin/report.ts';
import { summarize } from '../twin/summary.ts';
import { parseSeed } from './arguments.ts';
import { writeFileAtomic } from './output.ts';
import { DeployProgress, type ProgressSink } from './progress.ts';
import { loadDeploymentScenario } from './stage-commands.ts';

interface DeployFlags {
  plan?: boolean;
  full?: boolean;
  json?: boolean;
  csv?: string;
  journal?: string;
  seed?: string;
  progress?: boolean;
}

function planText(d: DeploymentDescription, predicted: SimulationResult): string {
  const lines = [`deployment plan: ${d.nodes} nodes, scheme ${d.scheme.name} (${d.scheme.description})\n`, 'power-on order:\n'];
  for (const o of d.order.slice(0, 12)) lines.push(`  ${o.step.padEnd(24)} ${String(o.count).padStart(6)}  ${o.nodes}\n`);
  if (d.order.length > 12) lines.push(`  ... ${d.order.length - 12} more groups\n`);
  lines.push(`caps: ${Object.entries(d.caps).map(([k, v]) => `${k} ${v}`).join(', ')}\n`, 'boot entries (one per role):\n');
  for (const e of d.entries) lines.push(`  ${e.node} (${e.role}, rootfs from ${e.rootfsSource}): kernel ${e.kernelUrl}\n    cmdline ${e.cmdline}\n`);
  const c = summarize(predicted).nodeCompletion;
  lines.push(`predicted by the twin (seed ${predicted.seed}): makespan ${predicted.makespan.toFixed(0)} s, ${predicted.failures.length} failures`);
  lines.push(`; node completion p50 ${c.p50.toFixed(0)} s, p95 ${c.p95.toFixed(0)} s`);
  lines.push('\nnothing was powered on or written: this is a plan.\n');
  return lines.join('');
}

export function registerDeploy(program: Command, out: (s: string) => void, progressSink: ProgressSink): void {
  program
    .command('deploy')
    .description("run the orchestrator's deployment stage on the twin of a scenario (or --plan: show what it would do)")
    .argument('[scenario]', `scenario file or built-in name (default: ${DEFAULT_SCENARIO})`, DEFAULT_SCENARIO)
    .option('--plan', 'print the plan and the predicted timeline; touch nothing')
    .option('--full', 'run discovery, commissioning and configuration first, on the same twin')
    .option('--json', 'print a machine-readable report instead of text')
    .option('--csv <file>', 'write one row per node and phase: node,phase,start,end (seconds)')
    .option('--journal <file>', 'write the journal (every action and event) as JSON lines')
    .option('--no-progress', 'do not show progress on stderr')
    .option('--seed <seed>', "override the scenario's seed")
    .action(async (arg: string, flags: DeployFlags) => {
      const scenario = loadDeploymentScenario(arg);
      const seed = flags.seed === undefined ? undefined : parseSeed(flags.seed);
      const description = flags.plan ? describeDeployment(clusterDeploymentOf(scenario)) : undefined;
      const progress = flags.plan || flags.progress === false ? undefined : new DeployProgress(scenario.cluster.nodes, progressSink);
      const { result, stages } = await simulateDeploymentStages(scenario, {
        seed,
        before: flags.full ? ['discover', 'commission', 'configure'] : [],
        onJournal: progress?.onEntry,
      });
      progress?.finish();
      if (description) {
        out(flags.json ? `${JSON.stringify({ plan: description, predicted: summarize(result) }, null, 2)}\n` : planText(description, result));
        return;
      }
      if (flags.journal !== undefined) writeFileAtomic(flags.journal, stages.ports.journal.toJSONLines());
      if (flags.csv !== undefined) writeFileAtomic(flags.csv, toCsv(result));
      out(flags.json ? toJson(result) : toText(result, scenario));
    });
}
