/**
 * A plain deployment driver for the twin: relays first, then every node, powered on through its BMC
 * in waves (at most `wave` nodes between power-on and "booted"), `stagger` seconds apart; a relay,
 * once booted, serves the root filesystem to its group of racks. No retries: a node whose BMC or
 * boot fails ends Failed with the reason.
 *
 * This is the minimal controller the models need to run end to end; the deployment orchestrator
 * (its stages, retries, escalation and journal) drives the same twin through its ports.
 */
import { Resource } from '../../engine/resource.ts';
import { relayGroups } from '../../models/image-distribution.ts';
import { DeploymentTwin } from './cluster.ts';
import type { DeploymentScenario } from './deployment-scenario.ts';
import { NodeBoots } from './node-boots.ts';

const collectiveMethods = new Set(['multicast', 'chain', 'p2p']);

export interface NodeOutcome {
  node: number;
  state: 'deployed' | 'failed';
  /** For failed nodes: the error code and message. */
  reason?: string;
  /** Time the node reported booted (deployed) or failed. */
  at: number;
}

export interface DeploymentRun {
  twin: DeploymentTwin;
  outcomes: NodeOutcome[];
  relays: number[];
}

function describeError(e: unknown): string {
  if (e instanceof Error) return 'code' in e ? `${String((e as { code: unknown }).code)}: ${e.message}` : e.message;
  return String(e);
}

export async function runDeployment(scenario: DeploymentScenario, options: { seed?: string } = {}): Promise<DeploymentRun> {
  const boots = new NodeBoots();
  const finished: Array<Promise<void>> = new Array(scenario.cluster.nodes);
  const settle: Array<(e?: unknown) => void> = new Array(scenario.cluster.nodes);
  for (let i = 0; i < scenario.cluster.nodes; i++) {
    finished[i] = new Promise<void>((resolve, reject) => (settle[i] = (e?: unknown) => (e === undefined ? resolve() : reject(e))));
    // A failure is read by the driver below; never leave it unobserved.
    finished[i].catch(() => {});
  }

  const twin: DeploymentTwin = new DeploymentTwin(
    scenario,
    {
      onPowerOn: (node) =>
        boots.start(node, { onPhase: () => {} }).finished.then(
          () => settle[node](),
          (e: unknown) => settle[node](e ?? new Error('boot failed')),
        ),
      onPowerOff: (node) => boots.stop(node),
    },
    options,
  );
  boots.bind(twin);
  const engine = twin.engine;
  const outcomes: NodeOutcome[] = new Array(scenario.cluster.nodes);

  // Relays: the first node of each group of whole racks on the rootfs fabric.
  const rootfsFabric = twin.fabric(scenario.boot.rootfs.network);
  const groups = scenario.deploy.relays > 0 ? relayGroups(rootfsFabric, scenario.deploy.relays) : [];
  const relayReady = new Map<number, Promise<boolean>>();
  const order: number[] = groups.map((g) => g.relay);
  const isRelay = twin.relays;
  for (const r of order) isRelay.add(r);
  for (const g of groups) for (let n = g.firstNode; n < g.endNode; n++) if (n !== g.relay) twin.rootfsSource[n] = g.relay;
  for (let n = 0; n < scenario.cluster.nodes; n++) if (!isRelay.has(n)) order.push(n);

  const wave = new Resource(engine, scenario.deploy.wave === Infinity ? Infinity : scenario.deploy.wave, 'wave');

  async function deployNode(node: number): Promise<void> {
    try {
      const bmc = twin.bmcs[node];
      const asked = engine.now;
      await bmc.setBootDevice('pxe', false);
      await bmc.powerOn();
      twin.log.record(node, 'power-on', asked, engine.now);
      await finished[node];
      outcomes[node] = { node, state: 'deployed', at: engine.now };
    } catch (e) {
      outcomes[node] = { node, state: 'failed', reason: describeError(e), at: engine.now };
      // A node that never reached its rootfs phase must not hold up a collective session.
      if (collectiveMethods.has(scenario.boot.rootfs.method)) twin.collective.forget(node);
    }
  }

  for (const g of groups) {
    relayReady.set(
      g.relay,
      finished[g.relay].then(
        () => {
          twin.relayHttpServer(g.relay);
          return true;
        },
        () => false,
      ),
    );
  }

  engine.process(async () => {
    const started: Array<Promise<unknown>> = [];
    for (let k = 0; k < order.length; k++) {
      const node = order[k];
      const source = twin.rootfsSource[node];
      if (source >= 0 && !(await relayReady.get(source))) {
        outcomes[node] = { node, state: 'failed', reason: `relay node ${source} failed, no source for the root filesystem`, at: engine.now };
        if (collectiveMethods.has(scenario.boot.rootfs.method)) twin.collective.forget(node);
        continue;
      }
      const release = await wave.acquire();
      started.push(engine.process(() => deployNode(node).finally(release), `deploy:${node}`).finished);
      if (scenario.deploy.stagger > 0 && k + 1 < order.length) await engine.timeout(scenario.deploy.stagger);
    }
    await Promise.all(started);
  }, 'driver');

  await engine.run();
  return { twin, outcomes, relays: groups.map((g) => g.relay) };
}
