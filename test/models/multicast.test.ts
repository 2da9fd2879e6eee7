import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import { RackTopology, type RackTopologySpec } from '../../src/models/topology.ts';
import { constant, type Sampler } from '../../src/models/sampler.ts';
import type { BroadcastRoutes } from '../../src/models/broadcast-routes.ts';
import { startMulticastSession, type BroadcastSender, type MulticastParams, type MulticastReceiver, type MulticastResult } from '../../src/models/multicast.ts';

const GBE = 125e6; // 1 Gb/s in bytes/s
const REL = 1e-9;

function uniform(lo: number, hi: number): Sampler {
  return { sample: (rng) => lo + (hi - lo) * rng(), mean: () => (lo + hi) / 2 };
}

function topology(spec: Partial<RackTopologySpec> & { nodes: number }, seed = 1): RackTopology {
  const net = new FlowNetwork(new Engine({ seed }));
  return new RackTopology(net, {
    nodesPerRack: 10,
    serverNic: { capacity: 10 * 1.25e9 },
    rackUplink: { capacity: 1.25e9 },
    access: { capacity: GBE },
    ...spec,
  });
}

async function run(
  routes: BroadcastRoutes,
  receivers: readonly (number | MulticastReceiver)[],
  bytes: number,
  params: Partial<MulticastParams> = {},
  sender: BroadcastSender = 'server',
): Promise<MulticastResult> {
  const done = startMulticastSession(routes, sender, receivers, bytes, params);
  await routes.network.engine.run();
  return done;
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.max(1, Math.abs(expected)));

describe('multicast: closed forms', () => {
  it('sends S to N receivers on 1 Gb/s in S / (0.75 x 125e6), whatever N', async () => {
    const S = 2e9;
    for (const n of [1, 5, 40, 200]) {
      const r = await run(topology({ nodes: n }), range(n), S);
      expect(r.sessions).toHaveLength(1);
      for (const rec of r.records) {
        expect(rec.start).toBe(0);
        close(rec.end, S / (0.75 * GBE));
      }
    }
  });

  it('is bound by the server NIC when that is the tightest link of the tree', async () => {
    const S = 1e9;
    const r = await run(topology({ nodes: 30, serverNic: { capacity: 50e6 } }), range(30), S);
    for (const rec of r.records) close(rec.end, S / 50e6);
  });

  it('is paced by the slowest receiver', async () => {
    const S = 1e9;
    const receivers: MulticastReceiver[] = range(8).map((node) => ({ node, receiveRate: constant(node === 5 ? 40e6 : 100e6) }));
    const r = await run(topology({ nodes: 8 }), receivers, S);
    for (const rec of r.records) close(rec.end, S / (0.75 * 40e6));
    expect(r.records[5].receiveRate).toBe(40e6);
  });

  it('adds 1/(1-p) of retransmissions for a loss rate p', async () => {
    const S = 1e9;
    const r = await run(topology({ nodes: 4 }), range(4), S, { lossRate: 0.2, efficiency: 0.8 });
    for (const rec of r.records) close(rec.end, S / 0.8 / (0.8 * GBE));
    close(r.sessions[0].bytesOnWire, S / 0.8);
  });

  it('crosses each link of the tree once, so a relay sender loads its own uplink once', async () => {
    // Relay 0 in rack 0 sends to rack 0 and rack 1 (nodesPerRack 4): rack0 uplink up, rack1 uplink down.
    const topo = topology({ nodes: 8, nodesPerRack: 4, rackUplink: { capacity: 30e6 } });
    const S = 3e8;
    const r = await run(topo, range(7, 1), S, {}, 0);
    for (const rec of r.records) close(rec.end, S / 30e6);
    const net = topo.network;
    // 1 copy crossed rack0's uplink up and rack1's down; nothing went down rack0's uplink.
    close(net.link('rack0.uplink').up.bytesCarried, S);
    close(net.link('rack1.uplink').down.bytesCarried, S);
    expect(net.link('rack0.uplink').down.bytesCarried).toBe(0);
    close(net.link('node0.access').up.bytesCarried, S);
  });

  it('pays the latency the network charges the tree (sum of its hops) once', async () => {
    const l = 1e-3;
    const topo = topology({ nodes: 2, serverNic: { capacity: 10 * GBE, latency: l }, rackUplink: { capacity: 10 * GBE, latency: l }, access: { capacity: GBE, latency: l } });
    const S = 1e8;
    const r = await run(topo, [0, 1], S);
    // server NIC, rack0 uplink, two access links: 4 ms, then the stream.
    for (const rec of r.records) close(rec.end, 4 * l + S / (0.75 * GBE));
  });

  it('shares the server NIC max-min with other traffic, as one flow', async () => {
    const topo = topology({ nodes: 3, serverNic: { capacity: 100e6 } });
    const S = 1e9;
    const other = topo.network.transfer(topo.serverToNode(2), 5e8);
    const r = await run(topo, [0, 1], S);
    // 50e6 each until the unicast ends at t=10 (5e8 bytes), then the stream alone at its cap 93.75e6.
    close(other.finishedAt, 10);
    for (const rec of r.records) close(rec.end, 10 + (S - 5e8) / (0.75 * GBE));
  });

  it('starts when minReceivers have joined; a late joiner waits for the next session', async () => {
    const S = 0.75 * GBE * 10; // 10 s per session
    const receivers: MulticastReceiver[] = [{ node: 0, joinAt: 0 }, { node: 1, joinAt: 1 }, { node: 2, joinAt: 2 }, { node: 3, joinAt: 5 }];
    const r = await run(topology({ nodes: 4 }), receivers, S, { minReceivers: 3 });
    expect(r.sessions.map((s) => s.receivers)).toEqual([[0, 1, 2], [3]]);
    close(r.sessions[0].start, 2);
    close(r.sessions[0].end, 12);
    // The second session needs only the one receiver left, so it starts as the first ends.
    close(r.records[3].start, 12);
    close(r.records[3].end, 22);
    expect(r.records.map((x) => x.session)).toEqual([0, 0, 0, 1]);
  });

  it('starts maxWait seconds after the first receiver joined when too few have', async () => {
    const S = 0.75 * GBE * 10;
    const receivers: MulticastReceiver[] = [{ node: 0, joinAt: 0 }, { node: 1, joinAt: 2 }, { node: 2, joinAt: 30 }, { node: 3, joinAt: 31 }];
    const r = await run(topology({ nodes: 4 }), receivers, S, { minReceivers: 5, maxWait: 4 });
    expect(r.sessions.map((s) => [s.start, s.end, s.receivers])).toEqual([
      [4, expect.closeTo(14, 9), [0, 1]],
      // Two receivers are left, so minReceivers counts as 2: the session starts when node 3 joins.
      [31, expect.closeTo(41, 9), [2, 3]],
    ]);
  });

  it('rejects bad arguments with DT_BROADCAST_BAD_PARAMS', () => {
    const topo = topology({ nodes: 4 });
    const bad = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'DT_BROADCAST_BAD_PARAMS', kind: 'usage' }));
    bad(() => startMulticastSession(topo, 'server', [], 1));
    bad(() => startMulticastSession(topo, 'server', [0, 0], 1));
    bad(() => startMulticastSession(topo, 'server', [4], 1));
    bad(() => startMulticastSession(topo, 1, [0, 1], 1));
    bad(() => startMulticastSession(topo, 'server', [0], -1));
    bad(() => startMulticastSession(topo, 'server', [0], 1, { efficiency: 0 }));
    bad(() => startMulticastSession(topo, 'server', [0], 1, { efficiency: 1.5 }));
    bad(() => startMulticastSession(topo, 'server', [0], 1, { lossRate: 1 }));
    bad(() => startMulticastSession(topo, 'server', [0], 1, { minReceivers: 0 }));
    bad(() => startMulticastSession(topo, 'server', [{ node: 0, joinAt: -1 }], 1));
  });

  it('works on explicit routes as well as on a RackTopology', async () => {
    const net = new FlowNetwork(new Engine());
    const nic = net.addLink({ name: 'nic', capacity: 1e9 });
    const nodes = range(3).map((i) => net.addLink({ name: `n${i}`, capacity: 1e8 * (i + 1) }));
    const routes: BroadcastRoutes = {
      network: net,
      nodes: 3,
      serverToNode: (n) => [nic.hopUp, nodes[n].hopDown],
      nodeToNode: (a, b) => [nodes[a].hopUp, nodes[b].hopDown],
    };
    const r = await run(routes, [0, 1, 2], 3e8);
    // Default receive rate = the access capacity: the slowest is 1e8.
    for (const rec of r.records) close(rec.end, 3e8 / (0.75 * 1e8));
  });
});

// ---- Properties ----

const caseArb = fc.record({
  nodes: fc.integer({ min: 2, max: 30 }),
  perRack: fc.integer({ min: 1, max: 8 }),
  nic: fc.integer({ min: 20, max: 2000 }),
  uplink: fc.integer({ min: 20, max: 2000 }),
  access: fc.integer({ min: 20, max: 200 }),
  lo: fc.integer({ min: 10, max: 100 }),
  spread: fc.integer({ min: 0, max: 100 }),
  seed: fc.nat(1000),
  bytes: fc.integer({ min: 1, max: 1e6 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

async function session(c: Case, receivers: number[], rates?: Map<number, Sampler>): Promise<MulticastResult> {
  const topo = topology(
    { nodes: c.nodes, nodesPerRack: c.perRack, serverNic: { capacity: c.nic * 1e6 }, rackUplink: { capacity: c.uplink * 1e6 }, access: { capacity: c.access * 1e6 } },
    c.seed,
  );
  const list = receivers.map((node) => ({ node, receiveRate: rates?.get(node) }));
  const r = await run(topo, list, c.bytes * 1e3, { receiveRate: uniform(c.lo * 1e6, (c.lo + c.spread) * 1e6) });
  const ends = new Set(r.records.map((x) => x.end));
  expect(ends.size).toBe(1); // one session, every receiver ends together
  return r;
}

async function makespan(c: Case, receivers: number[], rates?: Map<number, Sampler>): Promise<number> {
  return (await session(c, receivers, rates)).records[0].end;
}

describe('multicast: properties', () => {
  it('adding a receiver never makes the session faster', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.integer({ min: 0, max: 1000 }), async (c, pick) => {
        const all = range(c.nodes);
        const extra = all[pick % c.nodes];
        const without = all.filter((n) => n !== extra);
        const before = await makespan(c, without);
        const after = await makespan(c, all);
        expect(after).toBeGreaterThanOrEqual(before * (1 - REL));
      }),
      { numRuns: 60 },
    );
  });

  it('a slower receiver never makes the session faster', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0.01, max: 1, noNaN: true }), async (c, pick, factor) => {
        const all = range(c.nodes);
        const slow = all[pick % c.nodes];
        const rate = (c.lo + c.spread / 2) * 1e6;
        const before = await makespan(c, all, new Map([[slow, constant(rate)]]));
        const after = await makespan(c, all, new Map([[slow, constant(rate * factor)]]));
        expect(after).toBeGreaterThanOrEqual(before * (1 - REL));
      }),
      { numRuns: 60 },
    );
  });

  it('alone on the network, runs at min(tightest link of the tree, efficiency x slowest receiver)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const r = await session(c, range(c.nodes));
        const S = c.bytes * 1e3;
        // Every node receives, so every rack uplink and access link is in the tree.
        const tightest = Math.min(c.nic, c.uplink, c.access) * 1e6;
        const slowest = Math.min(...r.records.map((x) => x.receiveRate));
        expect(slowest).toBeGreaterThanOrEqual(c.lo * 1e6);
        close(r.records[0].end, S / Math.min(tightest, 0.75 * slowest));
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic for a seed', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        expect(await makespan(c, range(c.nodes))).toBe(await makespan(c, range(c.nodes)));
      }),
      { numRuns: 20 },
    );
  });
});
