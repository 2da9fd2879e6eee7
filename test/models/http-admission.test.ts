import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import type { Route } from '../../src/engine/network/link.ts';
import { SHARING_MODELS } from '../../src/engine/network/sharing.ts';
import { DeployTwinError, ErrorCodes } from '../../src/errors.ts';
import { HttpAdmission, HttpTimedOutError, tcpRetriesTimeout, type AdmissionTicket, type HttpAdmissionParams } from '../../src/models/http-admission.ts';
import { HttpServer, httpDownloadWithRetry, type HttpDownloadResult } from '../../src/models/http-server.ts';
import { constant } from '../../src/models/sampler.ts';

/** Seconds of backoff after `retries` timeouts: first, 2 first, 4 first, ... capped at max. */
function ladder(retries: number, first = 0.2, max = 120): number {
  let sum = 0;
  for (let i = 0; i < retries; i++) sum += Math.min(first * 2 ** i, max);
  return sum;
}

type Entry = { ticket: AdmissionTicket; at: number } | { error: unknown; at: number };

/** Clients that each arrive, take a place and hold it `hold` seconds (no network). */
async function holders(params: Partial<HttpAdmissionParams>, clients: Array<{ arrival: number; hold: number }>) {
  const engine = new Engine({ seed: 1 });
  const admission = new HttpAdmission(engine, 'web', params);
  const out: Entry[] = new Array(clients.length);
  let overCap = false;
  clients.forEach((c, i) => {
    engine.process(async (p) => {
      await p.timeout(c.arrival);
      try {
        const ticket = await admission.enter();
        if (admission.moving > admission.params.flows) overCap = true;
        out[i] = { ticket, at: engine.now };
        await p.timeout(c.hold);
        ticket.release();
      } catch (error) {
        out[i] = { error, at: engine.now };
      }
    });
  });
  await engine.run();
  return { admission, out, overCap };
}

const admitted = (e: Entry) => {
  if ('error' in e) throw new Error(`expected a place, got ${String(e.error)}`);
  return e;
};

/** A star: the server's NIC, then one access link per client (as in http-server.test.ts). */
function star(clients: number) {
  const engine = new Engine({ seed: 1 });
  const network = new FlowNetwork(engine, SHARING_MODELS.maxmin);
  const server = new HttpServer(engine, network, 'web', { requestLatency: constant(0.001), readBandwidth: 1e9 });
  const nic = network.addLink({ name: 'web.nic', capacity: 1e12 });
  const routes: Route[] = [];
  for (let i = 0; i < clients; i++) routes.push([nic.hopUp, network.addLink({ name: `c${i}.access`, capacity: 1e12 }).hopDown]);
  return { engine, server, routes };
}

describe('tcpRetriesTimeout (Linux tcp_model_timeout)', () => {
  it('gives the documented 924.6 s for tcp_retries2 = 15, and the doubling sums below the cap', () => {
    expect(tcpRetriesTimeout(15)).toBeCloseTo(924.6, 9);
    expect(tcpRetriesTimeout(3)).toBeCloseTo(0.2 * 15, 12);
    expect(tcpRetriesTimeout(9)).toBeCloseTo(204.6, 9);
    expect(tcpRetriesTimeout(10)).toBeCloseTo(324.6, 9);
    expect(tcpRetriesTimeout(2, 1, 3)).toBeCloseTo(1 + 2 + 3, 12);
  });
});

describe('http admission: closed forms', () => {
  it('K = 1, two clients: the second retries at the backoff sums 0.2, 0.6, 1.4, 3.0, 6.2, 12.6 s', async () => {
    const { out, admission } = await holders({ flows: 1 }, [
      { arrival: 0, hold: 10 },
      { arrival: 0, hold: 10 },
    ]);
    expect(admitted(out[0]).at).toBe(0);
    const b = admitted(out[1]);
    expect(b.at).toBeCloseTo(12.6, 9);
    expect(b.ticket.retries).toBe(6);
    expect(b.ticket.waited).toBeCloseTo(12.6, 9);
    expect(admission.retransmissions).toBe(6);
    expect(admission.peak).toBe(1);
    expect(admission.moving).toBe(0);
  });

  it('a freed place goes to whoever retries first, not to whoever came first', async () => {
    // A holds 0-10. B (t=0) retries at 6.2 then 12.6; C (t=9) retries at 9.2, 9.6, 10.4 and wins.
    const { out } = await holders({ flows: 1 }, [
      { arrival: 0, hold: 10 },
      { arrival: 0, hold: 1 },
      { arrival: 9, hold: 10 },
    ]);
    expect(admitted(out[2]).at).toBeCloseTo(10.4, 9);
    // B's retry at 12.6 finds C moving; its next wait is 12.8 s: 25.4.
    expect(admitted(out[1]).at).toBeCloseTo(25.4, 9);
    expect(admitted(out[1]).ticket.retries).toBe(7);
  });

  it('timeouts stop doubling at max', async () => {
    const { out } = await holders({ flows: 1, first: constant(1), max: 4 }, [
      { arrival: 0, hold: 20 },
      { arrival: 0, hold: 1 },
    ]);
    // Waits 1, 2, 4, 4, 4, 4, 4: retries at 1, 3, 7, 11, 15, 19, 23.
    expect(admitted(out[1]).at).toBeCloseTo(23, 12);
  });

  it('gives up with a retryable DT_HTTP_TIMED_OUT once the backoff reaches tcp_retries2 worth (924.6 s)', async () => {
    const { out, admission } = await holders({ flows: 1 }, [
      { arrival: 0, hold: 2000 },
      { arrival: 0, hold: 1 },
    ]);
    const b = out[1];
    if (!('error' in b)) throw new Error('expected a give-up');
    expect(b.error).toBeInstanceOf(HttpTimedOutError);
    expect((b.error as DeployTwinError).code).toBe(ErrorCodes.HTTP_TIMED_OUT);
    expect((b.error as DeployTwinError).retryable).toBe(true);
    expect(b.at).toBeCloseTo(924.6, 6);
    expect(admission.retransmissions).toBe(15);
    expect(admission.gaveUp).toBe(1);
  });

  it('an aborted client leaves the backoff holding nothing', async () => {
    const engine = new Engine({ seed: 1 });
    const admission = new HttpAdmission(engine, 'web', { flows: 1 });
    const controller = new AbortController();
    let reason: unknown;
    engine.process(async (p) => {
      const t = await admission.enter();
      await p.timeout(5);
      t.release();
    });
    engine.process(async () => {
      await admission.enter(controller.signal).catch((e: unknown) => (reason = e));
    });
    engine.after(1, () => controller.abort(new Error('powered off')));
    await engine.run();
    expect(String(reason)).toContain('powered off');
    expect(admission.moving).toBe(0);
    expect(admission.peak).toBe(1);
  });

  it('rejects impossible parameters', () => {
    const engine = new Engine();
    for (const bad of [{ flows: 0 }, { flows: 1.5 }, { max: 0 }, { giveUpAfter: 0 }, { first: constant(0) }]) {
      expect(() => new HttpAdmission(engine, 'web', bad)).toThrow(/HTTP admission "web"/);
    }
  });
});

describe('http admission in an HTTP download', () => {
  it('K = 1: the second 2 GB download at 200 MB/s starts after the backoff sum 12.6 s', async () => {
    const { engine, server, routes } = star(2);
    const admission = new HttpAdmission(engine, 'web.rootfs', { flows: 1 });
    const out: HttpDownloadResult[] = [];
    for (const i of [0, 1]) engine.process(async () => void (out[i] = await server.download(routes[i], 2e9, { clientRate: 200e6, admission })));
    await engine.run();
    expect(out[0].end).toBeCloseTo(0.001 + 10, 9);
    expect(out[1].granted).toBe(0);
    expect(out[1].firstByte).toBeCloseTo(0.001 + 12.6, 9);
    expect(out[1].end).toBeCloseTo(0.001 + 12.6 + 10, 9);
  });

  it('after a give-up, wget retries on a new connection with a fresh backoff', async () => {
    const { engine, server, routes } = star(2);
    const admission = new HttpAdmission(engine, 'web.rootfs', { flows: 1 });
    let b: Awaited<ReturnType<typeof httpDownloadWithRetry>> | undefined;
    // A moves 1,000 s; B gives up at 0.001 + 924.6, waits wget's 1 s, asks again (+0.001) and backs
    // off from 0.2 s anew: its retry at +102.2 s (after A's end at 1000.001) gets the place.
    engine.process(() => server.download(routes[0], 1000 * 200e6, { clientRate: 200e6, admission }));
    engine.process(async () => void (b = await httpDownloadWithRetry(server, routes[1], 2e9, { clientRate: 200e6, admission })));
    await engine.run();
    expect(b!.attempts).toBe(2);
    const again = 0.001 + 924.6 + 1 + 0.001;
    expect(b!.start).toBeCloseTo(again - 0.001, 6);
    expect(b!.firstByte).toBeCloseTo(again + ladder(9), 6);
    expect(b!.end).toBeCloseTo(again + ladder(9) + 10, 6);
    expect(admission.gaveUp).toBe(1);
  });
});

describe('http admission: properties', () => {
  const client = fc.record({ arrival: fc.double({ min: 0, max: 50, noNaN: true }), hold: fc.double({ min: 0.01, max: 40, noNaN: true }) });

  it('never more than K moving; every client gets a place or gives up with a reason; places come at backoff sums', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(client, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(Infinity, 30, 200),
        async (flows, clients, giveUpAfter) => {
          const { out, admission, overCap } = await holders({ flows, giveUpAfter }, clients);
          expect(overCap).toBe(false);
          expect(admission.peak).toBeLessThanOrEqual(flows);
          expect(admission.moving).toBe(0);
          out.forEach((e, i) => {
            if ('error' in e) {
              expect(e.error).toBeInstanceOf(HttpTimedOutError);
              expect(e.at - clients[i].arrival).toBeGreaterThanOrEqual(giveUpAfter - 1e-6);
            } else {
              expect(e.ticket.waited).toBeCloseTo(ladder(e.ticket.retries), 9);
              expect(e.at - clients[i].arrival).toBeCloseTo(e.ticket.waited, 6);
            }
          });
          if (giveUpAfter === Infinity) expect(out.every((e) => !('error' in e))).toBe(true);
          if (clients.length <= flows) expect(out.every((e) => !('error' in e) && e.ticket.retries === 0)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('with K >= clients, downloads are exactly those of plain max-min sharing', async () => {
    const download = fc.record({
      arrival: fc.double({ min: 0, max: 20, noNaN: true }),
      bytes: fc.double({ min: 1e6, max: 5e9, noNaN: true }),
      rate: fc.option(fc.double({ min: 1e7, max: 1e9, noNaN: true }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(download, { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 3 }), async (clients, extra) => {
        const runAll = async (withAdmission: boolean) => {
          const { engine, server, routes } = star(clients.length);
          const admission = withAdmission ? new HttpAdmission(engine, 'web.rootfs', { flows: clients.length + extra }) : undefined;
          const out: HttpDownloadResult[] = [];
          clients.forEach((c, i) =>
            engine.process(async (p) => {
              await p.timeout(c.arrival);
              out[i] = await server.download(routes[i], c.bytes, { clientRate: c.rate, admission });
            }),
          );
          await engine.run();
          return out;
        };
        expect(await runAll(true)).toEqual(await runAll(false));
      }),
      { numRuns: 60 },
    );
  });
});
