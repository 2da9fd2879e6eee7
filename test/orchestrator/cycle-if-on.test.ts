/**
 * cycleIfOn: a node found on at its first attempt (still running its old OS) is power-cycled into
 * PXE instead of being sent a power-on it would ignore; nodes found off are powered on as before.
 */
import { describe, expect, it } from 'vitest';
import { deployCluster } from '../../src/orchestrator/deploy-cluster.ts';
import { clusterDeploymentOf } from '../../src/twin/deployment/orchestrated-run.ts';
import { twinPorts } from '../../src/twin/ports/twin-ports.ts';
import { smallCluster } from '../helpers/small-cluster.ts';

/** Deploys 6 nodes of which `alreadyOn` were powered on before the deployment (an old OS, no boot entry yet). */
async function deploy(alreadyOn: readonly string[], cycleIfOn: boolean) {
  const scenario = smallCluster({ nodes: 6, seed: 2, hardware: ['post: 20s'], boot: ['pxe: ipxe'] });
  const deployment = clusterDeploymentOf({ ...scenario, deploy: { ...scenario.deploy, bootTimeout: 600, attempts: 2, softOffGrace: 0 } });
  deployment.options = { ...deployment.options, cycleIfOn };
  const ports = twinPorts(scenario);
  const p = ports.twin.engine.process(async () => {
    for (const node of alreadyOn) await ports.power.powerOn(node);
    // The old OS has been up for a while when the deployment starts.
    await ports.clock.sleep(3600);
    return deployCluster(ports, deployment);
  });
  await ports.twin.engine.run();
  const states = await p.finished;
  const journal = await ports.journal.entries();
  const powered = (type: string) => journal.filter((e) => e.type === type).map((e) => e.node);
  return { states, powerOn: powered('power.on'), powerCycle: powered('power.cycle'), names: deployment.nodes.map((n) => n.name) };
}

describe('cycleIfOn', () => {
  it('power-cycles the nodes found on and powers on the others, all deployed on the first attempt', async () => {
    const { names } = await deploy([], false);
    const on = [names[1], names[4]];
    const r = await deploy(on, true);
    for (const n of names) expect(r.states.get(n)).toMatchObject({ state: 'deployed' });
    expect([...r.powerCycle].sort()).toEqual([...on].sort());
    expect([...r.powerOn].sort()).toEqual(names.filter((n) => !on.includes(n)).sort());
  });

  it('powers on every node once, as without it, when every node is off (only the extra status command moves the timings)', async () => {
    const a = await deploy([], false);
    const b = await deploy([], true);
    expect(b.powerCycle).toEqual([]);
    expect([...b.powerOn].sort()).toEqual([...a.powerOn].sort());
    expect(b.powerOn).toHaveLength(6);
  });

  it('without it, a node found on is sent a power-on it ignores and needs a retry', async () => {
    const { names } = await deploy([], false);
    const r = await deploy([names[1]], false);
    expect(r.powerOn.filter((n) => n === names[1]).length).toBeGreaterThan(1);
  });
});
