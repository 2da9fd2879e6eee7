import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import type { Flow } from '../../src/engine/network/flow.ts';
import type { Route } from '../../src/engine/network/link.ts';
import { SHARING_MODELS } from '../../src/engine/network/sharing.ts';
import { RackTopology } from '../../src/models/topology.ts';

const REL = 1e-9;

describe('flow network: closed forms', () => {
  it('N equal flows through one bottleneck all finish at N*S/B', () => {
    for (const n of [1, 2, 7, 169, 1000]) {
      const engine = new Engine();
      const net = new FlowNetwork(engine);
      const bottleneck = net.addLink({ name: 'server', capacity: 1.25e9 });
      const ends: number[] = [];
      for (let i = 0; i < n; i++) {
        const access = net.addLink({ name: `n${i}`, capacity: 1.25e8 });
        net.transfer([bottleneck.hopUp, access.hopDown], 110e6, { onComplete: (f) => ends.push(f.finishedAt) });
      }
      engine.runSync();
      const expected = Math.max((n * 110e6) / 1.25e9, 110e6 / 1.25e8);
      expect(ends).toHaveLength(n);
      for (const t of ends) expect(t).toBeCloseTo(expected, 9);
    }
  });

  it('pays the route latency once, before the first byte', () => {
    const engine = new Engine();
    const net = new FlowNetwork(engine);
    const a = net.addLink({ name: 'a', capacity: 100, latency: 0.5 });
    const b = net.addLink({ name: 'b', capacity: 50, latency: 0.25 });
    const flow = net.transfer([a.hopUp, b.hopUp], 1000);
    engine.runSync();
    expect(flow.startedAt).toBe(0.75);
    expect(flow.finishedAt).toBeCloseTo(0.75 + 1000 / 50, 12);
  });

  it('gives a capped flow its cap and the rest to the others', () => {
    const engine = new Engine();
    const net = new FlowNetwork(engine);
    const link = net.addLink({ name: 'l', capacity: 100 });
    const capped = net.transfer([link.hopUp], 100, { cap: 10 });
    const free1 = net.transfer([link.hopUp], 450);
    const free2 = net.transfer([link.hopUp], 900);
    engine.runSync({ until: 1 });
    expect(capped.rate).toBe(10);
    expect(free1.rate).toBe(45);
    expect(free2.rate).toBe(45);
    engine.runSync();
    expect(capped.finishedAt).toBeCloseTo(10, 12);
    expect(free1.finishedAt).toBeCloseTo(10, 12); // 450 bytes at 45 B/s
    // free2 had 450 left at t=10, then alone at 100 B/s.
    expect(free2.finishedAt).toBeCloseTo(14.5, 12);
  });

  it('shares a half-duplex link between directions, not a full-duplex one', () => {
    for (const duplex of ['full', 'half'] as const) {
      const engine = new Engine();
      const net = new FlowNetwork(engine);
      const link = net.addLink({ name: 'l', capacity: 100, duplex });
      const up = net.transfer([link.hopUp], 1000);
      const down = net.transfer([link.hopDown], 1000);
      engine.runSync();
      const expected = duplex === 'full' ? 10 : 20;
      expect(up.finishedAt).toBeCloseTo(expected, 12);
      expect(down.finishedAt).toBeCloseTo(expected, 12);
    }
  });

  it('matches the two-level relay formula: K*S/B, then (group size - 1)*S/b', () => {
    const engine = new Engine();
    const net = new FlowNetwork(engine);
    const M = 10;
    const K = 4;
    const topo = new RackTopology(net, {
      nodes: 80,
      nodesPerRack: M,
      serverNic: { capacity: 1e9 },
      rackUplink: { capacity: 1e9 },
      access: { capacity: 1e8 },
    });
    const S = 1e9;
    const groupEnds: number[] = [];
    // Each relay is the first node of two racks; it serves the other 19 nodes of its group.
    for (let g = 0; g < K; g++) {
      const relay = g * 2 * M;
      net.transfer(topo.serverToNode(relay), S, {
        onComplete: () => {
          for (let n = relay + 1; n < relay + 2 * M; n++) net.transfer(topo.nodeToNode(relay, n), S, { onComplete: (f) => groupEnds.push(f.finishedAt) });
        },
      });
    }
    engine.runSync();
    // Relays: server NIC 1e9 shared by 4 = 2.5e8 > access 1e8, so each relay is access-bound: S/b.
    const t1 = S / 1e8;
    const t2 = ((2 * M - 1) * S) / 1e8;
    expect(groupEnds).toHaveLength(K * (2 * M - 1));
    for (const t of groupEnds) expect(t).toBeCloseTo(t1 + t2, 6);
  });

  it('cancels a flow and reports the bytes it delivered', () => {
    const engine = new Engine();
    const net = new FlowNetwork(engine);
    const link = net.addLink({ name: 'l', capacity: 100 });
    const a = net.transfer([link.hopUp], 1000);
    const b = net.transfer([link.hopUp], 1000);
    let delivered = -1;
    engine.schedule(4, () => (delivered = net.cancel(a)));
    engine.runSync();
    expect(delivered).toBeCloseTo(200, 9);
    expect(a.status).toBe('cancelled');
    // b: 200 bytes by t=4, then 800 at 100 B/s.
    expect(b.finishedAt).toBeCloseTo(12, 12);
  });

  it('re-shares flows when a link changes capacity, stalls them at 0 and resumes them', () => {
    const engine = new Engine();
    const net = new FlowNetwork(engine);
    const link = net.addLink({ name: 'l', capacity: 100 });
    const f = net.transfer([link.hopUp], 1000);
    engine.schedule(2, () => net.setCapacity(link, 0)); // 200 bytes done
    engine.schedule(7, () => net.setCapacity(link, 50)); // stalled 5 s, then 800 bytes at 50 B/s
    engine.runSync();
    expect(f.finishedAt).toBeCloseTo(7 + 800 / 50, 12);
    expect(() => net.setCapacity(link, -1)).toThrow(expect.objectContaining({ code: 'DT_NETWORK_BAD_LINK' }));
  });

  it('rejects bad links, routes and flows with stable codes', () => {
    const net = new FlowNetwork(new Engine());
    const l = net.addLink({ name: 'l', capacity: 1 });
    expect(() => net.addLink({ name: 'l', capacity: 1 })).toThrow(expect.objectContaining({ code: 'DT_NETWORK_BAD_LINK' }));
    expect(() => net.addLink({ name: 'x', capacity: -1 })).toThrow(expect.objectContaining({ code: 'DT_NETWORK_BAD_LINK' }));
    expect(() => net.transfer([l.hopUp, l.hopUp], 1)).toThrow(expect.objectContaining({ code: 'DT_NETWORK_BAD_ROUTE' }));
    expect(() => net.transfer([l.hopUp], NaN)).toThrow(expect.objectContaining({ code: 'DT_NETWORK_BAD_FLOW' }));
    const other = new FlowNetwork(new Engine()).addLink({ name: 'l', capacity: 1 });
    expect(() => net.transfer([other.hopUp], 1)).toThrow(expect.objectContaining({ code: 'DT_NETWORK_BAD_ROUTE' }));
  });

  it('applies the LV08 corrections when asked', () => {
    const engine = new Engine();
    const net = new FlowNetwork(engine, SHARING_MODELS.lv08);
    const link = net.addLink({ name: 'l', capacity: 1e9, latency: 1e-4 });
    const f = net.transfer([link.hopUp], 1e8);
    engine.runSync();
    expect(f.startedAt).toBeCloseTo(13.01e-4, 12);
    // Window bound 4 MiB / (2 x 100 us) = 2.1e10 B/s does not bind; 0.97 of 1e9 does.
    expect(f.finishedAt).toBeCloseTo(13.01e-4 + 1e8 / 0.97e9, 9);
  });
});

// ---- Properties over random topologies and flow sets ----

interface RandomCase {
  links: Array<{ capacity: number; half: boolean }>;
  flows: Array<{ hops: Array<[number, boolean]>; size: number; start: number; cap: number | null }>;
}

const randomCase: fc.Arbitrary<RandomCase> = fc
  .array(fc.record({ capacity: fc.integer({ min: 1, max: 1000 }), half: fc.boolean() }), { minLength: 1, maxLength: 8 })
  .chain((links) =>
    fc.record({
      links: fc.constant(links),
      flows: fc.array(
        fc.record({
          hops: fc.uniqueArray(fc.tuple(fc.nat(links.length - 1), fc.boolean()), { minLength: 1, maxLength: 4, selector: ([l]) => l }),
          size: fc.integer({ min: 0, max: 5000 }),
          start: fc.nat(20),
          cap: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
        }),
        { minLength: 1, maxLength: 25 },
      ),
    }),
  );

interface Outcome {
  ends: number[];
  integrated: number[];
}

/** Runs a case, checking capacity and max-min fairness at the end of every instant where rates changed. */
function runCase(c: RandomCase): Outcome {
  const engine = new Engine();
  const net = new FlowNetwork(engine);
  const links = c.links.map((l, i) => net.addLink({ name: `l${i}`, capacity: l.capacity, duplex: l.half ? 'half' : 'full' }));
  const flows: Flow[] = [];
  const integrated = c.flows.map(() => 0);
  let lastCheck = 0;

  const check = (): void => {
    // Rates are settled only once the network's own end-of-instant recomputation has run.
    if (net.recomputePending) {
      engine.atEndOfInstant(check);
      return;
    }
    const now = engine.now;
    // Integrate delivered bytes from the rates in force since the last check.
    flows.forEach((f, i) => (integrated[i] += f.rateAtLastCheck * (now - lastCheck)));
    lastCheck = now;
    const active = flows.filter((f) => f.status === 'active');
    const load = new Map<object, number>();
    for (const f of active) for (const k of f.constraints) load.set(k, (load.get(k) ?? 0) + f.rate);
    for (const [k, sum] of load) expect(sum).toBeLessThanOrEqual((k as { capacity: number }).capacity * (1 + REL));
    for (const f of active) {
      expect(f.rate).toBeGreaterThan(0);
      if (f.rate >= f.cap * (1 - REL)) continue;
      // Not at its cap: it must cross a saturated constraint where nobody has a higher rate.
      const justified = f.constraints.some((k) => {
        const saturated = (load.get(k) ?? 0) >= k.capacity * (1 - REL);
        const maxOnK = Math.max(...k.flows.map((g) => g.rate));
        return saturated && f.rate >= maxOnK * (1 - REL);
      });
      expect(justified, `flow ${f.id} at ${f.rate} is neither capped nor bottlenecked`).toBe(true);
    }
    flows.forEach((f) => (f.rateAtLastCheck = f.status === 'active' ? f.rate : 0));
  };
  const checkLater = () => engine.atEndOfInstant(check);

  c.flows.forEach((spec, i) => {
    engine.schedule(spec.start, () => {
      const route: Route = spec.hops.map(([l, up]) => links[l].dir(up ? 'up' : 'down'));
      const cs = route.map((h) => (h.direction === 'up' ? h.link.up : h.link.down));
      // A half-duplex link crossed both ways would be the same constraint twice: skip such routes.
      if (new Set(cs).size !== cs.length) return;
      const f = net.transfer(route, spec.size, { cap: spec.cap ?? undefined, onComplete: checkLater }) as Flow & { rateAtLastCheck: number };
      f.rateAtLastCheck = 0;
      flows[i] = f;
      checkLater();
    });
  });
  engine.runSync();
  check();
  return { ends: c.flows.map((_, i) => flows[i]?.finishedAt ?? -1), integrated };
}

declare module '../../src/engine/network/flow.ts' {
  interface Flow {
    rateAtLastCheck: number;
  }
}

describe('flow network: properties', () => {
  it('never exceeds a capacity, allocates max-min fairly, and delivers every byte requested', () => {
    fc.assert(
      fc.property(randomCase, (c) => {
        const out = runCase(c);
        c.flows.forEach((spec, i) => {
          if (out.ends[i] === -1) return;
          expect(out.ends[i]).toBeGreaterThanOrEqual(spec.start);
          expect(Math.abs(out.integrated[i] - spec.size)).toBeLessThanOrEqual(1e-6 * Math.max(1, spec.size));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same completion times for the same input', () => {
    fc.assert(
      fc.property(randomCase, (c) => {
        expect(runCase(c).ends).toEqual(runCase(c).ends);
      }),
      { numRuns: 50 },
    );
  });
});
