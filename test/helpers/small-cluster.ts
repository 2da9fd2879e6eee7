/**
 * A small deployment scenario for tests: `nodes` nodes named n01.., 4 per rack, 1G Ethernet,
 * TFTP boot loader, HTTP kernel/initrd/SquashFS rootfs. `hardware` and `boot` are extra YAML lines
 * (two-space indented) added to those sections.
 */
import { loadScenarioText } from '../../src/scenario/yaml-loader.ts';
import type { DeploymentScenario } from '../../src/twin/deployment/deployment-scenario.ts';
import { resolveScenario } from '../../src/twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../../src/twin/scenario-schema.ts';

export interface SmallCluster {
  nodes: number;
  seed?: number;
  /** Extra lines under hardware: (default post 30s). */
  hardware?: string[];
  /** Extra lines under boot:. */
  boot?: string[];
  rootfsSize?: string;
}

export function smallCluster(c: SmallCluster): DeploymentScenario {
  const width = Math.max(2, String(c.nodes).length);
  const hardware = c.hardware ?? ['post: 30s'];
  const text = [
    'name: small',
    `seed: ${c.seed ?? 1}`,
    `cluster: { nodes: ${c.nodes}, nodesPerRack: 4, names: "n[${'1'.padStart(width, '0')}-${String(c.nodes).padStart(width, '0')}]" }`,
    'networks:',
    '  ethernet: { serverNic: 10Gb/s, rackUplink: 10Gb/s, access: 1Gb/s, latency: 50us }',
    'hardware:',
    ...hardware.map((l) => `  ${l}`),
    'boot:',
    ...(c.boot ?? []).map((l) => `  ${l}`),
    '  bootloader: { size: 100KB, protocol: tftp }',
    '  kernel: { size: 5MB, protocol: http }',
    '  initrd: { size: 20MB, protocol: http }',
    `  rootfs: { method: http, image: { format: squashfs, size: ${c.rootfsSize ?? '300MB'} } }`,
    '',
  ].join('\n');
  return resolveScenario(loadScenarioText<ScenarioFile>(text, 'small.yaml', scenarioSchema)) as DeploymentScenario;
}
