import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.ts';
import { planCluster, type ClusterConfig } from '../../../src/orchestrator/configure/index.ts';
import { errorOf } from '../../helpers/error-of.ts';
import { kiera } from './fixtures.ts';

const fails = (overrides: Partial<ClusterConfig>) => errorOf(() => planCluster(kiera(overrides)));
const withNet = (network: ClusterConfig['networks'][number], more: Partial<ClusterConfig> = {}) =>
  fails({ networks: [{ name: 'ethernet', start: '10.0.0.1', prefixLength: 16 }, network], ...more });

describe('planCluster: range exhaustion', () => {
  it('says which network ran out, how many were needed and how many were available', () => {
    // 10.1.0.100 .. 10.1.0.254 in a /24: 155 addresses (the broadcast .255 is reserved).
    const e = withNet({ name: 'opa', start: '10.1.0.100', prefixLength: 24 });
    expect(e.code).toBe(ErrorCodes.CONFIGURE_RANGE_EXHAUSTED);
    expect(e.message).toContain('network "opa": 169 addresses needed from 10.1.0.100 in 10.1.0.0/24, only 155 available');
  });

  it('counts the gateway out of the range', () => {
    const e = withNet({ name: 'opa', start: '10.1.0.100', prefixLength: 24, gateway: '10.1.0.200' });
    expect(e.message).toContain('only 154 available');
  });

  it('fails one node past a full /24', () => {
    const e = fails({ nodes: 255, relays: undefined, networks: [{ name: 'opa', start: '10.1.0.0', prefixLength: 24 }] });
    expect(e.code).toBe(ErrorCodes.CONFIGURE_RANGE_EXHAUSTED);
    expect(e.message).toContain('255 addresses needed');
    expect(e.message).toContain('only 254 available');
  });

  it('has nothing to give from a broadcast start', () => {
    expect(fails({ nodes: 1, relays: undefined, networks: [{ name: 'x', start: '10.1.0.255', prefixLength: 24 }] }).message).toContain('only 0 available');
  });
});

describe('planCluster: bad addresses', () => {
  it.each(['10.0.0', '10.0.0.256', '010.0.0.1', '10.0.0.1 ', 'a.b.c.d', '10..0.1', '1.2.3.4.5', ''])('rejects the start %j', (start) => {
    const e = withNet({ name: 'opa', start, prefixLength: 16 });
    expect(e.code).toBe(ErrorCodes.CONFIGURE_BAD_ADDRESS);
    expect(e.message).toContain('network "opa" start');
  });

  it.each([-1, 33, 16.5, NaN])('rejects the prefix length %s', (prefixLength) => {
    expect(withNet({ name: 'opa', start: '10.1.0.1', prefixLength }).code).toBe(ErrorCodes.CONFIGURE_BAD_ADDRESS);
  });

  it('rejects a gateway outside the subnet, or on its network or broadcast address', () => {
    expect(withNet({ name: 'opa', start: '10.1.0.1', prefixLength: 16, gateway: '10.2.0.1' }).message).toContain('outside the subnet 10.1.0.0/16');
    expect(withNet({ name: 'opa', start: '10.1.0.1', prefixLength: 16, gateway: '10.1.255.255' }).message).toContain('broadcast address');
    expect(withNet({ name: 'opa', start: '10.1.0.1', prefixLength: 16, gateway: '10.1.0.0' }).message).toContain('network address');
  });

  it('rejects networks whose ranges overlap, or that would hand out another network\'s gateway', () => {
    const overlap = withNet({ name: 'opa', start: '10.0.0.100', prefixLength: 16 });
    expect(overlap.code).toBe(ErrorCodes.CONFIGURE_NETWORK_OVERLAP);
    expect(overlap.message).toContain('"ethernet" (10.0.0.1-10.0.0.169) and "opa" (10.0.0.100-10.0.1.12)');
    const gateway = fails({
      networks: [
        { name: 'ethernet', start: '10.0.0.1', prefixLength: 8, gateway: '10.1.0.5' },
        { name: 'opa', start: '10.1.0.1', prefixLength: 16 },
      ],
    });
    expect(gateway.code).toBe(ErrorCodes.CONFIGURE_NETWORK_OVERLAP);
    expect(gateway.message).toContain('network "opa" would assign 10.1.0.5, the gateway of network "ethernet"');
  });
});

describe('planCluster: names', () => {
  it('rejects a hostlist that names a node twice', () => {
    const e = fails({ naming: { hostlist: 'node[001-010],node005' }, nodes: 11 });
    expect(e.code).toBe(ErrorCodes.CONFIGURE_DUPLICATE_NAME);
    expect(e.message).toContain('node005');
  });

  it('rejects two networks of the same name and two nodes with the same BMC', () => {
    expect(withNet({ name: 'ethernet', start: '10.5.0.1', prefixLength: 16 }).code).toBe(ErrorCodes.CONFIGURE_DUPLICATE_NAME);
    const e = fails({ nodes: 3, relays: undefined, bmcs: ['10.2.0.1', '10.2.0.2', '10.2.0.1'] });
    expect(e.code).toBe(ErrorCodes.CONFIGURE_DUPLICATE_NAME);
    expect(e.message).toBe('BMC address 10.2.0.1 is given for both node001 and node003');
  });

  it('rejects a count that does not match the hostlist, and a malformed hostlist', () => {
    expect(fails({ naming: { hostlist: 'node[1-10]' }, nodes: 11 }).code).toBe(ErrorCodes.CONFIGURE_BAD_CONFIG);
    expect(fails({ naming: { hostlist: 'node[1-' }, nodes: 1 }).code).toBe(ErrorCodes.HOSTLIST_INVALID);
  });

  it('rejects bad prefixes, widths, counts and labels', () => {
    expect(fails({ naming: { prefix: 'n1', width: 3 } }).code).toBe(ErrorCodes.CONFIGURE_BAD_CONFIG);
    expect(fails({ naming: { prefix: 'no de', width: 3 } }).code).toBe(ErrorCodes.CONFIGURE_BAD_CONFIG);
    expect(fails({ naming: { prefix: 'node', width: 0 } }).code).toBe(ErrorCodes.CONFIGURE_BAD_CONFIG);
    expect(fails({ nodes: 0 }).code).toBe(ErrorCodes.CONFIGURE_BAD_CONFIG);
    expect(fails({ nodesPerRack: 2.5 }).code).toBe(ErrorCodes.CONFIGURE_BAD_CONFIG);
    expect(fails({ name: 'my cluster' }).message).toContain('cluster name');
    expect(fails({ networks: [{ name: '', start: '10.0.0.1', prefixLength: 16 }] }).message).toContain('network name');
    expect(fails({ bmcs: ['10.2.0.1'] }).message).toContain('one BMC address per node (169), got 1');
  });
});

describe('planCluster: roles and groups', () => {
  it('rejects heads and relays outside the cluster', () => {
    const e = fails({ heads: 'node[168-171]' });
    expect(e.code).toBe(ErrorCodes.CONFIGURE_UNKNOWN_NODE);
    expect(e.message).toContain('names 2 node(s) not in the cluster: node[170-171]');
    expect(fails({ relays: { kind: 'explicit', hostlist: 'login1' } }).code).toBe(ErrorCodes.CONFIGURE_UNKNOWN_NODE);
  });

  it('rejects a node that would be head and relay, or a relay group of heads only', () => {
    expect(fails({ heads: 'node050', relays: { kind: 'explicit', hostlist: 'node[001,050]' } }).code).toBe(ErrorCodes.CONFIGURE_ROLE_CONFLICT);
    const e = fails({ heads: 'node[001-013]', relays: { kind: 'per-racks', racks: 1 } });
    expect(e.code).toBe(ErrorCodes.CONFIGURE_ROLE_CONFLICT);
    expect(e.message).toContain('relay group 0 (racks 0-0) holds only head nodes');
  });

  it('rejects relay counts outside 1..racks', () => {
    expect(fails({ relays: { kind: 'rack-groups', relays: 14 } }).message).toContain('relays must be an integer from 1 to 13');
    expect(fails({ relays: { kind: 'rack-groups', relays: 0 } }).code).toBe(ErrorCodes.CONFIGURE_BAD_CONFIG);
    expect(fails({ relays: { kind: 'per-racks', racks: 0 } }).code).toBe(ErrorCodes.CONFIGURE_BAD_CONFIG);
  });

  it('rejects overlapping groups and nodes left out of every group', () => {
    const overlap = fails({ groups: { kind: 'explicit', groups: { a: 'node[001-100]', b: 'node[100-169]' } } });
    expect(overlap.code).toBe(ErrorCodes.CONFIGURE_BAD_GROUPS);
    expect(overlap.message).toContain('node100 is in both group "a" and group "b"');
    const gap = fails({ groups: { kind: 'explicit', groups: { a: 'node[001-100]' } } });
    expect(gap.code).toBe(ErrorCodes.CONFIGURE_BAD_GROUPS);
    expect(gap.message).toContain('69 node(s) are in no group: node[101-169]');
  });
});
