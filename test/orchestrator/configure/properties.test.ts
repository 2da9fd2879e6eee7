import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes, UsageError } from '../../../src/errors.ts';
import { applyClusterPlan, parseIpv4, planCluster, type ClusterConfig, type ClusterPlan } from '../../../src/orchestrator/configure/index.ts';
import { expandHostlist } from '../../../src/scenario/hostlist.ts';
import { CountingKeys, fakePorts } from './fake-ports.ts';

/** Networks in disjoint /8s (first octets 10, 30, 50), each /16../22 with room for 300 nodes past its start offset. */
const networkArb = fc.record({
  prefixLength: fc.integer({ min: 16, max: 22 }),
  second: fc.integer({ min: 0, max: 255 }),
  third: fc.integer({ min: 0, max: 255 }),
  offset: fc.integer({ min: 0, max: 300 }),
  gateway: fc.option(fc.nat(), { nil: undefined }),
});

const configArb = fc.record({
  nodes: fc.integer({ min: 1, max: 300 }),
  perRack: fc.integer({ min: 1, max: 40 }),
  width: fc.integer({ min: 1, max: 4 }),
  prefix: fc.constantFrom('node', 'cn', 'gpu-', 'x.'),
  networks: fc.array(networkArb, { minLength: 1, maxLength: 3 }),
  relayKind: fc.constantFrom('none', 'explicit', 'rack-groups', 'per-racks'),
  relayParam: fc.nat(),
  relayPicks: fc.array(fc.nat(), { maxLength: 8 }),
  headPicks: fc.array(fc.nat(), { maxLength: 3 }),
  racksPerGroup: fc.integer({ min: 1, max: 4 }),
});

const ip = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');

type Drawn = typeof configArb extends fc.Arbitrary<infer T> ? T : never;

function toConfig(g: Drawn): ClusterConfig {
  const names = Array.from({ length: g.nodes }, (_, i) => g.prefix + String(i + 1).padStart(g.width, '0'));
  const racks = Math.ceil(g.nodes / g.perRack);
  const heads = [...new Set(g.headPicks.map((k) => names[k % g.nodes]))];
  const relayNames = [...new Set(g.relayPicks.map((k) => names[k % g.nodes]))].filter((n) => !heads.includes(n));
  const relays: ClusterConfig['relays'] =
    g.relayKind === 'explicit'
      ? { kind: 'explicit', hostlist: relayNames.join(',') }
      : g.relayKind === 'rack-groups'
        ? { kind: 'rack-groups', relays: 1 + (g.relayParam % racks) }
        : g.relayKind === 'per-racks'
          ? { kind: 'per-racks', racks: 1 + (g.relayParam % (racks + 1)) }
          : { kind: 'none' };
  const networks = g.networks.map((n, k) => {
    const size = 2 ** (32 - n.prefixLength);
    const base = (((10 + 20 * k) << 24) | (n.second << 16) | (n.third << 8)) >>> 0;
    const subnet = base - (base % size);
    return {
      name: `net${k}`,
      start: ip(subnet + n.offset),
      prefixLength: n.prefixLength,
      ...(n.gateway === undefined ? {} : { gateway: ip(subnet + 1 + (n.gateway % (size - 2))) }),
    };
  });
  return {
    name: 'prop',
    naming: { prefix: g.prefix, width: g.width },
    nodes: g.nodes,
    nodesPerRack: g.perRack,
    groups: { kind: 'racks', racksPerGroup: g.racksPerGroup },
    heads: heads.join(','),
    relays,
    networks,
    sshKey: 'generate',
  };
}

/** Plans, skipping the rare draw where a rack group holds only heads (a documented refusal). */
function planOrSkip(config: ClusterConfig): ClusterPlan {
  try {
    return planCluster(config);
  } catch (e) {
    fc.pre(!(e instanceof UsageError && e.code === ErrorCodes.CONFIGURE_ROLE_CONFLICT));
    throw e;
  }
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('planCluster properties', () => {
  it('addresses are unique per network, increase in node order, stay in the subnet and avoid reserved addresses', () => {
    fc.assert(
      fc.property(configArb, (g) => {
        const config = toConfig(g);
        const plan = planOrSkip(config);
        for (const net of config.networks) {
          const values = plan.nodes.map((n) => parseIpv4(n.addresses[net.name], 'test'));
          const size = 2 ** (32 - net.prefixLength);
          const start = parseIpv4(net.start, 'test');
          const network = start - (start % size);
          for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
          expect(values[0]).toBeGreaterThanOrEqual(start);
          for (const v of values) {
            expect(v).toBeGreaterThan(network);
            expect(v).toBeLessThan(network + size - 1);
            if (net.gateway !== undefined) expect(ip(v)).not.toBe(net.gateway);
          }
          // Sequential: the last address is the start plus the nodes, plus each reserved address skipped on the way.
          const skipped = (start === network ? 1 : 0) + (net.gateway !== undefined && parseIpv4(net.gateway, 'test') >= start && parseIpv4(net.gateway, 'test') <= values[values.length - 1] ? 1 : 0);
          expect(values[values.length - 1]).toBe(start + config.nodes - 1 + skipped);
        }
      }),
    );
  });

  it('every node has exactly one role, and each role hostlist expands back to exactly its nodes', () => {
    fc.assert(
      fc.property(configArb, (g) => {
        const plan = planOrSkip(toConfig(g));
        const all = plan.nodes.map((n) => n.name);
        const roleSets = (['head', 'relay', 'compute'] as const).map((role) => expandHostlist(plan.roles[role]));
        expect(sorted(roleSets.flat())).toEqual(sorted(all));
        for (const [k, role] of (['head', 'relay', 'compute'] as const).entries()) {
          expect(sorted(roleSets[k])).toEqual(sorted(plan.nodes.filter((n) => n.role === role).map((n) => n.name)));
        }
        expect(plan.relays.map((r) => r.relay)).toEqual(plan.nodes.filter((n) => n.role === 'relay').map((n) => n.name));
      }),
    );
  });

  it('relay children partition the compute nodes (the non-relay nodes when there are no heads)', () => {
    fc.assert(
      fc.property(configArb, (g) => {
        const plan = planOrSkip(toConfig(g));
        const children = plan.relays.flatMap((r) => r.children);
        for (const r of plan.relays) expect(sorted(expandHostlist(r.hostlist))).toEqual(sorted(r.children));
        if (plan.relays.length === 0) {
          expect(children).toEqual([]);
          return;
        }
        expect(new Set(children).size).toBe(children.length);
        expect(sorted(children)).toEqual(sorted(plan.nodes.filter((n) => n.role === 'compute').map((n) => n.name)));
        if (plan.roles.head === '') expect(sorted(children)).toEqual(sorted(plan.nodes.filter((n) => n.role !== 'relay').map((n) => n.name)));
      }),
    );
  });

  it('group hostlists partition the nodes and agree with each node\'s group', () => {
    fc.assert(
      fc.property(configArb, (g) => {
        const plan = planOrSkip(toConfig(g));
        const members = plan.groups.flatMap((grp) => expandHostlist(grp.hostlist).map((name) => [name, grp.name]));
        expect(sorted(members.map(([name, grp]) => `${name} ${grp}`))).toEqual(sorted(plan.nodes.map((n) => `${n.name} ${n.group}`)));
        const prefix = g.racksPerGroup === 1 ? 'rack' : 'group';
        for (const n of plan.nodes) expect(n.group).toBe(prefix + Math.floor(n.rack / g.racksPerGroup));
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(configArb, (g) => {
        expect(planOrSkip(toConfig(g))).toEqual(planOrSkip(toConfig(structuredClone(g))));
      }),
    );
  });
});

describe('applyClusterPlan properties', () => {
  it('applying a plan twice writes and journals nothing the second time, and leaves the plan in the inventory', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, async (g) => {
        const plan = planOrSkip(toConfig(g));
        const ports = fakePorts();
        const keys = new CountingKeys();
        await applyClusterPlan(plan, ports, keys);
        const [writes, entries] = [ports.inventory.writes, ports.journal.log.length];
        expect(writes).toBe(plan.networks.length + plan.nodes.length);
        expect(entries).toBe(writes + 1);
        const again = await applyClusterPlan(plan, ports, keys);
        expect(ports.inventory.writes).toBe(writes);
        expect(ports.journal.log.length).toBe(entries);
        expect(keys.calls).toBe(1);
        expect(again.nodes).toEqual({ created: 0, updated: 0, unchanged: plan.nodes.length });
        expect(await ports.inventory.nodes()).toEqual(plan.nodes);
      }),
      { numRuns: 60 },
    );
  });
});
