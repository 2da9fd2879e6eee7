/**
 * Runs a scenario in the twin: builds the engine, the flow network and the topology, schedules the
 * workload, runs to the end and collects the result. Deterministic: the same scenario and seed
 * give the same result, bit for bit.
 */
import { Engine } from '../engine/engine.ts';
import { FlowNetwork } from '../engine/network/flow-network.ts';
import { SHARING_MODELS } from '../engine/network/sharing.ts';
import { InternalError, ErrorCodes } from '../errors.ts';
import { relayGroups, startFlatDistribution, startRelayDistribution } from '../models/image-distribution.ts';
import { RackTopology } from '../models/topology.ts';
import { simulateDeployment } from './deployment/simulate-deployment.ts';
import { linkUsage } from './link-usage.ts';
import type { PhaseRecord, SimulationResult } from './result.ts';
import type { Scenario, TransferScenario } from './scenario.ts';

export interface SimulateOptions {
  /** Overrides the scenario's seed. */
  seed?: string;
}

/** Runs any scenario. Transfer scenarios run synchronously inside; deployments run processes. */
export async function simulate(scenario: Scenario, options: SimulateOptions = {}): Promise<SimulationResult> {
  return scenario.kind === 'transfer' ? simulateTransfer(scenario, options) : simulateDeployment(scenario, options);
}

/** Runs a transfer scenario (callbacks only, no processes: the engine's fastest path). */
export function simulateTransfer(scenario: TransferScenario, options: SimulateOptions = {}): SimulationResult {
  const seed = options.seed ?? scenario.seed;
  const engine = new Engine({ seed });
  const net = new FlowNetwork(engine, SHARING_MODELS[scenario.sharing]);
  const network = scenario.networks.find((n) => n.name === scenario.transfer.network)!;
  const { latency, duplex } = network;
  const topology = new RackTopology(net, {
    nodes: scenario.cluster.nodes,
    nodesPerRack: scenario.cluster.nodesPerRack,
    servers: scenario.cluster.servers,
    serverNic: { capacity: network.serverNic, latency, duplex },
    rackUplink: { capacity: network.rackUplink, latency, duplex },
    access: { capacity: network.access, latency, duplex },
  });
  const { image, distribution } = scenario.transfer;
  const transfers =
    distribution.method === 'flat'
      ? startFlatDistribution(topology, image, distribution.concurrency)
      : startRelayDistribution(topology, image, distribution.relays);
  const stats = engine.runSync();

  const records: PhaseRecord[] = new Array(transfers.nodes);
  let makespan = 0;
  for (let node = 0; node < transfers.nodes; node++) {
    const end = transfers.end[node];
    if (Number.isNaN(end)) throw new InternalError(ErrorCodes.NETWORK_INVARIANT, `node ${node} never received the image`);
    records[node] = { node, phase: 'image', start: transfers.start[node], end };
    if (end > makespan) makespan = end;
  }
  return {
    scenario: scenario.name,
    seed,
    nodes: topology.nodes,
    racks: topology.racks,
    records,
    makespan,
    failures: [],
    services: [],
    relays: scenario.transfer.distribution.method === 'relay' ? relayGroups(topology, scenario.transfer.distribution.relays).map((g) => g.relay) : [],
    links: linkUsage(net, stats.now),
    engine: {
      events: engine.eventsFired,
      flows: net.stats.flowsStarted,
      recomputations: net.stats.recomputations,
      flowsResolved: net.stats.flowsResolved,
    },
  };
}
