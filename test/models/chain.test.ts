import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import { RackTopology, type RackTopologySpec } from '../../src/models/topology.ts';
import type { BroadcastRoutes } from '../../src/models/broadcast-routes.ts';
import { startChainBroadcast, type ChainParams, type ChainResult } from '../../src/models/chain.ts';

const GBE = 125e6; // 1 Gb/s in bytes/s
const MiB = 1024 * 1024;
const REL = 1e-9;

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.max(1, Math.abs(expected)));

function topology(spec: Partial<RackTopologySpec> & { nodes: number }): RackTopology {
  return new RackTopology(new FlowNetwork(new Engine()), {
    nodesPerRack: 20,
    serverNic: { capacity: 1.25e9 },
    rackUplink: { capacity: 1.25e9 },
    access: { capacity: GBE },
    ...spec,
  });
}

async function run(routes: BroadcastRoutes, nodes: number[], bytes: number, params: Partial<ChainParams> = {}, failures: Array<[number, number]> = []): Promise<ChainResult> {
  const chain = startChainBroadcast(routes, nodes, bytes, params);
  for (const [node, at] of failures) chain.failNode(node, at);
  await routes.network.engine.run();
  return chain.done;
}

describe('chain: closed forms', () => {
  it('deploys 3 GB to 300 nodes on 1 Gb/s in S/b + k*c/b (Kadeploy: a few minutes)', async () => {
    const S = 3e9;
    const r = await run(topology({ nodes: 300 }), range(300), S);
    r.records.forEach((rec, k) => close(rec.end, S / GBE + (k * MiB) / GBE));
    const last = r.records[299].end;
    close(last, 24 + (299 * MiB) / GBE); // 26.51 s
    expect(last).toBeLessThan(60);
  });

  it('adds the set-up latency of every hop, then each node its own propagation delay', async () => {
    const l = 20e-6;
    const N = 300;
    const M = 20;
    const R = N / M;
    const link = (capacity: number) => ({ capacity, latency: l });
    const topo = topology({ nodes: N, nodesPerRack: M, serverNic: link(1.25e9), rackUplink: link(1.25e9), access: link(GBE) });
    const S = 3e9;
    const r = await run(topo, range(N), S);
    // Links of the chain: the server NIC, every uplink down, uplinks 0..R-2 up, every access link
    // down, access links 0..N-2 up: the stream starts after all their latencies.
    const setup = l * (1 + R + (R - 1) + N + (N - 1));
    let propagation = 0;
    r.records.forEach((rec, k) => {
      if (k > 0) propagation += k % M === 0 ? 4 * l : 2 * l; // a hop into a new rack crosses two uplinks
      close(rec.end, setup + S / GBE + (k * MiB) / GBE + propagation);
    });
    // facts.md: T ~ S/b + (N-1)(c/b + hop latency).
    expect(r.records[N - 1].end).toBeCloseTo(S / GBE + (N - 1) * (MiB / GBE + 2 * l), 1);
  });

  it('orders the chain rack-major by default, or as given', async () => {
    const topo = topology({ nodes: 8, nodesPerRack: 4 });
    const chain = startChainBroadcast(topo, [5, 0, 6, 1], 1e6);
    expect(chain.order).toEqual([0, 1, 5, 6]);
    expect(startChainBroadcast(topo, [5, 0, 6, 1], 1e6, { order: 'given' }).order).toEqual([5, 0, 6, 1]);
  });

  it('caps a chain that crosses a link direction twice at capacity / 2', async () => {
    // Order 0 -> 5 -> 1 (racks 0, 1, 0): rack0's uplink carries the stream down twice (server -> 0, 5 -> 1).
    const topo = topology({ nodes: 8, nodesPerRack: 4, rackUplink: { capacity: 100e6 } });
    const S = 1e8;
    const c = 1e6;
    const r = await run(topo, [0, 5, 1], S, { order: 'given', chunkSize: c });
    r.records.forEach((rec, k) => close(rec.end, S / 50e6 + (k * c) / 50e6));
  });

  it('moves at the rate of its slowest hop, upstream nodes included', async () => {
    const topo = topology({ nodes: 10, nodesPerRack: 10 });
    const slow = topology({ nodes: 10, nodesPerRack: 10 });
    // Same chain, but node 7's access link replaced by a 50 MB/s one.
    const net = slow.network;
    const narrow = net.addLink({ name: 'narrow', capacity: 50e6 });
    const routes: BroadcastRoutes = {
      network: net,
      nodes: 10,
      serverToNode: (n) => slow.serverToNode(n),
      nodeToNode: (a, b) => [a === 7 ? narrow.hopUp : slow.access[a].hopUp, b === 7 ? narrow.hopDown : slow.access[b].hopDown],
    };
    const S = 1e9;
    const fast = await run(topo, range(10), S, { chunkSize: 1e6 });
    const slowed = await run(routes, range(10), S, { chunkSize: 1e6 });
    fast.records.forEach((rec, k) => close(rec.end, S / GBE + (k * 1e6) / GBE));
    slowed.records.forEach((rec, k) => close(rec.end, S / 50e6 + (k * 1e6) / 50e6));
  });

  describe('a failed node is cut out and its downstream re-chained', () => {
    // One rack, 100 MB/s access, c = 1 MB: node k ends at 1 + k/100 s without failures.
    const S = 1e8;
    const params = { chunkSize: 1e6 };
    const topo = () => topology({ nodes: 4, access: { capacity: 1e8 } });

    it('mid-stream: the stream resumes at the bytes the nodes had', async () => {
      // At 0.5 s the head has 50 MB, node 2 48 MB, node 3 47 MB; node 1 dies, node 2 keeps its
      // lag of 2 MB behind node 0 and node 3 of 3 MB: nothing is late without a re-chain delay.
      const r = await run(topo(), range(4), S, params, [[1, 0.5]]);
      expect(r.records.map((x) => x.end)).toEqual([expect.closeTo(1, 9), NaN, expect.closeTo(1.02, 9), expect.closeTo(1.03, 9)]);
      expect(r.records[1].failedAt).toBe(0.5);
      expect(r.records[1].error).toMatchObject({ code: 'DT_BROADCAST_NODE_FAILED', kind: 'retryable', node: 1 });
      expect(r.rechains).toBe(1);
    });

    it('pays the re-chain delay once', async () => {
      const r = await run(topo(), range(4), S, { ...params, rechainDelay: 2 }, [[1, 0.5]]);
      expect(r.records.map((x) => x.end)).toEqual([expect.closeTo(3, 9), NaN, expect.closeTo(3.02, 9), expect.closeTo(3.03, 9)]);
    });

    it('early: nodes the data had not reached move up the chain', async () => {
      // At 5 ms the head has 0.5 MB and nobody else anything: nodes 2 and 3 take places 1 and 2.
      const r = await run(topo(), range(4), S, params, [[1, 0.005]]);
      expect(r.records.map((x) => x.end)).toEqual([expect.closeTo(1, 9), NaN, expect.closeTo(1.01, 9), expect.closeTo(1.02, 9)]);
    });

    it('the head: its successor is fed by the server from its own bytes', async () => {
      const r = await run(topo(), range(4), S, { ...params, rechainDelay: 0.1 }, [[0, 0.5]]);
      // Node 1 had 49 MB: 51 MB more from t = 0.6.
      expect(r.records.map((x) => x.end)).toEqual([NaN, expect.closeTo(1.11, 9), expect.closeTo(1.12, 9), expect.closeTo(1.13, 9)]);
    });

    it('in the tail: the nodes still missing chunks are fed by the failed node’s predecessor', async () => {
      // Node 0 is done at 1.0; at 1.005 node 1 (99.5 MB) dies; node 2 has 98.5 MB, node 3 97.5 MB.
      const r = await run(topo(), range(4), S, { ...params, rechainDelay: 0.1 }, [[1, 1.005]]);
      expect(r.records.map((x) => x.end)).toEqual([expect.closeTo(1, 9), NaN, expect.closeTo(1.12, 9), expect.closeTo(1.13, 9)]);
    });

    it('the last node: nobody else notices', async () => {
      const r = await run(topo(), range(4), S, { ...params, rechainDelay: 5 }, [[3, 0.5]]);
      expect(r.records.map((x) => x.end)).toEqual([expect.closeTo(1, 9), expect.closeTo(1.01, 9), expect.closeTo(1.02, 9), NaN]);
      expect(r.rechains).toBe(0);
    });

    it('after a node is done, its failure only matters if it still feeds someone', async () => {
      const r = await run(topo(), range(4), S, { ...params, rechainDelay: 5 }, [[0, 1.025]]);
      expect(r.records.map((x) => x.end)).toEqual([expect.closeTo(1, 9), expect.closeTo(1.01, 9), expect.closeTo(1.02, 9), expect.closeTo(1.03, 9)]);
      expect(r.records[0].failedAt).toBe(1.025);
      expect(r.rechains).toBe(0);
    });
  });

  it('rejects bad arguments with DT_BROADCAST_BAD_PARAMS', () => {
    const topo = topology({ nodes: 4 });
    const bad = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'DT_BROADCAST_BAD_PARAMS', kind: 'usage' }));
    bad(() => startChainBroadcast(topo, [], 1));
    bad(() => startChainBroadcast(topo, [1, 1], 1));
    bad(() => startChainBroadcast(topo, [0], NaN));
    bad(() => startChainBroadcast(topo, [0], 1, { chunkSize: 0 }));
    bad(() => startChainBroadcast(topo, [0], 1, { rechainDelay: -1 }));
    bad(() => startChainBroadcast(topo, [0], 1).failNode(3, 0));
  });
});

// ---- Properties ----

const caseArb = fc
  .record({
    nodes: fc.integer({ min: 1, max: 25 }),
    perRack: fc.integer({ min: 1, max: 6 }),
    nic: fc.integer({ min: 20, max: 400 }),
    uplink: fc.integer({ min: 20, max: 400 }),
    access: fc.integer({ min: 20, max: 200 }),
    latency: fc.integer({ min: 0, max: 100 }),
    bytes: fc.integer({ min: 1, max: 1e4 }),
    chunk: fc.integer({ min: 1, max: 100 }),
    seed: fc.nat(),
  })
  .chain((c) => fc.record({ c: fc.constant(c), order: fc.shuffledSubarray(range(c.nodes), { minLength: c.nodes }) }));

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function caseTopology({ c }: Case): RackTopology {
  const lat = c.latency * 1e-6;
  return new RackTopology(new FlowNetwork(new Engine()), {
    nodes: c.nodes,
    nodesPerRack: c.perRack,
    serverNic: { capacity: c.nic * 1e6, latency: lat },
    rackUplink: { capacity: c.uplink * 1e6, latency: lat },
    access: { capacity: c.access * 1e6, latency: lat },
  });
}

async function runCase(k: Case, routes: BroadcastRoutes, failures: Array<[number, number]> = []): Promise<ChainResult> {
  return run(routes, k.order, k.c.bytes * 1e4, { order: 'given', chunkSize: k.c.chunk * 1e3 }, failures);
}

/** The case's routes, with every link direction of `slowLink` (a link name) slowed by `factor`. */
function slowedRoutes(k: Case, slowLink: string | null, factor: number): BroadcastRoutes {
  const topo = caseTopology(k);
  if (slowLink === null) return topo;
  const net = topo.network;
  const old = net.link(slowLink);
  const replacement = net.addLink({ name: `${slowLink}.slow`, capacity: old.capacity * factor, latency: old.latency });
  const swap = (route: ReturnType<RackTopology['serverToNode']>) => route.map((h) => (h.link === old ? replacement.dir(h.direction) : h));
  return {
    network: net,
    nodes: topo.nodes,
    serverToNode: (n) => swap(topo.serverToNode(n)),
    nodeToNode: (a, b) => swap(topo.nodeToNode(a, b)),
  };
}

describe('chain: properties', () => {
  it('end times increase along the chain, and none beats S / (tightest link)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (k) => {
        const r = await runCase(k, caseTopology(k));
        const S = k.c.bytes * 1e4;
        const tightest = Math.min(k.c.nic, k.c.uplink, k.c.access) * 1e6;
        for (let i = 0; i < r.records.length; i++) {
          expect(r.records[i].end).toBeGreaterThanOrEqual((S / tightest) * (1 - REL));
          if (i > 0) expect(r.records[i].end).toBeGreaterThan(r.records[i - 1].end);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('a slower link anywhere on the chain slows every node', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.nat(), fc.double({ min: 0.05, max: 0.99, noNaN: true }), async (k, pick, factor) => {
        // Every link is on the chain: the server's, each rack's uplink (entered at least once), each node's.
        const used = ['server.nic', ...range(Math.ceil(k.c.nodes / k.c.perRack)).map((r) => `rack${r}.uplink`), ...k.order.map((n) => `node${n}.access`)];
        const link = used[pick % used.length];
        const before = await runCase(k, slowedRoutes(k, null, 1));
        const after = await runCase(k, slowedRoutes(k, link, factor));
        for (let i = 0; i < before.records.length; i++) expect(after.records[i].end).toBeGreaterThanOrEqual(before.records[i].end * (1 - REL));
      }),
      { numRuns: 80 },
    );
  });

  it('with failures: every survivor ends, in chain order, never before S / (tightest link)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 5 }), async (k, fails) => {
        const S = k.c.bytes * 1e4;
        const tightest = Math.min(k.c.nic, k.c.uplink, k.c.access) * 1e6;
        const horizon = (2 * S) / tightest;
        const failures = fails.map(([i, f]) => [k.order[i % k.order.length], f * horizon] as [number, number]);
        const r = await runCase(k, caseTopology(k), failures);
        const again = await runCase(k, caseTopology(k), failures);
        expect(again.records.map((x) => x.end)).toEqual(r.records.map((x) => x.end));
        let last = -Infinity;
        for (const rec of r.records) {
          const failed = failures.some(([n]) => n === rec.node);
          if (!failed) expect(rec.end).not.toBeNaN();
          if (Number.isNaN(rec.end)) {
            expect(failed).toBe(true);
            continue;
          }
          expect(rec.end).toBeGreaterThanOrEqual((S / tightest) * (1 - REL));
          if (Number.isNaN(rec.failedAt)) {
            expect(rec.end).toBeGreaterThan(last);
            last = rec.end;
          }
        }
      }),
      { numRuns: 80 },
    );
  });
});
