import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeployTwinError } from '../../../src/errors.ts';
import type { Clock, NodePhase, PhaseReport } from '../../../src/ports/index.ts';
import { ReportHub } from '../../../src/real/events/report-hub.ts';
import { WallClock } from '../../../src/real/clock.ts';
import { NodeEventsHub } from '../../../src/twin/ports/node-events-hub.ts';

/** A clock whose sleeps end only when the test fires them; it records every sleep asked for. */
function steppedClock(): Clock & { asked: number[]; fire(): void; live: number } {
  const pending = new Set<() => void>();
  return {
    asked: [],
    get live() {
      return pending.size;
    },
    now: () => 0,
    sleep(seconds, signal) {
      this.asked.push(seconds);
      return new Promise((resolve, reject) => {
        const done = () => {
          pending.delete(done);
          resolve();
        };
        pending.add(done);
        signal?.addEventListener('abort', () => {
          pending.delete(done);
          reject(signal.reason);
        });
      });
    },
    fire() {
      for (const f of [...pending]) f();
    },
  };
}

const r = (node: string, phase: PhaseReport['phase'], at: number, boot?: number): PhaseReport => ({ node, phase, at, ...(boot === undefined ? {} : { boot }) });

describe('ReportHub', () => {
  it('never misses a report that came before the wait, and honours since', async () => {
    const hub = new ReportHub(new WallClock());
    hub.deliver(r('n1', 'kernel', 10, 1));
    hub.deliver(r('n1', 'kernel', 20, 2));
    expect(await hub.waitFor('n1', 'kernel', { since: 0, timeout: 1 })).toEqual(r('n1', 'kernel', 10, 1));
    expect(await hub.waitFor('n1', 'kernel', { since: 15, timeout: 1 })).toEqual(r('n1', 'kernel', 20, 2));
    expect(hub.pendingWaiters).toBe(0);
  });

  it('wakes a wait with a later report, and with a failure report', async () => {
    const hub = new ReportHub(new WallClock());
    const booted = hub.waitFor('n1', 'booted', { since: 5, timeout: 60 });
    const other = hub.waitFor('n2', 'booted', { since: 0, timeout: 60 });
    hub.deliver(r('n1', 'booted', 4)); // before since: ignored
    hub.deliver(r('n1', 'booted', 6, 1));
    hub.deliver({ ...r('n2', 'failed', 7), detail: 'no rootfs' });
    expect(await booted).toEqual(r('n1', 'booted', 6, 1));
    expect(await other).toEqual({ ...r('n2', 'failed', 7), detail: 'no rootfs' });
    expect(hub.pendingWaiters).toBe(0);
  });

  it('times out after exactly `timeout` seconds of its clock, retryably, leaving nothing behind', async () => {
    const clock = steppedClock();
    const hub = new ReportHub(clock);
    const controller = new AbortController();
    const waiting = hub.waitFor('n1', 'dhcp', { since: 0, timeout: 42, signal: controller.signal });
    expect(clock.asked).toEqual([42]);
    clock.fire();
    const e = await waiting.then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(DeployTwinError);
    expect((e as DeployTwinError).code).toBe('DT_EVENTS_TIMEOUT');
    expect((e as DeployTwinError).retryable).toBe(true);
    expect(hub.pendingWaiters).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('times out on the wall clock too, and stops its timer when a report comes first', async () => {
    const clock = new WallClock();
    const hub = new ReportHub(clock);
    await expect(hub.waitFor('n1', 'dhcp', { since: 0, timeout: 0.02 })).rejects.toMatchObject({ code: 'DT_EVENTS_TIMEOUT' });
    const waiting = hub.waitFor('n1', 'dhcp', { since: 0, timeout: 3600 });
    expect(clock.pendingTimers).toBe(1);
    hub.deliver(r('n1', 'dhcp', 1));
    await waiting;
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects with the abort reason and drops the waiter and the clock sleep', async () => {
    const clock = steppedClock();
    const hub = new ReportHub(clock);
    const controller = new AbortController();
    const waiting = hub.waitFor('n1', 'dhcp', { since: 0, timeout: 10, signal: controller.signal });
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(clock.live).toBe(0);
    expect(hub.pendingWaiters).toBe(0);
    await expect(hub.waitFor('n1', 'dhcp', { since: 0, timeout: 10, signal: controller.signal })).rejects.toBe(reason);
  });

  it('refuses bad arguments with EVENTS_BAD_ARGUMENT', async () => {
    const hub = new ReportHub(new WallClock());
    for (const [node, phase, since, timeout] of [
      ['', 'dhcp', 0, 1],
      ['n1', 'failed', 0, 1],
      ['n1', 'dhcp', NaN, 1],
      ['n1', 'dhcp', 0, -1],
    ] as const) {
      await expect(hub.waitFor(node, phase as NodePhase, { since, timeout })).rejects.toMatchObject({ code: 'DT_EVENTS_BAD_ARGUMENT' });
    }
  });

  it('property: keeps, de-duplicates and answers exactly as the twin hub does', async () => {
    const report = fc.record({
      node: fc.constantFrom('n1', 'n2'),
      phase: fc.constantFrom<PhaseReport['phase']>('dhcp', 'kernel', 'booted', 'failed'),
      boot: fc.option(fc.nat(2), { nil: undefined }),
      detail: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
    });
    const step = fc.oneof({ arbitrary: report, weight: 5 }, { arbitrary: fc.constantFrom('n1', 'n2').map((forget) => ({ forget })), weight: 1 });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const clock = new WallClock();
        const real = new ReportHub(clock);
        const twin = new NodeEventsHub(clock);
        let at = 0;
        for (const s of steps) {
          if ('forget' in s) {
            real.forget(s.forget);
            twin.forget(s.forget);
            continue;
          }
          const rep: PhaseReport = { node: s.node, phase: s.phase, at: at++ };
          if (s.boot !== undefined) rep.boot = s.boot;
          if (s.detail !== undefined) rep.detail = s.detail;
          expect(real.deliver(rep)).toBe(twin.report(rep));
        }
        for (const node of ['n1', 'n2']) {
          expect(real.history(node)).toEqual(twin.history(node));
          for (const phase of ['dhcp', 'kernel', 'booted'] as const) {
            for (const since of [0, at / 2]) {
              const got = await Promise.allSettled([real.waitFor(node, phase, { since, timeout: 0 }), twin.waitFor(node, phase, { since, timeout: 0 })]);
              expect(got[1]).toEqual(got[0]);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
