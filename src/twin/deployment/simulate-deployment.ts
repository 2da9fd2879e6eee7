/**
 * Runs a deployment scenario in the twin and collects the result: every node's phases, the
 * failures, link usage and engine counters.
 */
import type { SimulationResult } from '../result.ts';
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
    links: linkUsage(twin.network, twin.engine.now),
    engine: {
      events: twin.engine.eventsFired,
      flows: twin.network.stats.flowsStarted,
      recomputations: twin.network.stats.recomputations,
      flowsResolved: twin.network.stats.flowsResolved,
    },
  };
}
