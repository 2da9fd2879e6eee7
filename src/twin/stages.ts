/**
 * The orchestrator's four stages (KiERA: discovery, commissioning, cluster configuration,
 * deployment) run on one twin of a scenario, in order, each the same library code that drives a
 * real cluster. The CLI's discover/commission/configure/deploy/nodes commands are made of these.
 *
 * In the twin a BMC's address is its node's name; the scan also probes `spareAddresses` empty
 * addresses (a real range always has some), which stay silent until the probe times out.
 */
import type { PhaseListener } from '../models/phase-log.ts';
import { commission, type CommissionResult } from '../orchestrator/commission.ts';
import { applyClusterPlan, planCluster, type ApplyResult, type ClusterPlan } from '../orchestrator/configure/index.ts';
import { deployCluster } from '../orchestrator/deploy-cluster.ts';
import { discover, type DiscoverResult } from '../orchestrator/discover.ts';
import type { NodeStatus } from '../orchestrator/node-state.ts';
import type { JournalEntry } from '../ports/index.ts';
import type { DeploymentTwin } from './deployment/cluster.ts';
import type { DeploymentScenario } from './deployment/deployment-scenario.ts';
import { clusterConfigOf, clusterDeploymentOf, imageOf, TWIN_STATUS_URL } from './deployment/orchestrated-run.ts';
import { TwinKeys } from './ports/twin-keys.ts';
import { twinPorts, type TwinPorts } from './ports/twin-ports.ts';

export const STAGES = ['discover', 'commission', 'configure', 'deploy'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageOptions {
  seed?: string;
  /** Empty addresses scanned besides the nodes' BMCs (default 16). */
  spareAddresses?: number;
  /** Probes (discovery) and boots (commissioning) in flight at once (default 64). */
  parallelism?: number;
  /** Called with every journal entry as it is appended (progress). */
  onJournal?: (entry: JournalEntry) => void;
  /** Told of every node phase as it starts and ends (live dashboards). */
  onPhase?: PhaseListener;
  /** Given the twin once built, before anything runs (to read its network as it goes). */
  onTwin?: (twin: DeploymentTwin) => void;
}

export interface StageResults {
  ports: TwinPorts;
  /** The cluster plan the scenario implies (computed whether or not the configure stage ran). */
  plan: ClusterPlan;
  /** Simulated time at which each stage that ran ended, seconds. */
  endedAt: Partial<Record<Stage, number>>;
  discover?: DiscoverResult;
  commission?: CommissionResult;
  configure?: { plan: ClusterPlan; applied: ApplyResult };
  deploy?: Map<string, NodeStatus>;
}

/** Runs the given stages (in the canonical order, whatever order they are listed in) on one twin. */
export async function runStages(scenario: DeploymentScenario, stages: readonly Stage[], options: StageOptions = {}): Promise<StageResults> {
  const ports = twinPorts(scenario, { seed: options.seed });
  if (options.onJournal) ports.journal.subscribe(options.onJournal);
  if (options.onPhase) ports.twin.log.watch(options.onPhase);
  options.onTwin?.(ports.twin);
  const plan = planCluster(clusterConfigOf(scenario));
  const results: StageResults = { ports, plan, endedAt: {} };
  const parallelism = options.parallelism ?? 64;
  const wanted = new Set(stages);
  const seed = options.seed ?? scenario.seed;

  const run = ports.twin.engine.process(async () => {
    if (wanted.has('discover')) {
      const spares = Array.from({ length: options.spareAddresses ?? 16 }, (_, i) => `spare-bmc-${i + 1}`);
      results.discover = await discover(ports, { addresses: [...ports.names.names, ...spares], port: 623, credentials: 'default', timeout: 2, parallelism });
      results.endedAt.discover = ports.clock.now();
    }
    if (wanted.has('commission')) {
      const image = imageOf(scenario);
      const base = `${TWIN_STATUS_URL.replace(/\/status$/, '')}/images/preinstall`;
      const entry = (node: string) => ({ node, kernelUrl: `${base}/kernel`, initrdUrl: `${base}/initrd`, cmdline: `deploytwin.commission=1 deploytwin.image=${image.name}`, rootfsSource: 'server' });
      results.commission = await commission(ports, { nodes: ports.names.names, entry, parallelism, timeout: 3600 });
      results.endedAt.commission = ports.clock.now();
    }
    if (wanted.has('configure')) {
      results.configure = { plan, applied: await applyClusterPlan(plan, ports, new TwinKeys(seed)) };
      results.endedAt.configure = ports.clock.now();
    }
    if (wanted.has('deploy')) {
      const deployment = clusterDeploymentOf(scenario, plan);
      if (scenario.deploy.jitter > 0) {
        const rng = ports.twin.engine.stream('deploy.jitter');
        deployment.options.jitter = () => rng.next() * scenario.deploy.jitter;
      }
      results.deploy = await deployCluster(ports, deployment);
      results.endedAt.deploy = ports.clock.now();
    }
  }, 'orchestrator');
  await ports.twin.engine.run();
  await run.finished;
  return results;
}
