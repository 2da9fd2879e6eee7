/**
 * The NodeEvents hub as the real status endpoint uses it, on the wall clock: reports kept before a
 * wait, timeouts on real time with nothing left behind, aborts, bad arguments. (Its contracts in
 * virtual time are in test/twin/ports/node-events-hub.test.ts.)
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DeployTwinError } from '../../../src/errors.ts';
import type { Clock, NodePhase, PhaseReport } from '../../../src/ports/index.ts';
import { WallClock } from '../../../src/real/clock.ts';
import { NodeEventsHub } from '../../../src/ports/node-events-hub.ts';

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

describe('the node-events hub on the wall clock (status endpoint)', () => {
  it('never misses a report that came before the wait, and honours since', async () => {
    const hub = new NodeEventsHub(new WallClock());
    hub.report(r('n1', 'kernel', 10, 1));
    hub.report(r('n1', 'kernel', 20, 2));
    expect(await hub.waitFor('n1', 'kernel', { since: 0, timeout: 1 })).toEqual(r('n1', 'kernel', 10, 1));
    expect(await hub.waitFor('n1', 'kernel', { since: 15, timeout: 1 })).toEqual(r('n1', 'kernel', 20, 2));
    expect(hub.pendingWaiters).toBe(0);
  });

  it('wakes a wait with a later report, and with a failure report', async () => {
    const hub = new NodeEventsHub(new WallClock());
    const booted = hub.waitFor('n1', 'booted', { since: 5, timeout: 60 });
    const other = hub.waitFor('n2', 'booted', { since: 0, timeout: 60 });
    hub.report(r('n1', 'booted', 4)); // before since: ignored
    hub.report(r('n1', 'booted', 6, 1));
    hub.report({ ...r('n2', 'failed', 7), detail: 'no rootfs' });
    expect(await booted).toEqual(r('n1', 'booted', 6, 1));
    expect(await other).toEqual({ ...r('n2', 'failed', 7), detail: 'no rootfs' });
    expect(hub.pendingWaiters).toBe(0);
  });

  it('times out after exactly `timeout` seconds of its clock, retryably, leaving nothing behind', async () => {
    const clock = steppedClock();
    const hub = new NodeEventsHub(clock);
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
    const hub = new NodeEventsHub(clock);
    await expect(hub.waitFor('n1', 'dhcp', { since: 0, timeout: 0.02 })).rejects.toMatchObject({ code: 'DT_EVENTS_TIMEOUT' });
    const waiting = hub.waitFor('n1', 'dhcp', { since: 0, timeout: 3600 });
    expect(clock.pendingTimers).toBe(1);
    hub.report(r('n1', 'dhcp', 1));
    await waiting;
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects with the abort reason and drops the waiter and the clock sleep', async () => {
    const clock = steppedClock();
    const hub = new NodeEventsHub(clock);
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
    const hub = new NodeEventsHub(new WallClock());
    for (const [node, phase, since, timeout] of [
      ['', 'dhcp', 0, 1],
      ['n1', 'failed', 0, 1],
      ['n1', 'dhcp', NaN, 1],
      ['n1', 'dhcp', 0, -1],
    ] as const) {
      await expect(hub.waitFor(node, phase as NodePhase, { since, timeout })).rejects.toMatchObject({ code: 'DT_EVENTS_BAD_ARGUMENT' });
    }
  });
});
