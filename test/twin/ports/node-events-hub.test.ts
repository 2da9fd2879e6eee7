import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../../src/engine/engine.ts';
import { DeployTwinError, UsageError } from '../../../src/errors.ts';
import type { NodePhase, PhaseReport } from '../../../src/ports/index.ts';
import { EngineClock } from '../../../src/twin/ports/engine-clock.ts';
import { NodeEventsHub, type BootReport, type WaitOptions } from '../../../src/ports/node-events-hub.ts';

function fresh(): { engine: Engine; clock: EngineClock; hub: NodeEventsHub } {
  const engine = new Engine();
  const clock = new EngineClock(engine);
  return { engine, clock, hub: new NodeEventsHub(clock) };
}

type Outcome = { t: number; report?: PhaseReport; error?: unknown };

/** Starts a process that waits at `start` and records when and how the wait ended. */
function waitIn(engine: Engine, hub: NodeEventsHub, start: number, node: string, phase: NodePhase, options: WaitOptions): Outcome[] {
  const out: Outcome[] = [];
  engine.process(async (p) => {
    await p.timeout(start);
    try {
      const report = await hub.waitFor(node, phase, options);
      out.push({ t: engine.now, report });
    } catch (error) {
      out.push({ t: engine.now, error });
    }
  });
  return out;
}

/** Reports `r` at simulated time t (its `at` defaults to t). */
function reportAt(engine: Engine, hub: NodeEventsHub, t: number, r: Omit<BootReport, 'at'> & { at?: number }): void {
  engine.schedule(t, () => hub.report({ at: t, ...r }));
}

describe('NodeEventsHub closed cases', () => {
  it('finds a report that came in before the wait, at once', async () => {
    const { engine, hub } = fresh();
    reportAt(engine, hub, 1, { node: 'n1', phase: 'dhcp' });
    const out = waitIn(engine, hub, 5, 'n1', 'dhcp', { since: 0, timeout: 10 });
    const stats = await engine.run();
    expect(out).toEqual([{ t: 5, report: { node: 'n1', phase: 'dhcp', at: 1 } }]);
    expect(stats.now).toBe(5);
    expect(engine.pendingEvents).toBe(0);
  });

  it('ignores reports before since and wakes at the simulated time the matching one arrives', async () => {
    const { engine, hub } = fresh();
    reportAt(engine, hub, 1, { node: 'n1', phase: 'kernel', boot: 0 });
    reportAt(engine, hub, 3, { node: 'n1', phase: 'dhcp' }); // other phase
    reportAt(engine, hub, 4, { node: 'n2', phase: 'kernel' }); // other node
    reportAt(engine, hub, 12.5, { node: 'n1', phase: 'kernel', boot: 1 });
    const out = waitIn(engine, hub, 0, 'n1', 'kernel', { since: 2, timeout: 30 });
    const stats = await engine.run();
    expect(out).toEqual([{ t: 12.5, report: { node: 'n1', phase: 'kernel', at: 12.5, boot: 1 } }]);
    // The 30 s timeout was cancelled: nothing is left on the calendar and the run ends at 12.5 s.
    expect(stats.now).toBe(12.5);
    expect(engine.pendingEvents).toBe(0);
    expect(hub.pendingWaiters).toBe(0);
  });

  it('counts a report whose time equals since (at or after)', async () => {
    const { engine, hub } = fresh();
    reportAt(engine, hub, 5, { node: 'n1', phase: 'initrd' });
    const kept = waitIn(engine, hub, 6, 'n1', 'initrd', { since: 5, timeout: 1 });
    const later = waitIn(engine, hub, 6, 'n1', 'initrd', { since: 5.001, timeout: 1 });
    await engine.run();
    expect(kept).toEqual([{ t: 6, report: { node: 'n1', phase: 'initrd', at: 5 } }]);
    expect(later[0]).toMatchObject({ t: 7, error: { code: 'DT_EVENTS_TIMEOUT' } });
  });

  it('answers a wait with a failed report', async () => {
    const { engine, hub } = fresh();
    reportAt(engine, hub, 7, { node: 'n1', phase: 'failed', detail: 'rootfs: checksum mismatch' });
    const out = waitIn(engine, hub, 0, 'n1', 'booted', { since: 0, timeout: 600 });
    await engine.run();
    expect(out).toEqual([{ t: 7, report: { node: 'n1', phase: 'failed', at: 7, detail: 'rootfs: checksum mismatch' } }]);
  });

  it('times out at exactly since-call + timeout with a retryable DT_EVENTS_TIMEOUT naming node and phase', async () => {
    const { engine, hub } = fresh();
    reportAt(engine, hub, 12.5, { node: 'n1', phase: 'booted' }); // too late
    const out = waitIn(engine, hub, 2, 'n1', 'booted', { since: 0, timeout: 10 });
    await engine.run();
    expect(out).toHaveLength(1);
    expect(out[0].t).toBe(12);
    const e = out[0].error as DeployTwinError;
    expect(e).toBeInstanceOf(DeployTwinError);
    expect(e.code).toBe('DT_EVENTS_TIMEOUT');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('n1');
    expect(e.message).toContain('"booted"');
    expect(hub.pendingWaiters).toBe(0);
  });

  it('a zero timeout still finds a kept report and otherwise times out at once', async () => {
    const { engine, hub } = fresh();
    hub.report({ node: 'n1', phase: 'dhcp', at: 0 });
    const found = waitIn(engine, hub, 3, 'n1', 'dhcp', { since: 0, timeout: 0 });
    const missed = waitIn(engine, hub, 3, 'n1', 'rootfs', { since: 0, timeout: 0 });
    await engine.run();
    expect(found[0]).toMatchObject({ t: 3, report: { phase: 'dhcp' } });
    expect(missed[0]).toMatchObject({ t: 3, error: { code: 'DT_EVENTS_TIMEOUT' } });
  });

  it('abort rejects with the reason at the abort time and leaves no waiter, listener or event', async () => {
    const { engine, hub } = fresh();
    const controller = new AbortController();
    const reason = new Error('operator cancelled');
    const out = waitIn(engine, hub, 0, 'n1', 'dhcp', { since: 0, timeout: 100, signal: controller.signal });
    engine.schedule(4, () => controller.abort(reason));
    reportAt(engine, hub, 5, { node: 'n1', phase: 'dhcp' });
    const stats = await engine.run();
    expect(out).toEqual([{ t: 4, error: reason }]);
    expect(stats.now).toBe(5);
    expect(engine.pendingEvents).toBe(0);
    expect(hub.pendingWaiters).toBe(0);
    // An already aborted signal rejects without waiting, even when a report is kept.
    await expect(hub.waitFor('n1', 'dhcp', { since: 0, timeout: 1, signal: controller.signal })).rejects.toBe(reason);
  });

  it('drops its abort listener when the wait ends by a report or by timing out', async () => {
    const { engine, hub } = fresh();
    const controller = new AbortController();
    const answered = waitIn(engine, hub, 0, 'n1', 'dhcp', { since: 0, timeout: 10, signal: controller.signal });
    const timedOut = waitIn(engine, hub, 0, 'n1', 'booted', { since: 0, timeout: 3, signal: controller.signal });
    reportAt(engine, hub, 2, { node: 'n1', phase: 'dhcp' });
    await engine.run({ until: 1 });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(2);
    await engine.run();
    expect(answered[0]).toMatchObject({ t: 2, report: { phase: 'dhcp' } });
    expect(timedOut[0]).toMatchObject({ t: 3, error: { code: 'DT_EVENTS_TIMEOUT' } });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an infinite timeout waits without a clock event until the report comes', async () => {
    const { engine, hub } = fresh();
    const out = waitIn(engine, hub, 0, 'n1', 'mounted', { since: 0, timeout: Infinity });
    reportAt(engine, hub, 1e6, { node: 'n1', phase: 'mounted' });
    await engine.run({ until: 10 });
    expect(engine.pendingEvents).toBe(1); // the report only
    await engine.run();
    expect(out).toEqual([{ t: 1e6, report: { node: 'n1', phase: 'mounted', at: 1e6 } }]);
  });

  it('wakes every wait a report answers, in the order they were made', async () => {
    const { engine, hub } = fresh();
    const order: string[] = [];
    for (const name of ['first', 'second']) {
      engine.process(async () => {
        await hub.waitFor('n1', 'rootfs', { since: 0, timeout: 50 });
        order.push(`${name}@${engine.now}`);
      });
    }
    reportAt(engine, hub, 9, { node: 'n1', phase: 'rootfs' });
    await engine.run();
    expect(order).toEqual(['first@9', 'second@9']);
  });

  it('keeps a repeat once (same node, phase and boot) and reports of other boots or nodes apart', () => {
    const { hub } = fresh();
    expect(hub.report({ node: 'n1', phase: 'dhcp', at: 1 })).toBe(true);
    expect(hub.report({ node: 'n1', phase: 'dhcp', at: 2, detail: 'resent' })).toBe(false);
    expect(hub.report({ node: 'n1', phase: 'dhcp', at: 3, boot: 1 })).toBe(true);
    expect(hub.report({ node: 'n1', phase: 'dhcp', at: 4, boot: 1 })).toBe(false);
    expect(hub.report({ node: 'n2', phase: 'dhcp', at: 5 })).toBe(true);
    expect(hub.history('n1')).toEqual([
      { node: 'n1', phase: 'dhcp', at: 1 },
      { node: 'n1', phase: 'dhcp', at: 3, boot: 1 },
    ]);
  });

  it('forget drops the kept reports, so an old boot neither answers nor shadows the new one', async () => {
    const { engine, hub } = fresh();
    hub.report({ node: 'n1', phase: 'booted', at: 0 });
    hub.forget('n1');
    expect(hub.history('n1')).toEqual([]);
    const out = waitIn(engine, hub, 0, 'n1', 'booted', { since: -Infinity, timeout: 20 });
    reportAt(engine, hub, 8, { node: 'n1', phase: 'booted' });
    await engine.run();
    expect(out).toEqual([{ t: 8, report: { node: 'n1', phase: 'booted', at: 8 } }]);
  });

  it('history is a frozen copy: neither the reporter nor a reader can change what is kept', () => {
    const { hub } = fresh();
    const r: BootReport = {
      node: 'n1',
      phase: 'booted',
      at: 1,
      hardware: { cpus: 8, memoryBytes: 1, disks: [{ name: 'sda', bytes: 2 }], gpus: [], pciDevices: [], macs: [] },
    };
    hub.report(r);
    r.at = 50;
    r.hardware!.disks[0].bytes = 3;
    const h = hub.history('n1');
    (h as PhaseReport[]).pop();
    expect(() => {
      hub.history('n1')[0].hardware!.gpus.push('a100');
    }).toThrow(TypeError);
    expect(hub.history('n1')).toEqual([{ node: 'n1', phase: 'booted', at: 1, hardware: { cpus: 8, memoryBytes: 1, disks: [{ name: 'sda', bytes: 2 }], gpus: [], pciDevices: [], macs: [] } }]);
  });

  it('refuses malformed reports and waits with DT_EVENTS_BAD_ARGUMENT', async () => {
    const { hub } = fresh();
    const reports: unknown[] = [
      null,
      { node: '', phase: 'dhcp', at: 0 },
      { node: 'n1', phase: 'pxe', at: 0 },
      { node: 'n1', phase: 'dhcp', at: NaN },
      { node: 'n1', phase: 'dhcp', at: 0, boot: -1 },
      { node: 'n1', phase: 'dhcp', at: 0, boot: 1.5 },
      { node: 'n1', phase: 'dhcp', at: 0, detail: 7 },
      { node: 'n1', phase: 'dhcp', at: 0, hardware: 'big' },
    ];
    for (const r of reports) {
      let caught: unknown;
      try {
        hub.report(r as BootReport);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(UsageError);
      expect(caught).toMatchObject({ code: 'DT_EVENTS_BAD_ARGUMENT' });
    }
    expect(hub.history('n1')).toEqual([]);
    const waits: Array<[string, string, WaitOptions]> = [
      ['', 'dhcp', { since: 0, timeout: 1 }],
      ['n1', 'failed', { since: 0, timeout: 1 }],
      ['n1', 'dhcp', { since: NaN, timeout: 1 }],
      ['n1', 'dhcp', { since: 0, timeout: -1 }],
      ['n1', 'dhcp', { since: 0, timeout: NaN }],
    ];
    for (const [node, phase, options] of waits) {
      await expect(hub.waitFor(node, phase as NodePhase, options)).rejects.toMatchObject({ code: 'DT_EVENTS_BAD_ARGUMENT' });
    }
    expect(hub.pendingWaiters).toBe(0);
  });
});

describe('NodeEventsHub property', () => {
  const NODES = ['a', 'b'];
  const WAIT_PHASES: NodePhase[] = ['dhcp', 'kernel', 'booted'];
  // Reports arrive at half-integer times and waits start and end at whole ones, so no report
  // ties with a wait's start or deadline and the expected outcome is unambiguous.
  const report = fc.record({
    slot: fc.nat(30),
    lag: fc.constantFrom(0, 0.25),
    node: fc.constantFrom(...NODES),
    phase: fc.constantFrom<PhaseReport['phase']>('dhcp', 'kernel', 'booted', 'failed'),
    boot: fc.option(fc.nat(1), { nil: undefined }),
  });
  const wait = fc.record({
    start: fc.nat(30),
    node: fc.constantFrom(...NODES),
    phase: fc.constantFrom(...WAIT_PHASES),
    sinceOffset: fc.integer({ min: -10, max: 10 }),
    timeout: fc.nat(15),
  });

  it('every wait resolves with the first kept matching report at or after since, or times out exactly at its deadline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(report, { maxLength: 25 }), fc.array(wait, { minLength: 1, maxLength: 12 }), async (reports, waits) => {
        const { engine, hub } = fresh();
        const arrivals = reports.map((r) => ({ t: r.slot + 0.5, report: { node: r.node, phase: r.phase, at: r.slot + 0.5 - r.lag, boot: r.boot } }));
        for (const a of arrivals) engine.schedule(a.t, () => hub.report(a.report));
        const outcomes = waits.map((w) => waitIn(engine, hub, w.start, w.node, w.phase, { since: w.start + w.sinceOffset, timeout: w.timeout }));
        await engine.run();

        // The model: arrivals in time order (equal times in scheduling order), repeats dropped.
        const kept = [...arrivals].sort((x, y) => x.t - y.t).filter((a, i, all) => !all.slice(0, i).some((b) => b.report.node === a.report.node && b.report.phase === a.report.phase && b.report.boot === a.report.boot));
        waits.forEach((w, k) => {
          const since = w.start + w.sinceOffset;
          const deadline = w.start + w.timeout;
          const hit = kept.find((a) => a.report.node === w.node && (a.report.phase === w.phase || a.report.phase === 'failed') && a.report.at >= since && a.t < deadline);
          expect(outcomes[k]).toHaveLength(1);
          const got = outcomes[k][0];
          if (hit === undefined) {
            expect(got.t).toBe(deadline);
            expect(got.error).toMatchObject({ code: 'DT_EVENTS_TIMEOUT', kind: 'retryable' });
          } else {
            expect(got.t).toBe(Math.max(w.start, hit.t));
            const expected: BootReport = { node: hit.report.node, phase: hit.report.phase, at: hit.report.at };
            if (hit.report.boot !== undefined) expected.boot = hit.report.boot;
            expect(got.report).toEqual(expected);
          }
        });
        expect(hub.pendingWaiters).toBe(0);
        expect(engine.pendingEvents).toBe(0);
      }),
    );
  });
});
