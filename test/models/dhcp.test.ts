import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { constant, type Sampler } from '../../src/models/sampler.ts';
import { DEFAULT_DHCP_SERVER_PARAMS, DhcpServer, type DhcpServerParams } from '../../src/models/dhcp.ts';
import { IPXE_DISCOVER_TIMEOUTS, PXE_DISCOVER_TIMEOUTS, PxeNoOfferError, pxeDhcp, type PxeDhcpResult } from '../../src/models/pxe.ts';

interface Outcome {
  node: number;
  result?: PxeDhcpResult;
  error?: unknown;
  /** Simulated time the client finished (lease or give-up). */
  end: number;
}

/** N clients powering on at t=0 against one server; returns every client's outcome and the server. */
async function boot(n: number, params: Partial<DhcpServerParams>, schedule: readonly number[], lossRate = 0, seed = 1) {
  const engine = new Engine({ seed });
  const server = new DhcpServer(engine, { ...DEFAULT_DHCP_SERVER_PARAMS, ...params });
  const outcomes: Outcome[] = [];
  for (let i = 0; i < n; i++) {
    engine.process(async () => {
      try {
        const result = await pxeDhcp(engine, server, i, { schedule, lossRate });
        outcomes.push({ node: i, result, end: engine.now });
      } catch (error) {
        outcomes.push({ node: i, error, end: engine.now });
      }
    });
  }
  await engine.run();
  outcomes.sort((a, b) => a.node - b.node);
  return { server, outcomes };
}

function countByAttempts(outcomes: Outcome[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const o of outcomes) {
    const k = o.result ? String(o.result.attempts) : 'failed';
    c[k] = (c[k] ?? 0) + 1;
  }
  return c;
}

function uniform(lo: number, hi: number): Sampler {
  return { sample: (rng) => lo + (hi - lo) * rng(), mean: () => (lo + hi) / 2 };
}

describe('DHCP + PXE client: closed forms', () => {
  it('one client, idle server: lease after one service time, first try', async () => {
    const { outcomes, server } = await boot(1, { serviceTime: constant(0.002) }, PXE_DISCOVER_TIMEOUTS);
    expect(outcomes[0].result).toEqual({ attempts: 1, elapsed: 0.002 });
    expect(server.stats).toEqual({ arrivals: 1, dropped: 0, discarded: 0, served: 1, answered: 1, peakQueue: 0 });
  });

  it('200 clients at once, 1 worker, backlog 64, 2 ms: 65 answers per PXE round', async () => {
    // t=0: one served, 64 queued (done by 0.13 s), 135 dropped; they retry at 4 s: 65 more, 70
    // dropped; at 12 s 65 more, 5 dropped; at 28 s the last 5.
    const { outcomes, server } = await boot(200, { serviceTime: constant(0.002) }, PXE_DISCOVER_TIMEOUTS);
    expect(countByAttempts(outcomes)).toEqual({ 1: 65, 2: 65, 3: 65, 4: 5 });
    expect(server.stats).toEqual({ arrivals: 410, dropped: 210, discarded: 0, served: 200, answered: 200, peakQueue: 64 });
    expect(outcomes[199].result!.attempts).toBe(4);
    expect(outcomes[199].result!.elapsed).toBeCloseTo(4 + 8 + 16 + 5 * 0.002, 12);
  });

  it('stale requests keep their backlog slots and are discarded unserved (iPXE, 1/32 s per exchange)', async () => {
    // Round 1 (timeout 1 s): c0 served at once, c1..c64 queued, c65..c199 dropped. Queued c_j is
    // picked at j/32 and done at (j+1)/32: answered while < 1, so c0..c30; c31 is done exactly at
    // its deadline (wasted); c32..c64 are stale when reached (33 discarded).
    // Round 2 (t=1, timeout 2): the 33 stale requests still hold slots, so only c31..c61 fit; all
    // 31 answered by 2 s. Round 3 (t=3, timeout 4): c62 served, c63..c126 queued, 73 dropped; all
    // 65 answered. Round 4 (t=7, timeout 8): 65 answered, 8 dropped, and those fail at 15 s.
    const { outcomes, server } = await boot(200, { serviceTime: constant(1 / 32) }, IPXE_DISCOVER_TIMEOUTS);
    expect(countByAttempts(outcomes)).toEqual({ 1: 31, 2: 31, 3: 65, 4: 65, failed: 8 });
    expect(server.stats).toEqual({ arrivals: 580, dropped: 354, discarded: 33, served: 193, answered: 192, peakQueue: 64 });
    const failed = outcomes.filter((o) => o.error !== undefined);
    for (const o of failed) {
      expect(o.error).toBeInstanceOf(PxeNoOfferError);
      expect(o.error).toMatchObject({ code: 'DT_PXE_NO_OFFER', kind: 'retryable', attempts: 4, elapsed: 15 });
      expect((o.error as Error).message).toContain('No DHCP offers received');
      expect(o.end).toBe(15);
    }
    expect(failed.map((o) => o.node)).toEqual([192, 193, 194, 195, 196, 197, 198, 199]);
    expect(outcomes[31].result).toEqual({ attempts: 2, elapsed: 1 + 1 / 32 });
  });

  it('w workers serve simultaneous clients w at a time', async () => {
    const { outcomes, server } = await boot(10, { serviceTime: constant(0.25), workers: 3 }, PXE_DISCOVER_TIMEOUTS);
    expect(outcomes.map((o) => o.end)).toEqual([0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75, 0.75, 1]);
    expect(server.stats.peakQueue).toBe(7);
  });

  it('default parameters: about 2 ms per exchange, 1 worker, backlog 64; 65 of 200 get an answer first', async () => {
    expect(DEFAULT_DHCP_SERVER_PARAMS.serviceTime.mean()).toBeCloseTo(0.002, 12);
    const { outcomes } = await boot(200, {}, IPXE_DISCOVER_TIMEOUTS);
    expect(outcomes.filter((o) => o.result?.attempts === 1)).toHaveLength(65);
  });

  it('a client whose every DISCOVER is lost gives up after the whole schedule; the server sees nothing', async () => {
    const { outcomes, server } = await boot(3, {}, [1, 2, 4], 1);
    for (const o of outcomes) {
      expect(o.error).toMatchObject({ code: 'DT_PXE_NO_OFFER', attempts: 3, elapsed: 7 });
    }
    expect(server.stats.arrivals).toBe(0);
  });

  it('an aborted client stops at once; its queued request is discarded unserved', async () => {
    const engine = new Engine();
    const server = new DhcpServer(engine, { serviceTime: constant(1), workers: 1, backlog: 8 });
    const ctrl = new AbortController();
    let reason: unknown;
    engine.process(() => pxeDhcp(engine, server, 0));
    engine.process(async () => {
      await pxeDhcp(engine, server, 1, { signal: ctrl.signal }).catch((e: unknown) => (reason = [e, engine.now]));
    });
    engine.schedule(0.5, () => ctrl.abort('powered off'));
    await engine.run();
    expect(reason).toEqual(['powered off', 0.5]);
    expect(server.stats).toMatchObject({ arrivals: 2, served: 1, answered: 1, discarded: 1 });
  });

  it('a larger backlog is NOT always faster: a request queued too long is served, wasted, and delays the retry', async () => {
    // 2 clients, 0.3 s per exchange, timeouts [0.5, 0.5]. Backlog 0: c1 is dropped, retries at
    // 0.5 on an idle server, lease at 0.8. Backlog 1: c1 waits, is served 0.3..0.6 past its 0.5
    // deadline (wasted), and its retry at 0.5 waits for that work: lease at 0.9.
    const ends: number[] = [];
    for (const backlog of [0, 1]) {
      const { outcomes } = await boot(2, { serviceTime: constant(0.3), backlog }, [0.5, 0.5]);
      expect(outcomes[1].result!.attempts).toBe(2);
      ends.push(outcomes[1].end);
    }
    expect(ends[0]).toBeCloseTo(0.8, 12);
    expect(ends[1]).toBeCloseTo(0.9, 12);
  });

  it('rejects bad parameters', async () => {
    expect(() => new DhcpServer(new Engine(), { ...DEFAULT_DHCP_SERVER_PARAMS, workers: 0 })).toThrow(expect.objectContaining({ code: 'DT_DHCP_BAD_PARAMS' }));
    const engine = new Engine();
    const server = new DhcpServer(engine);
    await expect(pxeDhcp(engine, server, 0, { schedule: [] })).rejects.toMatchObject({ code: 'DT_DHCP_BAD_PARAMS' });
    await expect(pxeDhcp(engine, server, 0, { lossRate: 2 })).rejects.toMatchObject({ code: 'DT_DHCP_BAD_PARAMS' });
  });
});

const schedules = fc.constantFrom(PXE_DISCOVER_TIMEOUTS, IPXE_DISCOVER_TIMEOUTS, [0.5, 0.5], [0.3], [0.5, 0.5, 0.5], [0.7, 1.3, 0.2]);
// Short exchanges (overload by numbers) and exchanges comparable to the timeouts (stale and
// wasted work), constant or random.
const serviceTimes = fc.oneof(
  fc.double({ min: 0.001, max: 0.2, noNaN: true }).map((s) => constant(s)),
  fc.double({ min: 0.05, max: 1.5, noNaN: true }).map((s) => constant(s)),
  fc.tuple(fc.double({ min: 0.001, max: 0.2, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true })).map(([lo, w]) => uniform(lo, lo + w)),
);
const clientCounts = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 250 }));

describe('DHCP + PXE client: properties', () => {
  it('the makespan of N simultaneous clients is non-increasing in workers (loss 0)', async () => {
    await fc.assert(
      fc.asyncProperty(
        clientCounts,
        serviceTimes,
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        schedules,
        fc.nat(),
        async (n, serviceTime, backlog, workers, extra, schedule, seed) => {
          const makespan = async (w: number) => {
            const { outcomes } = await boot(n, { serviceTime, backlog, workers: w }, schedule, 0, seed);
            return Math.max(...outcomes.map((o) => o.end));
          };
          const fewer = await makespan(workers);
          const more = await makespan(workers + extra);
          expect(more).toBeLessThanOrEqual(fewer + 1e-12);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('waits at least the timeouts it exhausted, never more attempts than the schedule, and the server conserves requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 200 }),
        serviceTimes,
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 3 }),
        schedules,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(),
        async (n, serviceTime, backlog, workers, schedule, lossRate, seed) => {
          const { outcomes, server } = await boot(n, { serviceTime, backlog, workers }, schedule, lossRate, seed);
          expect(outcomes).toHaveLength(n);
          const prefix = [0];
          for (const t of schedule) prefix.push(prefix[prefix.length - 1] + t);
          let leases = 0;
          for (const o of outcomes) {
            if (o.result) {
              leases++;
              const a = o.result.attempts;
              expect(a).toBeGreaterThanOrEqual(1);
              expect(a).toBeLessThanOrEqual(schedule.length);
              // Exhausted a-1 timeouts in full, and got the answer strictly within the a-th.
              expect(o.result.elapsed).toBeGreaterThanOrEqual(prefix[a - 1] - 1e-9);
              expect(o.result.elapsed).toBeLessThan(prefix[a] + 1e-9);
            } else {
              expect(o.error).toBeInstanceOf(PxeNoOfferError);
              const e = o.error as PxeNoOfferError;
              expect(e.attempts).toBe(schedule.length);
              expect(e.elapsed).toBeCloseTo(prefix[schedule.length], 9);
            }
          }
          const s = server.stats;
          expect(s.arrivals).toBe(s.dropped + s.discarded + s.served + server.queued);
          expect(server.queued).toBe(0);
          expect(s.answered).toBe(leases);
          expect(s.peakQueue).toBeLessThanOrEqual(backlog);
          if (lossRate === 0) expect(s.arrivals).toBe(outcomes.reduce((k, o) => k + (o.result?.attempts ?? schedule.length), 0));
        },
      ),
      { numRuns: 60 },
    );
  });
});
