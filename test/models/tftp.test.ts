import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import type { Route } from '../../src/engine/network/link.ts';
import {
  DEFAULT_TFTP_PARAMS,
  TftpFileTooLargeError,
  TftpServer,
  TftpTimeoutError,
  planLosses,
  sampleBinomial,
  tftpRateBound,
  tftpWindows,
  type TftpDownloadResult,
  type TftpParams,
} from '../../src/models/tftp.ts';

const GBIT = 1.25e8; // 1 Gb/s in bytes/s

/** A server NIC and `n` node links (server -> node i crosses both). */
function net(n: number, opts: { capacity?: number; latency?: number; seed?: number } = {}) {
  const engine = new Engine({ seed: opts.seed ?? 1 });
  const network = new FlowNetwork(engine);
  const nic = network.addLink({ name: 'nic', capacity: opts.capacity ?? GBIT, latency: opts.latency ?? 0 });
  const routes: Route[] = [];
  for (let i = 0; i < n; i++) routes.push([nic.hopUp, network.addLink({ name: `n${i}`, capacity: 1e12 }).hopDown]);
  return { engine, network, routes };
}

type Outcome = { i: number; requested: number; r?: TftpDownloadResult; e?: unknown; at: number };

/** Runs downloads (route index, bytes, request time) and collects their outcomes. */
async function run(params: Partial<TftpParams>, jobs: Array<{ bytes: number; at?: number; rtt?: number }>, opts: { capacity?: number; latency?: number; seed?: number } = {}) {
  const { engine, network, routes } = net(jobs.length, opts);
  const server = new TftpServer(engine, network, params);
  const out: Outcome[] = [];
  jobs.forEach((job, i) => {
    engine.process(async (p) => {
      await p.timeout(job.at ?? 0);
      const requested = engine.now;
      try {
        out.push({ i, requested, r: await server.download(routes[i], job.bytes, { rtt: job.rtt, node: i }), at: engine.now });
      } catch (e) {
        out.push({ i, requested, e, at: engine.now });
      }
    });
  });
  await engine.run();
  out.sort((a, b) => a.i - b.i);
  return { out, server, network };
}

describe('TFTP: closed forms', () => {
  it('716 KiB grub image on an idle 1 Gb/s link, rtt 0.2 ms, turnaround 0.1 ms, blksize 512', async () => {
    // 733184 B = 1432 full blocks, plus the empty block that ends an exact multiple: 1433 round
    // trips of 0.3 ms, after the request's one-way latency of 0.1 ms.
    const bytes = 716 * 1024;
    expect(tftpWindows(DEFAULT_TFTP_PARAMS, bytes)).toBe(1433);
    expect(tftpRateBound(DEFAULT_TFTP_PARAMS, 0.0002)).toBeCloseTo(512 / 0.0003, 6);
    const { out } = await run({}, [{ bytes }], { latency: 0.0001 });
    expect(out[0].r!.start).toBe(0);
    expect(out[0].r!.end).toBeCloseTo(0.0001 + 1433 * 0.0003, 12);
    expect(out[0].r!.lostWindows).toBe(0);
    // 716 kB (decimal) = 1398 full blocks + a 256-byte last one = ceil(716000/512) = 1399 windows.
    const { out: dec } = await run({}, [{ bytes: 716_000 }], { latency: 0.0001 });
    expect(dec[0].r!.end).toBeCloseTo(0.0001 + 1399 * 0.0003, 12);
  });

  it('windowsize 8 needs ceil(1433 / 8) = 180 round trips', async () => {
    const { out } = await run({ windowsize: 8 }, [{ bytes: 716 * 1024 }], { latency: 0.0001 });
    expect(out[0].r!.end).toBeCloseTo(0.0001 + 180 * 0.0003, 12);
  });

  it('large blocks and windows: the link, not lockstep, bounds the transfer', async () => {
    // blksize 65464, windowsize 16: bound 3.5 GB/s > 125 MB/s, so 110 MB take 0.88 s on the wire.
    const { out } = await run({ blksize: 65464, windowsize: 16 }, [{ bytes: 110e6 }], { latency: 0.0001 });
    expect(out[0].r!.end).toBeCloseTo(0.0001 + 110e6 / GBIT, 9);
  });

  it('four transfers share a 1 MB/s link max-min', async () => {
    // Each is bound to 512/0.3 ms = 1.7 MB/s alone, so the link (0.25 MB/s each) binds.
    const { out } = await run({}, [1, 2, 3, 4].map(() => ({ bytes: 100_000, rtt: 0.0002 })), { capacity: 1e6 });
    for (const o of out) expect(o.r!.end).toBeCloseTo(0.4, 9);
  });

  it('a window lost more than maxRetries times fails the transfer after the last timeout', async () => {
    const { out } = await run({ lossRate: 1, maxRetries: 5 }, [{ bytes: 10_000 }]);
    expect(out[0].e).toBeInstanceOf(TftpTimeoutError);
    expect(out[0].e).toMatchObject({ code: 'DT_TFTP_TIMEOUT', kind: 'retryable', window: 0, attempts: 6, bytesDelivered: 0 });
    expect(out[0].at).toBe(6);
  });

  it('a file too large for 16-bit block numbers fails fast without rollover, and goes with it', async () => {
    const limit = 65535 * 512; // 33,553,920 B: would need DATA block 65536 (the empty final one)
    const { out, network } = await run({}, [{ bytes: limit }, { bytes: limit - 1 }]);
    expect(out[0].e).toBeInstanceOf(TftpFileTooLargeError);
    expect(out[0].e).toMatchObject({ code: 'DT_TFTP_FILE_TOO_LARGE', kind: 'fatal' });
    expect(out[0].at).toBe(0);
    expect(out[1].r).toBeDefined();
    expect(network.stats.flowsStarted).toBe(1);
    const { out: rolled } = await run({ rollover: true }, [{ bytes: 40e6 }]);
    expect(rolled[0].r).toBeDefined();
  });

  it('maxTransfers 2: the third request waits for the first slot to free, FIFO', async () => {
    const { out, server } = await run({ maxTransfers: 2 }, [{ bytes: 5119, rtt: 0.0009 }, { bytes: 10239, rtt: 0.0009 }, { bytes: 5119, rtt: 0.0009 }]);
    // 10 and 20 round trips of 1 ms.
    expect(out.map((o) => [o.r!.start, o.r!.end].map((t) => Math.round(t * 1e9) / 1e9))).toEqual([
      [0, 0.01],
      [0, 0.02],
      [0.01, 0.02],
    ]);
    expect(server.peakActive).toBe(2);
  });

  it('rejects bad parameters', () => {
    const { engine, network } = net(1);
    for (const bad of [{ blksize: 7 }, { blksize: 65465 }, { windowsize: 0 }, { lossRate: -0.1 }, { retransmitTimeout: 0 }, { maxTransfers: 0 }]) {
      expect(() => new TftpServer(engine, network, bad)).toThrow(expect.objectContaining({ code: 'DT_TFTP_BAD_PARAMS' }));
    }
  });
});

describe('TFTP: loss sampling', () => {
  it('binomial draws: exact branch matches the pmf, normal branch the mean, bounds and edge cases hold', () => {
    const engine = new Engine({ seed: 3 });
    const rng = engine.stream('t');
    const counts = [0, 0, 0, 0, 0, 0];
    const draws = 40_000;
    for (let i = 0; i < draws; i++) counts[sampleBinomial(rng, 5, 0.3)]++;
    const pmf = [0.16807, 0.36015, 0.3087, 0.1323, 0.02835, 0.00243];
    counts.forEach((c, k) => expect(Math.abs(c / draws - pmf[k])).toBeLessThan(0.01));
    let sum = 0;
    for (let i = 0; i < 2000; i++) {
      const k = sampleBinomial(rng, 100_000, 0.01);
      expect(Number.isInteger(k)).toBe(true);
      sum += k;
    }
    expect(sum / 2000).toBeGreaterThan(990);
    expect(sum / 2000).toBeLessThan(1010);
    expect(sampleBinomial(rng, 50, 0)).toBe(0);
    expect(sampleBinomial(rng, 50, 1)).toBe(50);
    expect(sampleBinomial(rng, 0, 0.5)).toBe(0);
  });

  it('loss plans: distinct sorted windows in range, run lengths capped at maxRetries + 1, deterministic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 6 }), fc.nat(), (w, p, maxRetries, seed) => {
        const plan = planLosses(new Engine({ seed }).stream('x'), w, p, maxRetries);
        expect(plan).toEqual(planLosses(new Engine({ seed }).stream('x'), w, p, maxRetries));
        // Plain loops (one expect per plan: plans can hold thousands of entries).
        const bad = plan.filter((e, i) => !(e.window >= 0 && e.window < w && (i === 0 || e.window > plan[i - 1].window) && e.losses >= 1 && e.losses <= maxRetries + 1));
        expect(bad).toEqual([]);
        if (p === 1) expect(plan.length).toBe(w);
        if (p === 0) expect(plan).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

const sizes = fc.integer({ min: 0, max: 3_000_000 });
const blksizes = fc.oneof(fc.constantFrom(512, 1428, 1468, 8192, 65464), fc.integer({ min: 8, max: 65464 }));
const rtts = fc.double({ min: 0, max: 0.002, noNaN: true });

describe('TFTP: properties', () => {
  it('a transfer never beats its lockstep bound, and on a zero-latency idle path costs W round trips + dead time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ bytes: sizes, at: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 6 }),
        fc.record({ blksize: blksizes, windowsize: fc.integer({ min: 1, max: 32 }), turnaround: fc.double({ min: 0, max: 0.001, noNaN: true }) }),
        rtts,
        fc.double({ min: 0, max: 0.02, noNaN: true }),
        fc.double({ min: 1e5, max: 1e9, noNaN: true }),
        fc.nat(),
        async (jobs, shape, rtt, lossRate, capacity, seed) => {
          const params = { ...shape, lossRate, rollover: true, retransmitTimeout: 0.5 };
          const { out } = await run(params, jobs.map((j) => ({ ...j, rtt })), { capacity, seed });
          const bound = tftpRateBound(params, rtt);
          for (const o of out) {
            if (o.e !== undefined) {
              expect(o.e).toBeInstanceOf(TftpTimeoutError);
              continue;
            }
            const r = o.r!;
            expect(r.start).toBeGreaterThanOrEqual(o.requested);
            expect(r.end - r.start).toBeGreaterThanOrEqual((jobs[o.i].bytes / bound) * (1 - 1e-9) - 1e-12);
            // Dead time and round trips are never skipped.
            const floor = tftpWindows(params, jobs[o.i].bytes) * (rtt + shape.turnaround) + r.lostWindows * 0.5;
            expect(r.end - r.start).toBeGreaterThanOrEqual(floor * (1 - 1e-9) - 1e-12);
            // Alone, with the lockstep cap below the link: exactly that (zero route latency).
            if (jobs.length === 1 && bound <= capacity) expect(r.end - r.start).toBeCloseTo(floor, 9);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('on a lossless link a larger windowsize or blksize is never slower (N identical transfers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        sizes,
        fc.integer({ min: 1, max: 5 }),
        blksizes,
        blksizes,
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        rtts,
        fc.double({ min: 1e5, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 0.001, noNaN: true }),
        async (bytes, n, b1, b2, w1, w2, rtt, capacity, latency) => {
          const makespan = async (blksize: number, windowsize: number) => {
            const { out } = await run({ blksize, windowsize, rollover: true }, Array.from({ length: n }, () => ({ bytes, rtt })), { capacity, latency });
            return Math.max(...out.map((o) => o.r!.end));
          };
          const [bs, bl] = [Math.min(b1, b2), Math.max(b1, b2)];
          const [ws, wl] = [Math.min(w1, w2), Math.max(w1, w2)];
          const base = await makespan(bs, ws);
          expect(await makespan(bs, wl)).toBeLessThanOrEqual(base * (1 + 1e-9));
          expect(await makespan(bl, ws)).toBeLessThanOrEqual(base * (1 + 1e-9));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('with maxTransfers = k never more than k transfers in flight, and slots go first come, first served', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.record({ bytes: fc.integer({ min: 0, max: 200_000 }), at: fc.double({ min: 0, max: 0.5, noNaN: true }) }), { minLength: 1, maxLength: 15 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.nat(),
        async (k, jobs, lossRate, seed) => {
          const { out, server } = await run({ maxTransfers: k, lossRate, retransmitTimeout: 0.1, maxRetries: 2 }, jobs.map((j) => ({ ...j, rtt: 0.0002 })), { seed });
          const done = out.filter((o) => o.r !== undefined);
          // Sweep over starts and ends (an end at t frees its slot before a start at t).
          const events = done.flatMap((o) => [
            [o.r!.start, 1],
            [o.r!.end, -1],
          ]);
          events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          let live = 0;
          for (const [, d] of events) {
            live += d;
            expect(live).toBeLessThanOrEqual(k);
          }
          expect(server.peakActive).toBeLessThanOrEqual(k);
          // Requests at distinct times get their slots in request order.
          const byRequest = [...done].sort((a, b) => a.requested - b.requested || a.i - b.i);
          for (let i = 1; i < byRequest.length; i++) expect(byRequest[i].r!.start).toBeGreaterThanOrEqual(byRequest[i - 1].r!.start);
        },
      ),
      { numRuns: 100 },
    );
  });
});
