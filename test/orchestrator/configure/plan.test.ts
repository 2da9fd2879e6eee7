import { describe, expect, it } from 'vitest';
import { planCluster, type ClusterConfig } from '../../../src/orchestrator/configure/index.ts';
import { kiera } from './fixtures.ts';

const byName = (plan: ReturnType<typeof planCluster>, name: string) => plan.nodes.find((n) => n.name === name);

describe('planCluster: the KiERA cluster (169 nodes, 13 per rack)', () => {
  const plan = planCluster(kiera());

  it('names nodes node001..node169 in order and puts 13 in each of racks 0..12', () => {
    expect(plan.nodes).toHaveLength(169);
    expect(plan.nodes[0].name).toBe('node001');
    expect(plan.nodes[168].name).toBe('node169');
    expect(plan.racks).toBe(13);
    expect(byName(plan, 'node013')?.rack).toBe(0);
    expect(byName(plan, 'node014')?.rack).toBe(1);
    expect(byName(plan, 'node157')?.rack).toBe(12);
    expect(byName(plan, 'node169')?.rack).toBe(12);
  });

  it('assigns 10.0.0.1.. and 10.1.0.1.. in node order', () => {
    expect(plan.nodes[0].addresses).toEqual({ ethernet: '10.0.0.1', opa: '10.1.0.1' });
    expect(byName(plan, 'node100')?.addresses).toEqual({ ethernet: '10.0.0.100', opa: '10.1.0.100' });
    expect(plan.nodes[168].addresses).toEqual({ ethernet: '10.0.0.169', opa: '10.1.0.169' });
    expect(plan.networks).toEqual([
      { name: 'ethernet', start: '10.0.0.1', prefixLength: 16, subnet: '10.0.0.0/16', first: '10.0.0.1', last: '10.0.0.169' },
      { name: 'opa', start: '10.1.0.1', prefixLength: 16, subnet: '10.1.0.0/16', first: '10.1.0.1', last: '10.1.0.169' },
    ]);
  });

  it('picks one relay per group of at most 2 racks, by the relayGroups split (K = ceil(13/2) = 7)', () => {
    // Group g holds racks floor(13g/7) .. floor(13(g+1)/7)-1: [0], [1,2], [3,4], [5,6], [7,8], [9,10], [11,12];
    // the relay is the first node of the group's first rack, rack r starting at node 13r+1.
    expect(plan.relays.map((r) => r.relay)).toEqual(['node001', 'node014', 'node040', 'node066', 'node092', 'node118', 'node144']);
    expect(plan.roles.relay).toBe('node[001,014,040,066,092,118,144]');
    expect(plan.relays.map((r) => r.hostlist)).toEqual([
      'node[002-013]',
      'node[015-039]',
      'node[041-065]',
      'node[067-091]',
      'node[093-117]',
      'node[119-143]',
      'node[145-169]',
    ]);
    expect(plan.relays[0].children).toHaveLength(12);
    expect(plan.roles.head).toBe('');
    expect(plan.roles.compute).toBe('node[002-013,015-039,041-065,067-091,093-117,119-143,145-169]');
  });

  it('makes one group per rack, rack0..rack12', () => {
    expect(plan.groups).toHaveLength(13);
    expect(plan.groups[0]).toEqual({ name: 'rack0', hostlist: 'node[001-013]' });
    expect(plan.groups[12]).toEqual({ name: 'rack12', hostlist: 'node[157-169]' });
    expect(byName(plan, 'node014')?.group).toBe('rack1');
  });

  it('records roles on the nodes and leaves the BMC unknown', () => {
    expect(byName(plan, 'node001')?.role).toBe('relay');
    expect(byName(plan, 'node002')?.role).toBe('compute');
    expect(plan.nodes.every((n) => n.bmc === '')).toBe(true);
    expect(plan.sshKey).toEqual({ kind: 'generate' });
    expect(plan.cluster).toBe('nurion');
  });

  it('is deterministic', () => {
    expect(planCluster(structuredClone(kiera()))).toEqual(plan);
  });
});

describe('planCluster: other selections', () => {
  it('splits 13 racks into exactly 2 relay groups with rack-groups (racks 0-5 and 6-12)', () => {
    const plan = planCluster(kiera({ relays: { kind: 'rack-groups', relays: 2 } }));
    expect(plan.relays.map((r) => [r.relay, r.hostlist])).toEqual([
      ['node001', 'node[002-078]'],
      ['node079', 'node[080-169]'],
    ]);
  });

  it('never makes a head a relay: the next node of the group relays', () => {
    const plan = planCluster(kiera({ heads: 'node001' }));
    expect(plan.roles.head).toBe('node001');
    expect(plan.relays[0]).toMatchObject({ relay: 'node002', hostlist: 'node[003-013]' });
    expect(byName(plan, 'node001')?.role).toBe('head');
  });

  it('serves each node from the nearest explicit relay before it (the first relay for nodes before all relays)', () => {
    const plan = planCluster(kiera({ relays: { kind: 'explicit', hostlist: 'node[050,010]' } }));
    expect(plan.relays.map((r) => [r.relay, r.hostlist])).toEqual([
      ['node010', 'node[001-009,011-049]'],
      ['node050', 'node[051-169]'],
    ]);
  });

  it('has no relays when none are asked for', () => {
    const plan = planCluster(kiera({ relays: { kind: 'none' } }));
    expect(plan.relays).toEqual([]);
    expect(plan.roles.compute).toBe('node[001-169]');
  });

  it('groups several racks together, and defaults to one group named after the cluster', () => {
    const plan = planCluster(kiera({ groups: { kind: 'racks', racksPerGroup: 5 } }));
    expect(plan.groups).toEqual([
      { name: 'group0', hostlist: 'node[001-065]' },
      { name: 'group1', hostlist: 'node[066-130]' },
      { name: 'group2', hostlist: 'node[131-169]' },
    ]);
    expect(planCluster(kiera({ groups: undefined })).groups).toEqual([{ name: 'nurion', hostlist: 'node[001-169]' }]);
  });

  it('takes named groups, the rest going to "others"', () => {
    const plan = planCluster(kiera({ groups: { kind: 'explicit', groups: { knl: 'node[001-100]', gpu: 'node[150-169]' }, others: 'spare' } }));
    expect(plan.groups).toEqual([
      { name: 'knl', hostlist: 'node[001-100]' },
      { name: 'spare', hostlist: 'node[101-149]' },
      { name: 'gpu', hostlist: 'node[150-169]' },
    ]);
  });

  it('names nodes from a hostlist, in the order written, racks following that order', () => {
    const plan = planCluster(
      kiera({ naming: { hostlist: 'gpu[1-2],cn[01-04]' }, nodes: 6, nodesPerRack: 4, relays: { kind: 'rack-groups', relays: 2 }, groups: undefined }),
    );
    expect(plan.nodes.map((n) => [n.name, n.rack, n.addresses.ethernet])).toEqual([
      ['gpu1', 0, '10.0.0.1'],
      ['gpu2', 0, '10.0.0.2'],
      ['cn01', 0, '10.0.0.3'],
      ['cn02', 0, '10.0.0.4'],
      ['cn03', 1, '10.0.0.5'],
      ['cn04', 1, '10.0.0.6'],
    ]);
    expect(plan.relays.map((r) => [r.relay, r.hostlist])).toEqual([
      ['gpu1', 'cn[01-02],gpu2'],
      ['cn03', 'cn04'],
    ]);
  });

  it('pads to the width and lets longer numbers grow, from the first number asked', () => {
    const plan = planCluster(kiera({ naming: { prefix: 'cn', width: 2, first: 98 }, nodes: 4, relays: undefined }));
    expect(plan.nodes.map((n) => n.name)).toEqual(['cn98', 'cn99', 'cn100', 'cn101']);
  });

  it('records the BMC addresses given in node order', () => {
    const plan = planCluster(kiera({ nodes: 3, bmcs: ['10.2.0.7', '10.2.0.8', '10.2.0.9'], relays: undefined }));
    expect(plan.nodes.map((n) => n.bmc)).toEqual(['10.2.0.7', '10.2.0.8', '10.2.0.9']);
  });
});

describe('planCluster: sequential addresses', () => {
  const one = (network: ClusterConfig['networks'][number], nodes: number) =>
    planCluster(kiera({ nodes, relays: undefined, networks: [network] })).nodes.map((n) => n.addresses[network.name]);

  it('skips the gateway', () => {
    const addresses = one({ name: 'ethernet', start: '10.0.0.1', prefixLength: 16, gateway: '10.0.0.100' }, 169);
    expect(addresses[98]).toBe('10.0.0.99');
    expect(addresses[99]).toBe('10.0.0.101');
    expect(addresses[168]).toBe('10.0.0.170');
  });

  it('skips the network address when the start is on it', () => {
    expect(one({ name: 'ethernet', start: '10.0.0.0', prefixLength: 16 }, 2)).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('crosses .255 and .0 inside a /16: only the subnet ends are reserved', () => {
    expect(one({ name: 'ethernet', start: '10.0.0.253', prefixLength: 16 }, 5)).toEqual(['10.0.0.253', '10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1']);
  });

  it('fills a /24 exactly: 254 hosts, the broadcast address skipped', () => {
    const addresses = one({ name: 'opa', start: '192.168.7.0', prefixLength: 24 }, 254);
    expect(addresses[0]).toBe('192.168.7.1');
    expect(addresses[253]).toBe('192.168.7.254');
  });

  it('uses both addresses of a /31 (RFC 3021) and the one of a /32', () => {
    expect(one({ name: 'p2p', start: '10.9.9.0', prefixLength: 31 }, 2)).toEqual(['10.9.9.0', '10.9.9.1']);
    expect(one({ name: 'lo', start: '10.9.9.9', prefixLength: 32 }, 1)).toEqual(['10.9.9.9']);
  });

  it('handles the top of the address space', () => {
    expect(one({ name: 'top', start: '255.255.255.252', prefixLength: 30 }, 2)).toEqual(['255.255.255.253', '255.255.255.254']);
  });
});
