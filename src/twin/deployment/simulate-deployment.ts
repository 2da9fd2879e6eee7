/**
 * Runs a deployment scenario in the twin, through the orchestrator's stages (by default only the
 * deployment stage, which is what the seeds' published figures measure), and collects the result:
 * every node's phases, the failures, link and service usage, engine counters.
 */
import type { PhaseListener } from '../../models/phase-log.ts';
import type { JournalEntry } from '../../ports/index.ts';
import type { NodeFailure, ServiceUsage, SimulationResult } from '../result.ts';
import type { DeploymentTwin } from './cluster.ts';
import { linkUsage } from '../link-usage.ts';
import type { DeploymentScenario } from './deployment-scenario.ts';
import { runStages, type Stage, type StageResults } from '../stages.ts';

export interface DeploymentSimulationOptions {
  seed?: string;
  /** Stages to run before the deployment, e.g. ['discover', 'commission', 'configure']. */
  before?: readonly Stage[];
  onJournal?: (entry: JournalEntry) => void;
  /** Told of every node phase as it starts and ends (live dashboards). */
  onPhase?: PhaseListener;
  /** Given the twin once built, before anything runs (to read its network as it goes). */
  onTwin?: (twin: DeploymentTwin) => void;
}

export interface DeploymentSimulation {
  result: SimulationResult;
  stages: StageResults;
}

export async function simulateDeployment(scenario: DeploymentScenario, options: DeploymentSimulationOptions = {}): Promise<SimulationResult> {
  return (await simulateDeploymentStages(scenario, options)).result;
}

export async function simulateDeploymentStages(scenario: DeploymentScenario, options: DeploymentSimulationOptions = {}): Promise<DeploymentSimulation> {
  const seed = options.seed ?? scenario.seed;
  const stages = await runStages(scenario, [...(options.before ?? []), 'deploy'], { seed, onJournal: options.onJournal, onPhase: options.onPhase, onTwin: options.onTwin });
  const { ports } = stages;
  const twin = ports.twin;
  const states = stages.deploy!;
  const failures: NodeFailure[] = [];
  const failedAt = new Map<string, number>();
  for (const e of await ports.journal.entries()) if (e.type === 'node.state' && (e.data as { state?: string }).state === 'failed') failedAt.set(e.node!, e.at);
  ports.names.names.forEach((name, node) => {
    const s = states.get(name);
    if (s?.state === 'deployed') return;
    const reason = s?.state === 'failed' ? s.reason : `never deployed (state ${s?.state ?? 'pending'})`;
    failures.push({ node, reason, at: failedAt.get(name) ?? twin.engine.now });
  });
  const records = twin.log.records();
  let makespan = 0;
  for (const r of records) if (r.end > makespan) makespan = r.end;
  const first = twin.fabrics.values().next().value!;
  const result: SimulationResult = {
    scenario: scenario.name,
    seed,
    nodes: scenario.cluster.nodes,
    racks: first.racks,
    records,
    makespan,
    failures,
    relays: stages.plan.relays.map((r) => ports.names.indexOf(r.relay)),
    services: serviceUsage(twin),
    links: linkUsage(twin.network, twin.engine.now),
    engine: {
      events: twin.engine.eventsFired,
      flows: twin.network.stats.flowsStarted,
      recomputations: twin.network.stats.recomputations,
      flowsResolved: twin.network.stats.flowsResolved,
    },
  };
  return { result, stages };
}

/** Peak load and counts of every service the twin created. */
function serviceUsage(twin: DeploymentTwin): ServiceUsage[] {
  const out: ServiceUsage[] = [];
  const p = twin.scenario.services;
  out.push({ name: 'dhcp', kind: 'dhcp', peak: twin.dhcp.stats.peakQueue, limit: p.dhcp.backlog, served: twin.dhcp.stats.answered, refused: twin.dhcp.stats.dropped });
  out.push({ name: 'tftp', kind: 'tftp', peak: twin.tftp.peakActive, limit: p.tftp.maxTransfers, served: twin.tftp.completed, refused: 0 });
  const http = (h: (typeof twin.http)[number]): ServiceUsage => ({
    name: `${h.name}.http`,
    kind: 'http',
    peak: h.peakConnections,
    limit: h.params.maxConnections,
    served: h.completed,
    refused: h.refused,
  });
  for (const h of twin.http) out.push(http(h));
  for (const h of twin.relayHttp.values()) out.push(http(h));
  for (const r of twin.rsync.values()) out.push({ name: r.name, kind: 'rsync', peak: r.clients.peak, limit: Infinity, served: r.clients.completed, refused: 0 });
  for (const n of twin.nfs.values()) out.push({ name: n.name, kind: 'nfs', peak: n.clients.peak, limit: Infinity, served: n.clients.completed, refused: 0 });
  return out;
}
