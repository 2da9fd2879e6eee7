/**
 * Commissioning on the twin: each node boots the preinstallation environment once and its
 * hardware facts land in the inventory; lost BMC commands fail only their node.
 */
import { describe, expect, it } from 'vitest';
import { commission } from '../../src/orchestrator/commission.ts';
import { loadScenarioText } from '../../src/scenario/yaml-loader.ts';
import type { DeploymentScenario } from '../../src/twin/deployment/deployment-scenario.ts';
import { twinPorts } from '../../src/twin/ports/twin-ports.ts';
import { resolveScenario } from '../../src/twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../../src/twin/scenario-schema.ts';

function cluster(failureRate: number): DeploymentScenario {
  const text = `
name: commissioning
cluster: { nodes: 8, nodesPerRack: 4, names: "n[1-8]" }
networks:
  ethernet: { serverNic: 10Gb/s, rackUplink: 10Gb/s, access: 1Gb/s, latency: 50us }
hardware:
  post: 40s
  cores: 68
  memory: 96GB
  bmc: { failureRate: ${failureRate} }
boot:
  bootloader: { size: 100KB, protocol: tftp }
  kernel: { size: 5MB, protocol: http }
  initrd: { size: 20MB, protocol: http }
  rootfs: { method: http, image: { format: squashfs, size: 2GB } }
`;
  return resolveScenario(loadScenarioText<ScenarioFile>(text, 'commissioning.yaml', scenarioSchema)) as DeploymentScenario;
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
    const stored = await ports.inventory.nodes('n[1-8]');
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
