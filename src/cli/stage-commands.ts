/**
 * `deploytwin discover | commission | configure | nodes`: the orchestrator's first three stages
 * run against the twin of a scenario (the same library code that drives a real cluster), each
 * printing what it found or wrote, as text or --json.
 */
import type { Command } from 'commander';
import { ErrorCodes, UsageError } from '../errors.ts';
import type { NodeRecord } from '../ports/index.ts';
import type { DeploymentScenario } from '../twin/deployment/deployment-scenario.ts';
import { DEFAULT_SCENARIO, loadScenario } from '../twin/load.ts';
import { runStages, type Stage } from '../twin/stages.ts';
import { parseSeed } from './arguments.ts';

interface StageFlags {
  json?: boolean;
  seed?: string;
}

export function loadDeploymentScenario(arg: string): DeploymentScenario {
  const scenario = loadScenario(arg);
  if (scenario.kind !== 'deployment') {
    throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `${arg}: a transfer scenario has no BMCs or boot to run the orchestrator on; use a scenario with boot: and deploy:`);
  }
  return scenario;
}

const seedOf = (flags: StageFlags) => (flags.seed === undefined ? undefined : parseSeed(flags.seed));
const fmt = (t: number | undefined) => `${(t ?? 0).toFixed(1)} s`;

function nodeLine(n: NodeRecord): string {
  const hw = n.hardware ? `${n.hardware.cpus} cpus, ${(n.hardware.memoryBytes / 1e9).toFixed(0)} GB, ${n.hardware.macs[0] ?? '-'}` : 'no hardware report';
  const addresses = Object.entries(n.addresses).map(([net, a]) => `${net}=${a}`).join(' ');
  return `${n.name.padEnd(12)} rack ${String(n.rack).padStart(4)}  ${n.role.padEnd(8)} ${n.group.padEnd(12)} bmc ${n.bmc || '-'}  ${addresses}  ${hw}\n`;
}

function stageCommand(program: Command, name: string, description: string, stages: Stage[], print: (r: Awaited<ReturnType<typeof runStages>>, json: boolean) => Promise<string>, out: (s: string) => void): Command {
  return program
    .command(name)
    .description(description)
    .argument('[scenario]', `scenario file or built-in name (default: ${DEFAULT_SCENARIO})`, DEFAULT_SCENARIO)
    .option('--json', 'print machine-readable JSON')
    .option('--seed <seed>', "override the scenario's seed")
    .action(async (arg: string, flags: StageFlags) => {
      const results = await runStages(loadDeploymentScenario(arg), stages, { seed: seedOf(flags) });
      out(await print(results, flags.json === true));
    });
}

export function registerStageCommands(program: Command, out: (s: string) => void): void {
  stageCommand(program, 'discover', "scan the scenario's BMC network on the twin and register every BMC that answers", ['discover'], async (r, json) => {
    const d = r.discover!;
    if (json) return `${JSON.stringify({ found: d.found, silent: d.silent, seconds: r.endedAt.discover }, null, 2)}\n`;
    return `discovery: ${d.found.length} BMCs answered, ${d.silent.length} addresses silent, scan took ${fmt(r.endedAt.discover)} (simulated)\n`;
  }, out);

  stageCommand(program, 'commission', 'discover, then boot every node into the preinstallation environment and store its hardware report', ['discover', 'commission'], async (r, json) => {
    const c = r.commission!;
    if (json) return `${JSON.stringify({ commissioned: c.commissioned, failed: c.failed, seconds: r.endedAt.commission }, null, 2)}\n`;
    const lines = [`commissioning: ${c.commissioned.length} nodes reported their hardware, ${c.failed.length} failed, done at ${fmt(r.endedAt.commission)} (simulated)\n`];
    for (const f of c.failed) lines.push(`  ${f.node}: ${f.reason}\n`);
    return lines.join('');
  }, out);

  stageCommand(program, 'configure', 'plan the cluster (names, racks, groups, roles, addresses, SSH key) and write it to the inventory', ['configure'], async (r, json) => {
    const { plan, applied } = r.configure!;
    if (json) return `${JSON.stringify({ plan, applied }, null, 2)}\n`;
    const lines = [`cluster ${plan.cluster}: ${plan.nodes.length} nodes in ${plan.racks} racks of ${plan.nodesPerRack}\n`];
    for (const [role, hosts] of Object.entries(plan.roles)) if (hosts) lines.push(`  ${role.padEnd(8)} ${hosts}\n`);
    for (const g of plan.groups) lines.push(`  group ${g.name}: ${g.hostlist}\n`);
    for (const n of plan.networks) lines.push(`  network ${n.name}: ${n.subnet}, nodes ${n.first ?? '-'} .. ${n.last ?? '-'}\n`);
    lines.push(`  relays: ${plan.relays.length}${plan.relays.length ? ` (${plan.relays[0].relay} serves ${plan.relays[0].hostlist}, ...)` : ''}\n`);
    lines.push(`  ssh key ${applied.sshKey.fingerprint}${applied.sshKey.written ? ' (new)' : ''}\n`);
    lines.push(`  inventory: ${applied.nodes.created} nodes created, ${applied.nodes.updated} updated, ${applied.nodes.unchanged} unchanged\n`);
    return lines.join('');
  }, out);

  program
    .command('nodes')
    .description('list inventory entries (after discovery, commissioning and configuration on the twin) whose names are in a hostlist')
    .argument('<hostlist>', 'node names, e.g. node[001-013]')
    .argument('[scenario]', `scenario file or built-in name (default: ${DEFAULT_SCENARIO})`, DEFAULT_SCENARIO)
    .option('--json', 'print machine-readable JSON')
    .option('--seed <seed>', "override the scenario's seed")
    .action(async (hostlist: string, arg: string, flags: StageFlags) => {
      const scenario = loadDeploymentScenario(arg);
      const r = await runStages(scenario, ['discover', 'commission', 'configure'], { seed: seedOf(flags) });
      const nodes = await r.ports.inventory.nodes(hostlist);
      if (nodes.length === 0) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `no node of ${scenario.name} is in "${hostlist}"`);
      out(flags.json ? `${JSON.stringify(nodes, null, 2)}\n` : nodes.map(nodeLine).join(''));
    });
}
