import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import type { Route } from '../../src/engine/network/link.ts';
import { SHARING_MODELS } from '../../src/engine/network/sharing.ts';
import { DEFAULT_RSYNC_PARAMS, RsyncServer, type RsyncParams, type RsyncResult } from '../../src/models/rsync.ts';

/**
 * Slack of the inequalities: the flow network ends a transfer once less than 1e-9 of it plus 1e-6
 * units is left (BYTES_PRECISION, BYTES_FLOOR), which for flows of a few operations or files at a
 * few hundred per second is a few nanoseconds per flow.
 */
const SLACK = 1e-8;
const ABS_SLACK = 1e-6;
const atMost = (a: number, b: number) => expect(a).toBeLessThanOrEqual(b * (1 + SLACK) + ABS_SLACK);
const atLeast = (a: number, b: number) => expect(a).toBeGreaterThanOrEqual(b * (1 - SLACK) - ABS_SLACK);

function star(clients: number, opts: { nic?: number; latency?: number; params?: Partial<RsyncParams>; model?: keyof typeof SHARING_MODELS } = {}) {
  const engine = new Engine();
  const network = new FlowNetwork(engine, SHARING_MODELS[opts.model ?? 'maxmin']);
  const server = new RsyncServer(engine, network, 'bcm', opts.params);
  const nic = network.addLink({ name: 'bcm.nic', capacity: opts.nic ?? 1e12 });
  const routes: Route[] = [];
  for (let i = 0; i < clients; i++) {
    const access = network.addLink({ name: `n${i}.access`, capacity: 1e12, latency: opts.latency ?? 0 });
    routes.push([nic.hopUp, access.hopDown]);
  }
  return { engine, network, server, routes };
}

async function run(setup: ReturnType<typeof star>, clients: Array<{ arrival?: number; files?: number; bytes?: number; perFileCost?: number; clientRate?: number }>) {
  const out: RsyncResult[] = [];
  clients.forEach((c, i) => {
    setup.engine.process(async (p) => {
      await p.timeout(c.arrival ?? 0);
      out[i] = await setup.server.sync(setup.routes[i], c);
    });
  });
  await setup.engine.run();
  return out;
}

describe('rsync: closed forms', () => {
  it('KiERA Table I: one uncontended client with the defaults takes 214 s (+-1%) over OPA', async () => {
    const setup = star(1, { nic: 12.5e9 }); // 100 Gb/s Omni-Path
    const [r] = await run(setup, [{}]);
    expect(r.end).toBeGreaterThan(214 * 0.99);
    expect(r.end).toBeLessThan(214 * 1.01);
    expect(r.end).toBeCloseTo(214, 6);
    // 66.3 s of bytes at 2 GB / 26 s, the rest per-file work.
    expect(r.byteTime).toBeCloseTo(66.3, 6);
    expect(r.fileTime).toBeCloseTo(147.7, 6);
  });

  it('the default derivation: 150,000 files, 0.985 ms each, 76.9 MB/s, 20,000 files/s', () => {
    expect(DEFAULT_RSYNC_PARAMS.files).toBe(150_000);
    expect(DEFAULT_RSYNC_PARAMS.bytes).toBe(5.1e9);
    expect(DEFAULT_RSYNC_PARAMS.perFileCost).toBeCloseTo(147.7 / 150_000, 15);
    expect(DEFAULT_RSYNC_PARAMS.clientRate).toBeCloseTo(76_923_076.923, 2);
    expect(DEFAULT_RSYNC_PARAMS.serverFileRate).toBe(20_000);
  });

  it('uncontended: end = files*perFileCost + bytes/clientRate, whatever the chunk count', async () => {
    for (const chunks of [1, 3, 16]) {
      const setup = star(1, { params: { chunks } });
      const [r] = await run(setup, [{ files: 1000, bytes: 4e8, perFileCost: 0.002, clientRate: 1e8 }]);
      expect(r.fileTime).toBeCloseTo(2, 9);
      expect(r.byteTime).toBeCloseTo(4, 9);
      expect(r.end - r.start).toBeCloseTo(6, 9);
    }
  });

  it('N simultaneous clients: end = F/min(1/c, S/N) + B/min(r, C/N)', async () => {
    for (const n of [1, 2, 5, 12]) {
      const S = 2000;
      const C = 3e8;
      const setup = star(n, { nic: C, params: { serverFileRate: S } });
      const out = await run(setup, Array.from({ length: n }, () => ({ files: 3000, bytes: 6e8, perFileCost: 0.001, clientRate: 1e8 })));
      const expected = 3000 / Math.min(1000, S / n) + 6e8 / Math.min(1e8, C / n);
      for (const r of out) expect(r.end).toBeCloseTo(expected, 6);
    }
  });

  it('each byte chunk pays the route latency: K chunks add K x latency', async () => {
    const setup = star(1, { latency: 0.01, params: { chunks: 4 } });
    const [r] = await run(setup, [{ files: 100, bytes: 1e8, perFileCost: 0.01, clientRate: 1e8 }]);
    expect(r.end).toBeCloseTo(1 + 1 + 4 * 0.01, 9);
  });

  it('serverFileRate is not shrunk by the LV08 bandwidth factor', async () => {
    const setup = star(1, { model: 'lv08', params: { serverFileRate: 500 } });
    const [r] = await run(setup, [{ files: 1000, bytes: 0, perFileCost: 0.001 }]);
    expect(r.end).toBeCloseTo(2, 9);
  });

  it('empty trees and zero per-file cost are fine; bad values are DT_RSYNC_BAD_PARAMS', async () => {
    const setup = star(1, { params: { serverFileRate: 100 } });
    const [r] = await run(setup, [{ files: 200, bytes: 0, perFileCost: 0 }]);
    expect(r.end).toBeCloseTo(2, 9); // only the server's 100 files/s binds
    const engine = new Engine();
    const network = new FlowNetwork(engine);
    for (const params of [{ files: -1 }, { bytes: NaN }, { perFileCost: -0.1 }, { clientRate: 0 }, { serverFileRate: 0 }, { chunks: 0 }]) {
      expect(() => new RsyncServer(engine, network, `x${JSON.stringify(params)}`, params)).toThrow(expect.objectContaining({ code: 'DT_RSYNC_BAD_PARAMS' }));
    }
  });
});

const clientArb = fc.record({
  arrival: fc.double({ min: 0, max: 5, noNaN: true }),
  files: fc.integer({ min: 0, max: 5000 }),
  // Whole trees (or none): sub-byte transfers end at once under the network's BYTES_FLOOR.
  bytes: fc.oneof(fc.constant(0), fc.double({ min: 1e3, max: 1e9, noNaN: true })),
  perFileCost: fc.double({ min: 1e-5, max: 1e-2, noNaN: true }),
  clientRate: fc.double({ min: 1e6, max: 1e9, noNaN: true }),
});

describe('rsync: properties', () => {
  it('time is never below files*perFileCost + bytes/clientRate (so never below either term)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(clientArb, { minLength: 1, maxLength: 8 }),
        fc.double({ min: 100, max: 1e5, noNaN: true }),
        fc.double({ min: 1e7, max: 1e10, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        async (clients, serverFileRate, nic, chunks) => {
          const out = await run(star(clients.length, { nic, params: { serverFileRate, chunks } }), clients);
          out.forEach((r, i) => {
            const c = clients[i];
            atLeast(r.fileTime, c.files * c.perFileCost);
            atLeast(r.byteTime, c.bytes / c.clientRate);
            expect(r.end - r.start).toBeCloseTo(r.fileTime + r.byteTime, 9);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  // Monotonicity is checked for clients that start together with the same tree and limits: they
  // move in lockstep, so each resource's share per client only grows with its capacity. With
  // staggered clients it fails, per client and even for the last one: a client that finishes its
  // files sooner can start its bytes on top of another client's bytes (fast-check finds such
  // cases, of order 1e-6 s), an anomaly of the sequential form that a real single-threaded
  // receiver has too. For staggered clients only bounds are asserted.
  it('more serverFileRate is never slower (clients in lockstep)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        clientArb,
        fc.double({ min: 100, max: 1e5, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.double({ min: 1e7, max: 1e10, noNaN: true }),
        async (n, client, rate, factor, nic) => {
          const tree = { ...client, arrival: 0 };
          const ends = async (serverFileRate: number) => (await run(star(n, { nic, params: { serverFileRate } }), Array(n).fill(tree))).map((r) => r.end);
          const slow = await ends(rate);
          const fast = await ends(rate * factor);
          fast.forEach((t, i) => atMost(t, slow[i]));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('staggered clients never take longer than with an equal share of both resources among all N', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(clientArb, { minLength: 1, maxLength: 8 }),
        fc.double({ min: 100, max: 1e5, noNaN: true }),
        fc.double({ min: 1e7, max: 1e10, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        async (clients, S, C, chunks) => {
          const n = clients.length;
          const out = await run(star(n, { nic: C, params: { serverFileRate: S, chunks } }), clients);
          out.forEach((r, i) => {
            const c = clients[i];
            atMost(r.fileTime, c.files / Math.min(1 / c.perFileCost, S / n));
            atMost(r.byteTime, c.bytes / Math.min(c.clientRate, C / n));
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('clients share serverFileRate max-min: each gets min(1/perFileCost, water level)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 1e-4, max: 1e-2, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 100, max: 2e4, noNaN: true }),
        async (costs, S) => {
          const setup = star(costs.length, { params: { serverFileRate: S } });
          costs.forEach((perFileCost, i) => setup.engine.process(() => setup.server.sync(setup.routes[i], { files: 1e6, bytes: 0, perFileCost })));
          await setup.engine.run({ until: 1e-6 });
          // Independent water-filling: serve the smallest caps first.
          const caps = costs.map((c) => 1 / c).sort((a, b) => a - b);
          let left = S;
          const expected: number[] = [];
          caps.forEach((cap, k) => {
            const share = left / (caps.length - k);
            const rate = Math.min(cap, share);
            expected.push(rate);
            left -= rate;
          });
          const rates = setup.server.files.up.flows.map((f) => f.rate).sort((a, b) => a - b);
          expect(rates).toHaveLength(costs.length);
          rates.forEach((r, k) => expect(Math.abs(r - expected[k])).toBeLessThanOrEqual(1e-9 * expected[k]));
          expect(setup.server.files.up.load).toBeLessThanOrEqual(S * (1 + 1e-9));
        },
      ),
      { numRuns: 100 },
    );
  });
});
