/**
 * Commissioning on the twin: each node boots the preinstallation environment once and its
 * hardware facts land in the inventory; lost BMC commands fail only their node.
 */
import { describe, expect, it } from 'vitest';
import { commission } from '../../src/orchestrator/commission.ts';
import { twinPorts } from '../../src/twin/ports/twin-ports.ts';
import { smallCluster } from '../helpers/small-cluster.ts';

function cluster(failureRate: number) {
  return smallCluster({ nodes: 8, hardware: ['post: 40s', 'cores: 68', 'memory: 96GB', `bmc: { failureRate: ${failureRate} }`], rootfsSize: '2GB' });
}

const entry = (node: string) => ({ node, kernelUrl: 'http://server/pie/kernel', initrdUrl: 'http://server/pie/initrd', cmdline: 'commission', rootfsSource: 'server' });

describe('commissioning', () => {
  it('boots each node into the preinstallation environment once and stores its hardware', async () => {
    const ports = twinPorts(cluster(0));
    const nodes = ports.names.names;
    const run = ports.twin.engine.process(() => commission(ports, { nodes, entry, parallelism: 3, timeout: 600 }));
    await ports.twin.engine.run();
    const result = await run.finished;
    expect(result.failed).toEqual([]);
    expect(result.commissioned.map((c) => c.node)).toEqual(nodes);
    const stored = await ports.inventory.nodes('n[01-08]');
    expect(stored.map((n) => [n.name, n.hardware?.cpus, n.hardware?.memoryBytes])).toEqual(nodes.map((n) => [n, 68, 96e9]));
    const macs = stored.map((n) => n.hardware!.macs[0]);
    expect(new Set(macs).size).toBe(8);
    expect(macs[0]).toBe('52:54:00:00:00:00');
    // The commissioning environment runs from its initrd: no rootfs was downloaded.
    expect(ports.twin.log.records().filter((r) => r.phase === 'rootfs' && r.end - r.start > 0.001)).toEqual([]);
    // Idempotent: a second run powers nothing and journals nothing.
    const before = (await ports.journal.entries()).length;
    const again = ports.twin.engine.process(() => commission(ports, { nodes, entry, parallelism: 3, timeout: 600 }));
    await ports.twin.engine.run();
    expect((await again.finished).commissioned).toHaveLength(8);
    expect((await ports.journal.entries()).length).toBe(before);
  });

  it('a lost BMC command fails only its node, with the reason', async () => {
    const ports = twinPorts(cluster(0.4));
    const nodes = ports.names.names;
    const run = ports.twin.engine.process(() => commission(ports, { nodes, entry, parallelism: 8, timeout: 600 }));
    await ports.twin.engine.run();
    const result = await run.finished;
    expect(result.failed.length).toBeGreaterThan(0);
    expect(result.commissioned.length).toBeGreaterThan(0);
    expect(result.commissioned.length + result.failed.length).toBe(8);
    for (const f of result.failed) expect(f.reason).toMatch(/DT_BMC_TIMEOUT/);
  });
});
