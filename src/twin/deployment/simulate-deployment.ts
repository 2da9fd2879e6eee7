/**
 * Runs a deployment scenario in the twin and collects the result: every node's phases, the
 * failures, link usage and engine counters.
 */
import type { ServiceUsage, SimulationResult } from '../result.ts';
import type { DeploymentTwin } from './cluster.ts';
import { linkUsage } from '../link-usage.ts';
import type { DeploymentScenario } from './deployment-scenario.ts';
import { runDeployment } from './driver.ts';

export async function simulateDeployment(scenario: DeploymentScenario, options: { seed?: string } = {}): Promise<SimulationResult> {
  const seed = options.seed ?? scenario.seed;
  const { twin, outcomes, relays } = await runDeployment(scenario, { seed });
  const records = twin.log.records();
  let makespan = 0;
  for (const r of records) if (r.end > makespan) makespan = r.end;
  const failures = outcomes.filter((o) => o.state === 'failed').map((o) => ({ node: o.node, reason: o.reason ?? 'unknown', at: o.at }));
  const first = twin.fabrics.values().next().value!;
  return {
    scenario: scenario.name,
    seed,
    nodes: scenario.cluster.nodes,
    racks: first.racks,
    records,
    makespan,
    failures,
    relays,
    services: serviceUsage(twin),
    links: linkUsage(twin.network, twin.engine.now),
    engine: {
      events: twin.engine.eventsFired,
      flows: twin.network.stats.flowsStarted,
      recomputations: twin.network.stats.recomputations,
      flowsResolved: twin.network.stats.flowsResolved,
    },
  };
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
