import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../../src/engine/engine.ts';
import { UsageError } from '../../../src/errors.ts';
import { EngineClock } from '../../../src/twin/ports/engine-clock.ts';

describe('EngineClock', () => {
  it('reads the engine clock and sleeps in simulated time', async () => {
    const engine = new Engine();
    const clock = new EngineClock(engine);
    const seen: number[] = [];
    engine.process(async () => {
      seen.push(clock.now());
      await clock.sleep(2.5);
      seen.push(clock.now());
      await clock.sleep(0);
      seen.push(clock.now());
      await clock.sleep(7.5);
      seen.push(clock.now());
    });
    const stats = await engine.run();
    expect(seen).toEqual([0, 2.5, 2.5, 10]);
    expect(stats.now).toBe(10);
  });

  it('refuses negative, NaN, infinite and non-number durations with DT_CLOCK_BAD_DURATION, scheduling nothing', async () => {
    const engine = new Engine();
    const clock = new EngineClock(engine);
    for (const bad of [-1, -Number.MIN_VALUE, NaN, Infinity, '1' as unknown as number]) {
      const error = await clock.sleep(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({ code: 'DT_CLOCK_BAD_DURATION' });
    }
    expect(engine.pendingEvents).toBe(0);
  });

  it('rejects with the abort reason when aborted, and leaves no event behind', async () => {
    const engine = new Engine();
    const clock = new EngineClock(engine);
    const controller = new AbortController();
    const reason = new Error('stop');
    let outcome: unknown;
    let endedAt = -1;
    engine.process(async () => {
      outcome = await clock.sleep(100, controller.signal).catch((e: unknown) => e);
      endedAt = clock.now();
    });
    engine.process(async (p) => {
      await p.timeout(3);
      controller.abort(reason);
    });
    const stats = await engine.run();
    expect(outcome).toBe(reason);
    expect(endedAt).toBe(3);
    // The 100 s event was cancelled: the run ends at 3 s, not 100 s.
    expect(stats.now).toBe(3);
    expect(engine.pendingEvents).toBe(0);
  });

  it('rejects at once for an already aborted signal', async () => {
    const engine = new Engine();
    const clock = new EngineClock(engine);
    const controller = new AbortController();
    controller.abort('gone');
    await expect(clock.sleep(5, controller.signal)).rejects.toBe('gone');
    expect(engine.pendingEvents).toBe(0);
  });

  it('property: after a sequence of sleeps the clock reads their sum', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 20 }), async (steps) => {
        const engine = new Engine();
        const clock = new EngineClock(engine);
        const readings: number[] = [];
        engine.process(async () => {
          for (const s of steps) {
            await clock.sleep(s);
            readings.push(clock.now());
          }
        });
        await engine.run();
        let sum = 0;
        expect(readings).toEqual(steps.map((s) => (sum += s)));
      }),
    );
  });
});
