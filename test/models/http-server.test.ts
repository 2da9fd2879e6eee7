import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import type { Route } from '../../src/engine/network/link.ts';
import { SHARING_MODELS } from '../../src/engine/network/sharing.ts';
import { DeployTwinError } from '../../src/errors.ts';
import {
  DEFAULT_HTTP_SERVER_PARAMS,
  HttpRefusedError,
  HttpServer,
  httpDownloadWithRetry,
  wgetBackoff,
  type HttpDownloadResult,
  type HttpServerParams,
} from '../../src/models/http-server.ts';
import { constant } from '../../src/models/sampler.ts';

/** A star: the server's NIC, then one access link per client. */
function star(clients: number, opts: { nic?: number; access?: number; latency?: number; params?: Partial<HttpServerParams>; model?: keyof typeof SHARING_MODELS } = {}) {
  const engine = new Engine({ seed: 1 });
  const network = new FlowNetwork(engine, SHARING_MODELS[opts.model ?? 'maxmin']);
  const server = new HttpServer(engine, network, 'web', opts.params);
  const nic = network.addLink({ name: 'web.nic', capacity: opts.nic ?? 1e12 });
  const routes: Route[] = [];
  for (let i = 0; i < clients; i++) {
    const access = network.addLink({ name: `c${i}.access`, capacity: opts.access ?? 1e12, latency: opts.latency ?? 0 });
    routes.push([nic.hopUp, access.hopDown]);
  }
  return { engine, network, server, routes };
}

type Outcome = HttpDownloadResult | { error: unknown; at: number };

/** Starts client i at arrivals[i] and collects what each got. */
async function runClients(
  setup: ReturnType<typeof star>,
  clients: Array<{ arrival: number; bytes: number; clientRate?: number }>,
): Promise<Outcome[]> {
  const { engine, server, routes } = setup;
  const out: Outcome[] = new Array(clients.length);
  clients.forEach((c, i) => {
    engine.process(async (p) => {
      await p.timeout(c.arrival);
      try {
        out[i] = await server.download(routes[i], c.bytes, { clientRate: c.clientRate });
      } catch (error) {
        out[i] = { error, at: engine.now };
      }
    });
  });
  await engine.run();
  return out;
}

const ok = (o: Outcome): HttpDownloadResult => {
  if ('error' in o) throw new Error(`expected a download, got ${String(o.error)}`);
  return o;
};

describe('http server: closed forms', () => {
  it('N clients capped at r on an uncongested server all finish at latency + bytes/r', async () => {
    for (const n of [1, 3, 40]) {
      const setup = star(n, { params: { requestLatency: constant(0.001) } });
      const out = await runClients(setup, Array.from({ length: n }, () => ({ arrival: 0, bytes: 50e6, clientRate: 10e6 })));
      for (const o of out) {
        const r = ok(o);
        expect(r.granted).toBe(0);
        expect(r.firstByte).toBeCloseTo(0.001, 12);
        expect(r.end).toBeCloseTo(0.001 + 5, 9);
      }
    }
  });

  it('readBandwidth B shared by N uncapped clients: all finish at latency + N*bytes/B', async () => {
    for (const n of [1, 4, 25]) {
      const setup = star(n, { params: { readBandwidth: 1e9, requestLatency: constant(0.002) } });
      const out = await runClients(setup, Array.from({ length: n }, () => ({ arrival: 0, bytes: 2e8 })));
      for (const o of out) expect(ok(o).end).toBeCloseTo(0.002 + (n * 2e8) / 1e9, 9);
      expect(setup.server.disk.up.peakLoad).toBeCloseTo(1e9, 3);
    }
  });

  it('the disk link is shared max-min with the network: the tighter of the two binds', async () => {
    // Disk 1 GB/s, NIC 0.5 GB/s: 4 clients of 1e8 bytes finish at 4e8 / 0.5e9 = 0.8 s.
    const setup = star(4, { nic: 0.5e9, params: { readBandwidth: 1e9, requestLatency: constant(0) } });
    const out = await runClients(setup, Array.from({ length: 4 }, () => ({ arrival: 0, bytes: 1e8 })));
    for (const o of out) expect(ok(o).end).toBeCloseTo(0.8, 9);
  });

  it('the disk is not shrunk by the LV08 bandwidth factor (it corrects TCP, not a disk)', async () => {
    // Network far faster than the disk: the disk alone binds at exactly readBandwidth.
    const setup = star(2, { model: 'lv08', params: { readBandwidth: 1e9, requestLatency: constant(0) } });
    const out = await runClients(setup, [{ arrival: 0, bytes: 1e9 }, { arrival: 0, bytes: 1e9 }]);
    for (const o of out) expect(ok(o).end).toBeCloseTo(2, 9);
  });

  it('KiERA Table I: a 2 GB SquashFS at a wget rate of 2 GB/26 s takes 26 s', async () => {
    const setup = star(1, { params: { requestLatency: constant(0.001) } });
    const [o] = await runClients(setup, [{ arrival: 0, bytes: 2e9, clientRate: 2e9 / 26 }]);
    expect(ok(o).end).toBeCloseTo(26.001, 9);
  });

  it('first byte = slot granted + request latency + route latency', async () => {
    const setup = star(1, { latency: 0.01, params: { requestLatency: constant(0.003) } });
    const [o] = await runClients(setup, [{ arrival: 2, bytes: 1e6, clientRate: 1e6 }]);
    const r = ok(o);
    expect(r.start).toBe(2);
    expect(r.granted).toBe(2);
    expect(r.firstByte).toBeCloseTo(2.013, 12);
    expect(r.end).toBeCloseTo(3.013, 9);
  });

  it('draws each request latency from the stream http.<server>.request-latency', async () => {
    const uniform10ms = { sample: (rng: () => number) => 0.01 * rng(), mean: () => 0.005 };
    const setup = star(3, { params: { requestLatency: uniform10ms } });
    const out = await runClients(setup, [0, 1, 2].map((i) => ({ arrival: i, bytes: 1e3, clientRate: 1e9 })));
    const reference = new Engine({ seed: 1 }).stream('http.web.request-latency');
    for (const o of out) expect(ok(o).firstByte - ok(o).granted).toBeCloseTo(0.01 * reference.next(), 12);
  });

  it("queue: excess clients wait FIFO; with 2 slots client i ends at (floor(i/2)+1)*T", async () => {
    const setup = star(5, { params: { maxConnections: 2, requestLatency: constant(0.5) } });
    const out = await runClients(setup, Array.from({ length: 5 }, () => ({ arrival: 0, bytes: 2e6, clientRate: 1e6 })));
    const T = 2.5;
    out.forEach((o, i) => {
      const r = ok(o);
      expect(r.granted).toBeCloseTo(Math.floor(i / 2) * T, 9);
      expect(r.end).toBeCloseTo((Math.floor(i / 2) + 1) * T, 9);
    });
    expect(setup.server.peakConnections).toBe(2);
    expect(setup.server.refused).toBe(0);
    expect(setup.server.completed).toBe(5);
  });

  it('refuse: excess clients get a retryable DT_HTTP_REFUSED after one round trip', async () => {
    const setup = star(5, { latency: 0.01, params: { maxConnections: 2, overflow: 'refuse', requestLatency: constant(0.5) } });
    const out = await runClients(setup, Array.from({ length: 5 }, () => ({ arrival: 0, bytes: 2e6, clientRate: 1e6 })));
    for (const o of out.slice(0, 2)) expect(ok(o).end).toBeCloseTo(0.5 + 0.01 + 2, 9);
    for (const o of out.slice(2)) {
      expect('error' in o).toBe(true);
      const { error, at } = o as { error: unknown; at: number };
      expect(error).toBeInstanceOf(HttpRefusedError);
      expect((error as DeployTwinError).code).toBe('DT_HTTP_REFUSED');
      expect((error as DeployTwinError).retryable).toBe(true);
      expect(at).toBeCloseTo(0.02, 12);
    }
    expect(setup.server.refused).toBe(3);
    expect(setup.server.peakConnections).toBe(2);
  });

  it('an aborted queued client leaves the queue; the next one takes its place', async () => {
    const setup = star(3, { params: { maxConnections: 1, requestLatency: constant(0) } });
    const { engine, server, routes } = setup;
    const ac = new AbortController();
    engine.after(1, () => ac.abort(new Error('gave up')));
    const ends: Array<number | string> = [];
    for (let i = 0; i < 3; i++) {
      engine.process(async () => {
        try {
          ends[i] = (await server.download(routes[i], 2e6, { clientRate: 1e6, signal: i === 1 ? ac.signal : undefined })).end;
        } catch (e) {
          ends[i] = (e as Error).message;
        }
      });
    }
    await engine.run();
    expect(ends[0]).toBeCloseTo(2, 9);
    expect(ends[1]).toBe('gave up');
    expect(ends[2]).toBeCloseTo(4, 9);
  });

  it('wget retry: refused at 0 and 1 s, succeeds at 3 s after backoffs of 1 and 2 s', async () => {
    const setup = star(2, { params: { maxConnections: 1, overflow: 'refuse', requestLatency: constant(0.5) } });
    const { engine, server, routes } = setup;
    engine.process(() => server.download(routes[0], 2e6, { clientRate: 1e6 })); // holds the slot until 2.5
    const retry = engine.process(() => httpDownloadWithRetry(server, routes[1], 2e6, { clientRate: 1e6, retries: 5, backoff: wgetBackoff(10) }));
    const result = retry.finished;
    await engine.run();
    const r = await result;
    expect(r.attempts).toBe(3);
    expect(r.firstAttempt).toBe(0);
    expect(r.start).toBe(3);
    expect(r.end).toBeCloseTo(5.5, 9);
    expect(server.refused).toBe(2);
  });

  it('wget retry: after the last try it rejects with the last refusal', async () => {
    const setup = star(2, { params: { maxConnections: 1, overflow: 'refuse', requestLatency: constant(0.5) } });
    const { engine, server, routes } = setup;
    engine.process(() => server.download(routes[0], 2e6, { clientRate: 1e6 }));
    const retry = engine.process(() => httpDownloadWithRetry(server, routes[1], 2e6, { clientRate: 1e6, retries: 1 }));
    const result = retry.finished.then(
      () => 'succeeded',
      (e: unknown) => ({ e, at: engine.now }),
    );
    await engine.run();
    const r = (await result) as { e: unknown; at: number };
    expect(r.e).toBeInstanceOf(HttpRefusedError);
    expect(r.at).toBe(1);
    expect(server.refused).toBe(2);
  });

  it('wget retry: an error that retrying cannot cure is not retried', async () => {
    const setup = star(1, { params: { requestLatency: constant(0.5) } });
    const { engine, server, routes } = setup;
    // A negative size is a usage error of the flow network: it surfaces at once, after one request.
    const retry = engine.process(() => httpDownloadWithRetry(server, routes[0], -1, { retries: 5 }));
    const result = retry.finished.then(
      () => 'succeeded',
      (e: unknown) => ({ e, at: engine.now }),
    );
    await engine.run();
    const r = (await result) as { e: DeployTwinError; at: number };
    expect(r.e.code).toBe('DT_NETWORK_BAD_FLOW');
    expect(r.at).toBe(0.5);
  });

  it('wgetBackoff is linear up to waitretry', () => {
    const b = wgetBackoff(3);
    expect([1, 2, 3, 4, 10].map(b)).toEqual([1, 2, 3, 3, 3]);
    expect(wgetBackoff()(50)).toBe(10);
  });

  it('defaults: 256 slots (Apache prefork), queue, 2 GB/s, 1 ms', () => {
    expect(DEFAULT_HTTP_SERVER_PARAMS.maxConnections).toBe(256);
    expect(DEFAULT_HTTP_SERVER_PARAMS.overflow).toBe('queue');
    expect(DEFAULT_HTTP_SERVER_PARAMS.readBandwidth).toBe(2e9);
    expect(DEFAULT_HTTP_SERVER_PARAMS.requestLatency.mean()).toBe(0.001);
  });

  it('rejects bad parameters with DT_HTTP_BAD_PARAMS', () => {
    const engine = new Engine();
    const network = new FlowNetwork(engine);
    for (const params of [{ maxConnections: 0 }, { maxConnections: 1.5 }, { readBandwidth: 0 }, { readBandwidth: Infinity }, { overflow: 'drop' as 'queue' }]) {
      expect(() => new HttpServer(engine, network, 'x', params)).toThrow(expect.objectContaining({ code: 'DT_HTTP_BAD_PARAMS' }));
    }
  });
});

const clientArb = fc.record({
  arrival: fc.double({ min: 0, max: 5, noNaN: true }),
  bytes: fc.double({ min: 1e3, max: 1e7, noNaN: true }),
  clientRate: fc.double({ min: 1e5, max: 1e7, noNaN: true }),
});

/**
 * Relative slack of monotonicity checks: the flow network ends a transfer once less than 1e-9 of
 * it is left (BYTES_PRECISION), so equal runs may differ by that much.
 */
const SLACK = 1e-8;

describe('http server: properties', () => {
  it('never more than maxConnections downloads in flight; queued grants are FIFO', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('queue' as const, 'refuse' as const),
        fc.array(clientArb, { minLength: 1, maxLength: 12 }),
        fc.double({ min: 1e5, max: 1e8, noNaN: true }),
        async (maxConnections, overflow, clients, nic) => {
          const setup = star(clients.length, { nic, params: { maxConnections, overflow, requestLatency: constant(0.01) } });
          const out = await runClients(setup, clients);
          expect(setup.server.peakConnections).toBeLessThanOrEqual(maxConnections);
          const done = out.filter((o): o is HttpDownloadResult => !('error' in o));
          expect(done.length + setup.server.refused).toBe(clients.length);
          if (overflow === 'queue') expect(setup.server.refused).toBe(0);
          // Independent sweep over [granted, end): ends before grants at equal times.
          const events = done.flatMap((r) => [
            { t: r.granted, d: +1 },
            { t: r.end, d: -1 },
          ]);
          events.sort((a, b) => a.t - b.t || a.d - b.d);
          let inFlight = 0;
          for (const e of events) {
            inFlight += e.d;
            expect(inFlight).toBeLessThanOrEqual(maxConnections);
          }
          if (overflow === 'queue') {
            const byArrival = done.map((r) => r).sort((a, b) => a.start - b.start);
            for (let i = 1; i < byArrival.length; i++) expect(byArrival[i].granted).toBeGreaterThanOrEqual(byArrival[i - 1].granted);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  // Per-client monotonicity holds when every client gets a slot at once and the clients share one
  // bottleneck (disk and NIC in series) with the same own limit: then every active flow gets
  // min(cap, C/n), which grows with cap and C and shrinks with n, so each client's attained bytes
  // stay ahead in the faster run. It does NOT hold in general, and the tests keep to where it does:
  // raising one client's cap takes max-min share from another, and with queueing a faster
  // predecessor hands its slot on sooner, so the next client joins a shared link earlier and can
  // delay the ones already on it (a processor-sharing anomaly of order 1e-8 s that fast-check found;
  // the same effect can in principle delay the last download, so no makespan claim is made).
  it('a higher clientRate (the same for every client) never makes any client slower', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(clientArb, { minLength: 1, maxLength: 10 }),
        fc.double({ min: 1e5, max: 1e8, noNaN: true }),
        fc.double({ min: 1e5, max: 1e7, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        async (clients, nic, rate, factor) => {
          const run = (clientRate: number) =>
            runClients(
              star(clients.length, { nic, params: { maxConnections: clients.length } }),
              clients.map((c) => ({ ...c, clientRate })),
            );
          const slow = await run(rate);
          const fast = await run(rate * factor);
          fast.forEach((o, i) => expect(ok(o).end).toBeLessThanOrEqual(ok(slow[i]).end * (1 + SLACK)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a larger readBandwidth never makes any client slower (clients may have different rates)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(clientArb, { minLength: 1, maxLength: 10 }),
        fc.double({ min: 1e5, max: 1e8, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        async (clients, disk, factor) => {
          const run = (readBandwidth: number) =>
            runClients(star(clients.length, { nic: 5e7, params: { maxConnections: clients.length, readBandwidth } }), clients);
          const slow = await run(disk);
          const fast = await run(disk * factor);
          fast.forEach((o, i) => expect(ok(o).end).toBeLessThanOrEqual(ok(slow[i]).end * (1 + SLACK)));
        },
      ),
      { numRuns: 150 },
    );
  });

  // With queueing only bounds are asserted: each download, once granted, runs with at most
  // maxConnections - 1 others on the shared disk and NIC, and max-min gives it at least an equal
  // share of them.
  it('with queueing, a granted download takes between bytes/min(r, B) and bytes/min(r, B/maxConnections)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(clientArb, { minLength: 1, maxLength: 10 }),
        fc.double({ min: 1e5, max: 1e8, noNaN: true }),
        fc.double({ min: 1e5, max: 1e8, noNaN: true }),
        async (maxConnections, clients, disk, nic) => {
          const out = await runClients(star(clients.length, { nic, params: { maxConnections, readBandwidth: disk, requestLatency: constant(0.01) } }), clients);
          const B = Math.min(disk, nic);
          out.forEach((o, i) => {
            const r = ok(o);
            const { bytes, clientRate } = clients[i];
            expect(r.firstByte).toBeCloseTo(r.granted + 0.01, 12);
            expect(r.end - r.firstByte).toBeGreaterThanOrEqual((bytes / Math.min(clientRate, B)) * (1 - SLACK));
            expect(r.end - r.firstByte).toBeLessThanOrEqual((bytes / Math.min(clientRate, B / maxConnections)) * (1 + SLACK));
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
