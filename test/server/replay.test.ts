/**
 * Replay pacing with a manual clock (no wall time in the test): at wall time w after the start,
 * exactly the events with t <= w x speed have been sent, in order, each once; "end" comes once,
 * after the last event; nothing is sent after a cancel.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH, replay, type Ticker } from '../../src/server/replay.ts';
import type { RunEvent } from '../../src/server/run-events.ts';

class ManualTicker implements Ticker {
  ms = 1000;
  private tick: (() => void) | null = null;
  cancelled = 0;
  now(): number {
    return this.ms;
  }
  every(_ms: number, tick: () => void): () => void {
    this.tick = tick;
    return () => {
      this.tick = null;
      this.cancelled++;
    };
  }
  advance(ms: number): void {
    this.ms += ms;
    this.tick?.();
  }
  get armed(): boolean {
    return this.tick !== null;
  }
}

const event = (t: number, node = 0): RunEvent => ({ kind: 'state', t, node, state: 'booting' });

function recorder() {
  const sent: RunEvent[] = [];
  const batches: RunEvent[][] = [];
  let ends = 0;
  return {
    sink: { events: (b: RunEvent[]) => (batches.push(b), sent.push(...b)), end: () => ends++ },
    sent,
    batches,
    ends: () => ends,
  };
}

describe('replay pacing', () => {
  it('speed 10: at 1 s of wall time, the events up to 10 s of simulated time (closed form)', () => {
    const events = [0, 0, 5, 10, 10.5, 30].map((t, i) => event(t, i));
    const clock = new ManualTicker();
    const r = recorder();
    replay(events, 10, r.sink, clock);
    expect(r.sent.map((e) => e.t)).toEqual([0, 0]);
    clock.advance(999);
    expect(r.sent.map((e) => e.t)).toEqual([0, 0, 5]);
    clock.advance(1);
    expect(r.sent.map((e) => e.t)).toEqual([0, 0, 5, 10]);
    expect(r.ends()).toBe(0);
    clock.advance(1999);
    expect(r.sent).toHaveLength(5);
    clock.advance(1);
    expect(r.sent).toEqual(events);
    expect(r.ends()).toBe(1);
    expect(clock.armed).toBe(false);
    clock.advance(10_000);
    expect(r.ends()).toBe(1);
  });

  it('matches the pacing law for any events, speed and tick times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 60 }),
        fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 30 }),
        (times, speed, steps) => {
          const events = times.sort((a, b) => a - b).map((t, i) => event(t, i));
          const clock = new ManualTicker();
          const r = recorder();
          replay(events, speed, r.sink, clock);
          let wall = 0;
          for (const step of [0, ...steps]) {
            wall += step;
            if (step > 0) clock.advance(step);
            const due = (wall / 1000) * speed;
            expect(r.sent).toEqual(events.filter((e) => e.t <= due));
            expect(r.ends()).toBe(r.sent.length === events.length ? 1 : 0);
          }
        },
      ),
    );
  });

  it('sends nothing after a cancel, and splits a large due set into batches of at most MAX_BATCH', () => {
    const clock = new ManualTicker();
    const r = recorder();
    const events = Array.from({ length: MAX_BATCH * 2 + 1 }, (_, i) => event(i < MAX_BATCH * 2 ? 0 : 100, i));
    const cancel = replay(events, 1, r.sink, clock);
    expect(r.batches.map((b) => b.length)).toEqual([MAX_BATCH, MAX_BATCH]);
    cancel();
    clock.advance(1e9);
    expect(r.sent).toHaveLength(MAX_BATCH * 2);
    expect(r.ends()).toBe(0);
    expect(clock.cancelled).toBe(1);
  });

  it('an empty run ends at once', () => {
    const clock = new ManualTicker();
    const r = recorder();
    replay([], 5, r.sink, clock);
    expect(r.ends()).toBe(1);
    expect(clock.armed).toBe(false);
  });
});
