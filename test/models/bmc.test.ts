import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { constant } from '../../src/models/sampler.ts';
import {
  BmcModel,
  BmcTimeoutError,
  DEFAULT_IPMI_BMC_PARAMS,
  DEFAULT_REDFISH_BMC_PARAMS,
  bmcParams,
  type BmcCommandRecord,
  type BmcParams,
  type PowerState,
} from '../../src/models/bmc.ts';

/** A BMC with constant timings, recording hooks and commands. */
function setup(overrides: Partial<BmcParams> = {}, present = true, power: PowerState = 'off') {
  const engine = new Engine({ seed: 7 });
  const powerLog: Array<[number, PowerState]> = [];
  const records: BmcCommandRecord[] = [];
  const params = bmcParams({ commandLatency: constant(0.25), softOffDelay: constant(20), ...overrides });
  const bmc = new BmcModel(
    engine,
    params,
    3,
    {
      onPowerOn: (n) => {
        expect(n).toBe(3);
        powerLog.push([engine.now, 'on']);
      },
      onPowerOff: () => powerLog.push([engine.now, 'off']),
      onCommand: (r) => records.push(r),
    },
    present,
    { power },
  );
  return { engine, bmc, powerLog, records };
}

describe('BMC: closed forms', () => {
  it('two commands queued on one BMC finish at L and 2L', async () => {
    const { engine, bmc, powerLog, records } = setup();
    const ends: Array<[string, number, unknown]> = [];
    engine.process(async () => {
      await bmc.powerOn();
      ends.push(['on', engine.now, undefined]);
    });
    engine.process(async () => {
      const s = await bmc.powerStatus();
      ends.push(['status', engine.now, s]);
    });
    await engine.run();
    expect(ends).toEqual([
      ['on', 0.25, undefined],
      ['status', 0.5, 'on'],
    ]);
    expect(powerLog).toEqual([[0.25, 'on']]);
    expect(records.map((r) => [r.command, r.requested, r.start, r.end, r.outcome])).toEqual([
      ['powerOn', 0, 0, 0.25, 'ok'],
      ['powerStatus', 0, 0.25, 0.5, 'ok'],
    ]);
  });

  it('a failed command times out at exactly `timeout`, takes no effect, and holds the BMC meanwhile', async () => {
    const { engine, bmc, powerLog, records } = setup({ failureRate: 1, timeout: 5 });
    let error: unknown;
    let at = NaN;
    engine.process(async () => {
      try {
        await bmc.powerOn();
      } catch (e) {
        error = e;
        at = engine.now;
      }
    });
    engine.process(async () => {
      await bmc.powerStatus().catch(() => undefined);
    });
    await engine.run();
    expect(at).toBe(5);
    expect(error).toBeInstanceOf(BmcTimeoutError);
    expect(error).toMatchObject({ code: 'DT_BMC_TIMEOUT', kind: 'retryable', retryable: true });
    expect(bmc.power).toBe('off');
    expect(powerLog).toEqual([]);
    expect(records.map((r) => [r.start, r.end, r.outcome])).toEqual([
      [0, 5, 'timeout'],
      [5, 10, 'timeout'],
    ]);
  });

  it('an answer slower than the timeout is a timeout too', async () => {
    const { engine, bmc } = setup({ commandLatency: constant(6), timeout: 5 });
    const p = engine.process(() => bmc.powerOn());
    const done = p.finished.catch((e: unknown) => [e, engine.now]);
    await engine.run();
    const [e, t] = (await done) as [unknown, number];
    expect(e).toBeInstanceOf(BmcTimeoutError);
    expect(t).toBe(5);
    expect(bmc.power).toBe('off');
  });

  it('probe: a present BMC answers after the latency, an absent address times out', async () => {
    for (const [present, expected] of [
      [true, ['ok', 0.25]],
      [false, ['DT_BMC_TIMEOUT', 5]],
    ] as const) {
      const { engine, bmc } = setup({ timeout: 5 }, present);
      let got: [string, number] = ['', NaN];
      engine.process(async () => {
        try {
          expect(await bmc.probe()).toBe(true);
          got = ['ok', engine.now];
        } catch (e) {
          got = [(e as BmcTimeoutError).code, engine.now];
        }
      });
      await engine.run();
      expect(got).toEqual(expected);
    }
  });

  it('one-time boot device is consumed by the next boot; persistent stays', async () => {
    const { engine, bmc } = setup();
    const seen: unknown[] = [];
    engine.process(async () => {
      seen.push(await bmc.getBootDevice());
      await bmc.setBootDevice('pxe', false);
      seen.push(await bmc.getBootDevice());
      seen.push(bmc.consumeBootDevice(), bmc.consumeBootDevice());
      await bmc.setBootDevice('pxe', true);
      seen.push(bmc.consumeBootDevice(), bmc.consumeBootDevice());
      await bmc.setBootDevice('disk', false);
      await bmc.setBootDevice('pxe', true); // persistent clears the pending one-time override
      seen.push(await bmc.getBootDevice(), bmc.consumeBootDevice());
    });
    await engine.run();
    expect(seen).toEqual([
      { device: 'disk', persistent: true },
      { device: 'pxe', persistent: false },
      'pxe',
      'disk',
      'pxe',
      'pxe',
      { device: 'pxe', persistent: true },
      'pxe',
    ]);
  });

  it('soft-off powers off after the shutdown delay, unless ignored or overtaken', async () => {
    const plain = setup({}, true, 'on');
    plain.engine.process(() => plain.bmc.softOff());
    await plain.engine.run();
    expect(plain.powerLog).toEqual([[20.25, 'off']]);

    const ignored = setup({ softOffIgnoreRate: 1 }, true, 'on');
    ignored.engine.process(() => ignored.bmc.softOff());
    await ignored.engine.run();
    expect(ignored.powerLog).toEqual([]);
    expect(ignored.bmc.power).toBe('on');

    // A hard off and a power-on before the shutdown completes: the stale soft-off must not fire.
    const overtaken = setup({}, true, 'on');
    overtaken.engine.process(async () => {
      await overtaken.bmc.softOff();
      await overtaken.bmc.powerOff();
      await overtaken.bmc.powerOn();
    });
    await overtaken.engine.run();
    expect(overtaken.powerLog).toEqual([
      [0.5, 'off'],
      [0.75, 'on'],
    ]);
    expect(overtaken.bmc.power).toBe('on');
  });

  it('power cycle: off at L, on at L + interval; from off it simply powers on', async () => {
    const on = setup({ cycleInterval: 2 }, true, 'on');
    let end = NaN;
    on.engine.process(async () => {
      await on.bmc.powerCycle();
      end = on.engine.now;
    });
    await on.engine.run();
    expect(on.powerLog).toEqual([
      [0.25, 'off'],
      [2.25, 'on'],
    ]);
    expect(end).toBe(2.25);

    const off = setup({ cycleInterval: 2 });
    off.engine.process(() => off.bmc.powerCycle());
    await off.engine.run();
    expect(off.powerLog).toEqual([[0.25, 'on']]);
  });

  it('an aborted queued command leaves the queue and never takes effect', async () => {
    const { engine, bmc, powerLog } = setup();
    engine.process(() => bmc.powerStatus());
    const ctrl = new AbortController();
    let reason: unknown;
    engine.process(async () => {
      try {
        await bmc.powerOn(ctrl.signal);
      } catch (e) {
        reason = e;
      }
    });
    engine.schedule(0.1, () => ctrl.abort('changed my mind'));
    await engine.run();
    expect(reason).toBe('changed my mind');
    expect(powerLog).toEqual([]);
  });

  it('defaults: IPMI ~0.3 s / 5 s, Redfish ~0.8 s / 10 s; bad parameters are usage errors', () => {
    expect(DEFAULT_IPMI_BMC_PARAMS.commandLatency.mean()).toBeCloseTo(0.3, 12);
    expect(DEFAULT_IPMI_BMC_PARAMS.timeout).toBe(5);
    expect(DEFAULT_REDFISH_BMC_PARAMS.commandLatency.mean()).toBeCloseTo(0.8, 12);
    expect(DEFAULT_REDFISH_BMC_PARAMS.timeout).toBe(10);
    expect(bmcParams({ protocol: 'redfish' }).timeout).toBe(10);
    const hooks = { onPowerOn: () => {}, onPowerOff: () => {} };
    expect(() => new BmcModel(new Engine(), bmcParams({ failureRate: 1.5 }), 0, hooks)).toThrow(expect.objectContaining({ code: 'DT_BMC_BAD_PARAMS' }));
    expect(() => new BmcModel(new Engine(), bmcParams({ timeout: 0 }), 0, hooks)).toThrow(expect.objectContaining({ code: 'DT_BMC_BAD_PARAMS' }));
  });
});

const COMMANDS = ['powerOn', 'powerOff', 'softOff', 'powerCycle', 'powerStatus', 'setBootDevice', 'getBootDevice', 'probe'] as const;

describe('BMC: properties', () => {
  it('observed power always equals the state implied by the commands that succeeded; commands never overlap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          latency: fc.constantFrom(0.25, 0.5, 1),
          timeout: fc.constantFrom(0.5, 1, 3),
          failureRate: fc.double({ min: 0, max: 1, noNaN: true }),
          softOffDelay: fc.double({ min: 0.1, max: 4, noNaN: true }),
          ignoreSoftOff: fc.boolean(),
          cycleInterval: fc.constantFrom(0, 0.5, 2),
          initial: fc.constantFrom<PowerState>('on', 'off'),
          seed: fc.nat(),
        }),
        fc.array(fc.array(fc.tuple(fc.double({ min: 0, max: 3, noNaN: true }), fc.constantFrom(...COMMANDS)), { maxLength: 12 }), { minLength: 1, maxLength: 3 }),
        async (cfg, callers) => {
          const engine = new Engine({ seed: cfg.seed });
          const powerLog: Array<[number, PowerState]> = [];
          const records: BmcCommandRecord[] = [];
          const statuses = new Map<number, PowerState>();
          const L = cfg.latency;
          const bmc = new BmcModel(
            engine,
            bmcParams({
              commandLatency: constant(L),
              timeout: cfg.timeout,
              failureRate: cfg.failureRate,
              softOffDelay: constant(cfg.softOffDelay),
              softOffIgnoreRate: cfg.ignoreSoftOff ? 1 : 0,
              cycleInterval: cfg.cycleInterval,
            }),
            0,
            { onPowerOn: () => powerLog.push([engine.now, 'on']), onPowerOff: () => powerLog.push([engine.now, 'off']), onCommand: (r) => records.push(r) },
            true,
            { power: cfg.initial },
          );
          for (const script of callers) {
            engine.process(async (p) => {
              for (const [pause, cmd] of script) {
                await p.timeout(pause);
                try {
                  if (cmd === 'powerStatus') {
                    const s = await bmc.powerStatus();
                    statuses.set(engine.now, s);
                  }
                  else if (cmd === 'setBootDevice') await bmc.setBootDevice('pxe', false);
                  else await bmc[cmd]();
                } catch (e) {
                  expect(e).toBeInstanceOf(BmcTimeoutError);
                }
              }
            });
          }
          await engine.run();

          // Serial: sorted by start, every command starts after the previous one ended.
          for (let i = 1; i < records.length; i++) expect(records[i].start).toBeGreaterThanOrEqual(records[i - 1].end);
          expect(records).toHaveLength(callers.reduce((n, s) => n + s.length, 0));

          // Independent replay of the successful commands (each takes effect at start + L).
          let state = cfg.initial;
          let pending: number | null = null;
          const expected: Array<[number, PowerState]> = [];
          const to = (s: PowerState, t: number) => {
            if (s === state) return;
            state = s;
            pending = null;
            expected.push([t, s]);
          };
          for (const r of records) {
            if (r.outcome !== 'ok') {
              expect(r.end).toBe(r.start + cfg.timeout);
              continue;
            }
            const t = r.start + L;
            // A pending soft-off due at or before this command's effect happens first.
            if (pending !== null && pending <= t) to('off', pending);
            if (r.command === 'powerOn') to('on', t);
            else if (r.command === 'powerOff') to('off', t);
            else if (r.command === 'powerCycle') {
              if (state === 'on') {
                to('off', t);
                to('on', t + cfg.cycleInterval);
              } else to('on', t);
            } else if (r.command === 'softOff') {
              if (state === 'on' && !cfg.ignoreSoftOff && pending === null) pending = t + cfg.softOffDelay;
            } else if (r.command === 'powerStatus') {
              expect(statuses.get(r.end)).toBe(state);
            }
          }
          if (pending !== null) to('off', pending);
          expect(powerLog).toEqual(expected);
          expect(bmc.power).toBe(state);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('with random latencies every command lasts its latency or exactly the timeout', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), async (seed, n, failureRate) => {
        const engine = new Engine({ seed });
        const records: BmcCommandRecord[] = [];
        const bmc = new BmcModel(engine, bmcParams({ protocol: 'redfish', failureRate }), 1, {
          onPowerOn: () => {},
          onPowerOff: () => {},
          onCommand: (r) => records.push(r),
        });
        for (let i = 0; i < n; i++) engine.process(() => bmc.powerStatus().catch(() => 'lost'));
        await engine.run();
        expect(records).toHaveLength(n);
        for (let i = 0; i < n; i++) {
          const r = records[i];
          if (i > 0) expect(r.start).toBe(records[i - 1].end);
          const d = r.end - r.start;
          if (r.outcome === 'ok') {
            expect(d).toBeGreaterThanOrEqual(0.4 - 1e-12);
            expect(d).toBeLessThan(1.2 + 1e-12);
          } else expect(r.end).toBe(r.start + 10);
        }
      }),
      { numRuns: 50 },
    );
  });
});
