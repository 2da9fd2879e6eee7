import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import { RackTopology } from '../../src/models/topology.ts';
import type { BroadcastRoutes } from '../../src/models/broadcast-routes.ts';
import { chooseNeighbours } from '../../src/models/peer-to-peer-pieces.ts';
import { startSwarm, type SwarmParams, type SwarmResult } from '../../src/models/peer-to-peer.ts';

const GBE = 125e6; // 1 Gb/s in bytes/s
const REL = 1e-9;

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.max(1, Math.abs(expected)));

/** Kumar & Ross (facts.md): no swarm can do better. */
function kumarRoss(S: number, us: number, up: readonly number[], down: readonly number[]): number {
  const N = up.length;
  return Math.max(S / us, S / Math.min(...down), (N * S) / (us + up.reduce((a, b) => a + b, 0)));
}

/** A rack topology with every node a peer. */
function rackSwarm(N: number, serverNic: number, seed = 1, nodesPerRack = 8): RackTopology {
  return new RackTopology(new FlowNetwork(new Engine({ seed })), {
    nodes: N,
    nodesPerRack,
    serverNic: { capacity: serverNic },
    rackUplink: { capacity: 40 * GBE },
    access: { capacity: GBE },
  });
}

/** Explicit routes: a server link and, per peer, its own upload and download links. */
function starSwarm(us: number, up: readonly number[], down: readonly number[], seed = 1): BroadcastRoutes {
  const net = new FlowNetwork(new Engine({ seed }));
  const server = net.addLink({ name: 'server', capacity: us });
  const ups = up.map((c, i) => net.addLink({ name: `up${i}`, capacity: c }));
  const downs = down.map((c, i) => net.addLink({ name: `down${i}`, capacity: c }));
  return {
    network: net,
    nodes: up.length,
    serverToNode: (n) => [server.hopUp, downs[n].hopDown],
    nodeToNode: (a, b) => [ups[a].hopUp, downs[b].hopDown],
  };
}

async function run(routes: BroadcastRoutes, peers: number[], bytes: number, params: Partial<SwarmParams> = {}): Promise<SwarmResult> {
  const done = startSwarm(routes, peers, bytes, params);
  await routes.network.engine.run();
  return done;
}

describe('peer-to-peer: closed forms', () => {
  it('one peer downloads the pieces one after the other: S / min(u_s, d)', async () => {
    const r = await run(starSwarm(50e6, [80e6], [30e6]), [0], 1e8 + 12345, { pieceSize: 1e6 });
    close(r.makespan, (1e8 + 12345) / 30e6);
    expect(r.records[0].fromServer).toBe(1e8 + 12345);
  });

  it('without neighbours and with every peer served at once, it is a flat download: N*S/u_s', async () => {
    const N = 10;
    const S = 4e7;
    const r = await run(starSwarm(50e6, Array(N).fill(1e8), Array(N).fill(1e8)), range(N), S, { neighbours: 0, serverSlots: Infinity, pieceSize: 1e6 });
    for (const rec of r.records) close(rec.end, (N * S) / 50e6);
  });

  it('with one server slot, the server sends one piece at a time to each peer in turn', async () => {
    const N = 3;
    const P = 5;
    const p = 1e6;
    const r = await run(starSwarm(10e6, Array(N).fill(1e8), Array(N).fill(1e8)), range(N), P * p, { neighbours: 0, serverSlots: 1, pieceSize: p });
    // Peer i's last piece is piece number (P-1)*N + i + 1 the server sends, each taking p / u_s.
    r.records.forEach((rec, i) => close(rec.end, (((P - 1) * N + i + 1) * p) / 10e6));
  });

  it('stays within 1.5x of the Kumar & Ross bound for homogeneous swarms of 16 to 64 peers', async () => {
    const S = 1e9;
    for (const [N, us] of [
      [16, GBE],
      [32, 10 * GBE],
      [64, GBE],
    ]) {
      const r = await run(rackSwarm(N, us), range(N), S);
      const bound = kumarRoss(S, us, Array(N).fill(GBE), Array(N).fill(GBE));
      expect(r.makespan).toBeGreaterThanOrEqual(bound * (1 - REL));
      expect(r.makespan).toBeLessThan(1.5 * bound);
    }
  });

  it('beats a flat download from the server, and multicast at 16 peers on 1 GbE', async () => {
    const S = 1e9;
    const N = 64;
    const r = await run(rackSwarm(N, GBE, 2), range(N), S);
    expect(r.makespan).toBeLessThan((N * S) / GBE / 10); // flat: 512 s
    const r16 = await run(rackSwarm(16, GBE, 3), range(16), S);
    expect(r16.makespan).toBeLessThan(S / (0.75 * GBE)); // udpcast at 75% of wire speed
    // Most bytes come from the peers, not the server.
    const fromServer = r.records.reduce((a, x) => a + x.fromServer, 0);
    expect(fromServer).toBeLessThan(2 * S);
  });

  it('a complete peer that does not seed uploads nothing more', async () => {
    for (const seed of [true, false]) {
      const topo = rackSwarm(12, GBE, 4, 4);
      const engine = topo.network.engine;
      let uploadedAfterDone = 0;
      const r = await run(topo, range(12), 2e8, {
        seedAfterComplete: seed,
        onPeerDone: (rec) => {
          // Once this instant's rates are set, look at the peer's upload.
          engine.after(1e-9, () => (uploadedAfterDone += topo.access[rec.node].up.load));
        },
      });
      if (seed) expect(uploadedAfterDone).toBeGreaterThan(0);
      else expect(uploadedAfterDone).toBe(0);
      expect(r.records.every((x) => x.end > 0)).toBe(true);
    }
  });

  it('links every peer to k senders and k receivers, mostly inside its rack', () => {
    const racks = range(40).map((i) => Math.floor(i / 8));
    const from = chooseNeighbours(racks, 4, 0.5, new Engine({ seed: 9 }).stream('t'));
    const out = Array(40).fill(0);
    let local = 0;
    from.forEach((list, i) => {
      expect(list).toHaveLength(4);
      expect(new Set(list).size).toBe(4);
      expect(list).not.toContain(i);
      for (const j of list) {
        out[j]++;
        if (racks[j] === racks[i]) local++;
      }
    });
    expect(out).toEqual(Array(40).fill(4));
    // Two rack-major rounds: all but one edge per rack per round is local (5 racks).
    expect(local).toBeGreaterThanOrEqual(2 * (40 - 5));
    // Fewer peers than k + 1: everyone downloads from everyone else.
    expect(chooseNeighbours([0, 0, 1], 4, 0.5, new Engine().stream('t')).map((l) => [...l].sort())).toEqual([
      [1, 2],
      [0, 2],
      [0, 1],
    ]);
  });

  it('rejects bad arguments with DT_BROADCAST_BAD_PARAMS', () => {
    const routes = starSwarm(1, [1, 1], [1, 1]);
    const bad = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'DT_BROADCAST_BAD_PARAMS', kind: 'usage' }));
    bad(() => startSwarm(routes, [], 1));
    bad(() => startSwarm(routes, [0, 2], 1));
    bad(() => startSwarm(routes, [0], -5));
    bad(() => startSwarm(routes, [0], 1, { pieceSize: 0 }));
    bad(() => startSwarm(routes, [0], 1, { neighbours: 1.5 }));
    bad(() => startSwarm(routes, [0], 1, { serverSlots: 0 }));
    bad(() => startSwarm(routes, [0], 1, { rackLocalFraction: 2 }));
  });
});

// ---- Properties over random heterogeneous swarms ----

const swarmArb = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    us: fc.integer({ min: 5, max: 200 }),
    up: fc.array(fc.integer({ min: 5, max: 200 }), { minLength: n, maxLength: n }),
    down: fc.array(fc.integer({ min: 5, max: 200 }), { minLength: n, maxLength: n }),
    pieces: fc.integer({ min: 1, max: 24 }),
    tail: fc.double({ min: 0.01, max: 1, noNaN: true }),
    k: fc.integer({ min: 0, max: 5 }),
    slots: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(Infinity)),
    seedAfterComplete: fc.boolean(),
    endGame: fc.boolean(),
    seed: fc.nat(),
  }),
);

type Swarm = typeof swarmArb extends fc.Arbitrary<infer T> ? T : never;

async function runSwarm(s: Swarm): Promise<{ r: SwarmResult; S: number }> {
  const p = 1e5;
  const S = (s.pieces - 1 + s.tail) * p;
  const routes = starSwarm(
    s.us * 1e6,
    s.up.map((x) => x * 1e6),
    s.down.map((x) => x * 1e6),
    s.seed,
  );
  const r = await run(routes, range(s.up.length), S, { pieceSize: p, neighbours: s.k, serverSlots: s.slots, seedAfterComplete: s.seedAfterComplete, endGame: s.endGame });
  return { r, S };
}

describe('peer-to-peer: properties', () => {
  it('never beats the Kumar & Ross bound; every peer gets exactly S, no sooner than S / its download', async () => {
    await fc.assert(
      fc.asyncProperty(swarmArb, async (s) => {
        const { r, S } = await runSwarm(s);
        const bound = kumarRoss(
          S,
          s.us * 1e6,
          s.up.map((x) => x * 1e6),
          s.down.map((x) => x * 1e6),
        );
        expect(r.makespan).toBeGreaterThanOrEqual(bound * (1 - REL));
        r.records.forEach((rec, i) => {
          close(rec.fromServer + rec.fromPeers, S);
          expect(rec.end).toBeGreaterThanOrEqual((S / (s.down[i] * 1e6)) * (1 - REL));
        });
        expect(r.makespan).toBe(Math.max(...r.records.map((x) => x.end)));
      }),
      { numRuns: 120 },
    );
  });

  it('is deterministic for a seed', async () => {
    await fc.assert(
      fc.asyncProperty(swarmArb, async (s) => {
        const a = await runSwarm(s);
        const b = await runSwarm(s);
        expect(b.r.records).toEqual(a.r.records);
      }),
      { numRuns: 30 },
    );
  });
});
