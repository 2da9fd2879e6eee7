/**
 * Regression (found by test/real/site-deploy.test.ts on real hardware): an orchestrator killed
 * between journalling a node's "boot.write" and the write itself must write the entry when it
 * resumes. Before the fix the resumed run trusted the journal entry, kept the node's old boot
 * entry (its commissioning one) and powered the node on into the wrong environment.
 */
import { describe, expect, it } from 'vitest';
import { deploy, type DeployPlan } from '../../src/orchestrator/deploy.ts';
import { twinPorts } from '../../src/twin/ports/twin-ports.ts';
import { smallCluster } from '../helpers/small-cluster.ts';

describe('deploy resumed after a crash between "boot.write" and the write', () => {
  it('writes the deployment entry instead of booting the entry the node had before', async () => {
    const ports = twinPorts(smallCluster({ nodes: 2, seed: 5, hardware: ['post: 20s'], boot: ['pxe: ipxe'] }));
    const [first, second] = ports.names.names;
    const plan: DeployPlan = {
      nodes: [first, second],
      relays: new Map(),
      entry: (node, source) => ({ node, kernelUrl: 'http://server/k', initrdUrl: 'http://server/i', cmdline: 'root=live:http://server/rootfs', rootfsSource: source, purpose: 'deploy' }),
    };
    // What the dead run left: the commissioning entry on disk, and the intent to replace it in the journal.
    await ports.bootConfig.write({ node: second, kernelUrl: 'http://server/pre/k', initrdUrl: 'http://server/pre/i', cmdline: 'deploytwin.commission=1', rootfsSource: 'server', purpose: 'commission' });
    await ports.journal.append({ type: 'boot.write', node: second, data: { source: 'server' } });
    const run = ports.twin.engine.process(() => deploy(ports, plan, { wave: 2, stagger: 0, bootTimeout: 900, attempts: 1, backoff: () => 0, softOffGrace: 0 }));
    await ports.twin.engine.run();
    await run.finished;
    expect((await ports.bootConfig.read(second))?.purpose).toBe('deploy');
    expect((await ports.bootConfig.read(first))?.purpose).toBe('deploy');
  });
});
