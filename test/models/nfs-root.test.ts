import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import type { Route } from '../../src/engine/network/link.ts';
import { DEFAULT_NFS_ROOT_PARAMS, NfsRootServer, type NfsBootResult, type NfsRootParams } from '../../src/models/nfs-root.ts';

/**
 * Slack of the inequalities: the flow network ends a transfer once less than 1e-9 of it plus 1e-6
 * units is left (BYTES_PRECISION, BYTES_FLOOR), which for flows of a few operations or files at a
 * few hundred per second is a few nanoseconds per flow.
 */
const SLACK = 1e-8;
const ABS_SLACK = 1e-6;
const atMost = (a: number, b: number) => expect(a).toBeLessThanOrEqual(b * (1 + SLACK) + ABS_SLACK);
const atLeast = (a: number, b: number) => expect(a).toBeGreaterThanOrEqual(b * (1 - SLACK) - ABS_SLACK);

function star(clients: number, opts: { nic?: number; access?: number | number[]; params?: Partial<NfsRootParams> } = {}) {
  const engine = new Engine();
  const network = new FlowNetwork(engine);
  const server = new NfsRootServer(engine, network, 'drbl', opts.params);
  const nic = network.addLink({ name: 'drbl.nic', capacity: opts.nic ?? 1.25e8 });
  const routes: Route[] = [];
  for (let i = 0; i < clients; i++) {
    const capacity = Array.isArray(opts.access) ? opts.access[i] : (opts.access ?? 1.25e8);
    routes.push([nic.hopUp, network.addLink({ name: `n${i}.access`, capacity }).hopDown]);
  }
  return { engine, network, server, routes };
}

async function boot(setup: ReturnType<typeof star>, arrivals: number[]): Promise<NfsBootResult[]> {
  const out: NfsBootResult[] = [];
  arrivals.forEach((a, i) => {
    setup.engine.process(async (p) => {
      await p.timeout(a);
      out[i] = await setup.server.boot(setup.routes[i]);
    });
  });
  await setup.engine.run();
  return out;
}

describe('nfs root: closed forms', () => {
  it('one client: K x opLatency / window + W / link rate', async () => {
    for (const window of [1, 4]) {
      const [r] = await boot(star(1, { params: { window } }), [0]);
      // 20,000 ops at window / 0.5 ms (at most 8,000 ops/s, under the server's 15,000), 200 MB at 125 MB/s.
      expect(r.opTime).toBeCloseTo((20_000 * 0.0005) / window, 9);
      expect(r.byteTime).toBeCloseTo(1.6, 9);
      expect(r.end).toBeCloseTo((20_000 * 0.0005) / window + 1.6, 9);
    }
  });

  it('N simultaneous clients: K / min(window/rtt, S/N) + W / min(access, C/N)', async () => {
    for (const n of [1, 7, 8, 16, 40]) {
      const C = 1.25e9; // a 10 GbE server, 1 GbE nodes
      const out = await boot(star(n, { nic: C }), Array(n).fill(0));
      const expected = 20_000 / Math.min(2000, 15_000 / n) + 200e6 / Math.min(1.25e8, C / n);
      for (const r of out) expect(r.end).toBeCloseTo(expected, 6);
    }
  });

  it("DRBL's 16-node testbed on GbE: 21.3 s of ops and 25.6 s of bytes", async () => {
    const out = await boot(star(16), Array(16).fill(0));
    for (const r of out) {
      expect(r.opTime).toBeCloseTo((20_000 * 16) / 15_000, 6);
      expect(r.byteTime).toBeCloseTo((16 * 200e6) / 1.25e8, 6);
    }
  });

  it('defaults and bad parameters', () => {
    expect(DEFAULT_NFS_ROOT_PARAMS).toMatchObject({ workingSetBytes: 200e6, ops: 20_000, serverOpsRate: 15_000, opLatency: 0.0005, window: 1 });
    const engine = new Engine();
    const network = new FlowNetwork(engine);
    expect(new NfsRootServer(engine, network, 'ok', { window: 2, opLatency: 0.001 }).clientOpsRate).toBe(2000);
    for (const params of [{ ops: -1 }, { workingSetBytes: Infinity }, { serverOpsRate: 0 }, { opLatency: 0 }, { window: 0 }, { window: 1.5 }, { chunks: 0 }]) {
      expect(() => new NfsRootServer(engine, network, `x${JSON.stringify(params)}`, params)).toThrow(expect.objectContaining({ code: 'DT_NFS_BAD_PARAMS' }));
    }
  });
});

const paramsArb = fc.record({
  workingSetBytes: fc.double({ min: 1e6, max: 5e8, noNaN: true }),
  ops: fc.integer({ min: 1, max: 50_000 }),
  serverOpsRate: fc.double({ min: 1000, max: 50_000, noNaN: true }),
  opLatency: fc.double({ min: 1e-5, max: 2e-3, noNaN: true }),
  window: fc.integer({ min: 1, max: 8 }),
  chunks: fc.integer({ min: 1, max: 8 }),
});

// As for rsync (see rsync.test.ts), monotonicity is checked for a boot storm, every node powered
// on at once with the same working set. With staggered boots it does not hold exactly (a slower
// neighbour can shift a client's bytes out of another's way), so only bounds are asserted.
describe('nfs root: properties', () => {
  it('more clients booting at once never make any client faster', async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.double({ min: 1e7, max: 1e10, noNaN: true }), async (params, n, extra, nic) => {
        const few = await boot(star(n, { nic, params }), Array(n).fill(0));
        const many = await boot(star(n + extra, { nic, params }), Array(n + extra).fill(0));
        few.forEach((r, i) => atLeast(many[i].end, r.end));
      }),
      { numRuns: 100 },
    );
  });

  it('more server ops/s never makes any client of a boot storm slower', async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb, fc.integer({ min: 1, max: 16 }), fc.double({ min: 1, max: 10, noNaN: true }), async (params, n, factor) => {
        const slow = await boot(star(n, { params }), Array(n).fill(0));
        const fast = await boot(star(n, { params: { ...params, serverOpsRate: params.serverOpsRate * factor } }), Array(n).fill(0));
        fast.forEach((r, i) => atMost(r.end, slow[i].end));
      }),
      { numRuns: 100 },
    );
  });

  it('staggered boots take between their uncontended time and an equal share among all N', async () => {
    await fc.assert(
      fc.asyncProperty(
        paramsArb,
        fc.array(fc.record({ arrival: fc.double({ min: 0, max: 20, noNaN: true }), access: fc.double({ min: 1e7, max: 1.25e9, noNaN: true }) }), { minLength: 1, maxLength: 10 }),
        fc.double({ min: 1e7, max: 1.25e9, noNaN: true }),
        async (params, clients, C) => {
          const n = clients.length;
          const out = await boot(
            star(n, { nic: C, access: clients.map((c) => c.access), params }),
            clients.map((c) => c.arrival),
          );
          const perClientOps = params.window / params.opLatency;
          out.forEach((r, i) => {
            const access = clients[i].access;
            atLeast(r.opTime, params.ops / Math.min(perClientOps, params.serverOpsRate));
            atLeast(r.byteTime, params.workingSetBytes / Math.min(access, C));
            atMost(r.opTime, params.ops / Math.min(perClientOps, params.serverOpsRate / n));
            atMost(r.byteTime, params.workingSetBytes / Math.min(access, C / n));
            expect(r.end - r.start).toBeCloseTo(r.opTime + r.byteTime, 9);
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
