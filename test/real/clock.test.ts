import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { WallClock } from '../../src/real/clock.ts';

/** Node's own count of armed timers in this thread. */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WallClock', () => {
  it('reads Unix time in seconds', () => {
    const clock = new WallClock();
    expect(Math.abs(clock.now() - Date.now() / 1000)).toBeLessThan(1);
  });

  it('resolves no earlier than asked and holds nothing afterwards', async () => {
    const clock = new WallClock();
    const start = clock.now();
    await clock.sleep(0.05);
    expect(clock.now() - start).toBeGreaterThanOrEqual(0.05);
    expect(clock.pendingTimers).toBe(0);
    await clock.sleep(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects with the signal reason on abort and clears its timer and listener', async () => {
    const clock = new WallClock();
    const before = activeTimers();
    const controller = new AbortController();
    const reason = new Error('stop now');
    const slept = clock.sleep(3600, controller.signal);
    expect(clock.pendingTimers).toBe(1);
    expect(activeTimers()).toBe(before + 1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort(reason);
    expect(await rejection(slept)).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    expect(activeTimers()).toBe(before);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once, arming nothing, when the signal is already aborted', async () => {
    const clock = new WallClock();
    const before = activeTimers();
    const reason = new Error('too late');
    const slept = clock.sleep(10, AbortSignal.abort(reason));
    expect(activeTimers()).toBe(before);
    expect(await rejection(slept)).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
  });

  it('removes its abort listener when it resolves normally', async () => {
    const clock = new WallClock();
    const controller = new AbortController();
    await clock.sleep(0.01, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort(); // aborting afterwards changes nothing and throws nothing
  });

  it('refuses durations that are negative, infinite or not numbers', async () => {
    const clock = new WallClock();
    for (const bad of [-1, Infinity, NaN, '5' as unknown as number]) {
      const e = await rejection(clock.sleep(bad));
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).code).toBe('DT_CLOCK_BAD_DURATION');
    }
    expect(clock.pendingTimers).toBe(0);
  });

  it('sleeps past the 24.8-day setTimeout limit in chunks, neither early nor at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const clock = new WallClock();
    const days = 30;
    let done = false;
    const slept = clock.sleep(days * 86400).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(done).toBe(false);
    expect(clock.pendingTimers).toBe(1);
    await vi.advanceTimersByTimeAsync(days * 86400 * 1000 - (2 ** 31 - 1) - 1);
    expect(done).toBe(false);
    // Seconds are Unix time (~1.8e9): float rounding may leave a last sub-millisecond timer.
    await vi.advanceTimersByTimeAsync(2);
    await slept;
    expect(done).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});
