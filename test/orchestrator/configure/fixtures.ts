import type { ClusterConfig } from '../../../src/orchestrator/configure/index.ts';

/** The KiERA seed's cluster: 169 KNL nodes, 13 racks of 13, Ethernet and OPA. */
export function kiera(overrides: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    name: 'nurion',
    naming: { prefix: 'node', width: 3 },
    nodes: 169,
    nodesPerRack: 13,
    groups: { kind: 'racks', racksPerGroup: 1 },
    relays: { kind: 'per-racks', racks: 2 },
    networks: [
      { name: 'ethernet', start: '10.0.0.1', prefixLength: 16 },
      { name: 'opa', start: '10.1.0.1', prefixLength: 16 },
    ],
    sshKey: 'generate',
    ...overrides,
  };
}
