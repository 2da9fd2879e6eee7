/**
 * CommandGate: one command at a time per BMC in arrival order, a global cap, and aborts that leave
 * the queue without running. Property-tested over random workloads (tasks finish after a random
 * number of microtask hops, so the interleavings vary but stay deterministic per seed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortableSemaphore, CommandGate } from '../../../src/real/power/command-gate.ts';

async function hops(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

describe('CommandGate', () => {
  it('serialises per key in FIFO order and never exceeds the global cap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), work: fc.integer({ min: 0, max: 20 }) }), { minLength: 1, maxLength: 40 }),
        async (cap, tasks) => {
          const gate = new CommandGate(cap);
          const perKey = new Map<number, number>();
          const order = new Map<number, number[]>();
          let inFlight = 0;
          let peak = 0;
          await Promise.all(
            tasks.map((t, i) =>
              gate.lane(`bmc${t.key}`, undefined, () =>
                gate.command(undefined, async () => {
                  perKey.set(t.key, (perKey.get(t.key) ?? 0) + 1);
                  expect(perKey.get(t.key)).toBe(1);
                  inFlight++;
                  peak = Math.max(peak, inFlight);
                  expect(inFlight).toBeLessThanOrEqual(cap);
                  order.set(t.key, [...(order.get(t.key) ?? []), i]);
                  await hops(t.work);
                  inFlight--;
                  perKey.set(t.key, perKey.get(t.key)! - 1);
                }),
              ),
            ),
          );
          for (const seen of order.values()) expect(seen).toEqual([...seen].sort((a, b) => a - b));
          const distinctKeys = new Set(tasks.map((t) => t.key)).size;
          expect(peak).toBe(Math.min(cap, distinctKeys));
          expect(gate.peak).toBe(peak);
          expect(gate.activeLanes).toBe(0);
        },
      ),
    );
  });

  it('a caller that aborts while queued leaves without running and gets the signal reason; the next one runs', async () => {
    const gate = new CommandGate(1);
    let release!: () => void;
    const first = gate.lane('bmc', undefined, () => new Promise<string>((r) => (release = () => r('first'))));
    const controller = new AbortController();
    let ran = false;
    const second = gate.lane('bmc', controller.signal, async () => {
      ran = true;
    });
    const third = gate.lane('bmc', undefined, async () => 'third');
    const reason = new Error('operator gave up');
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    release();
    expect(await first).toBe('first');
    expect(await third).toBe('third');
    expect(ran).toBe(false);
    expect(gate.activeLanes).toBe(0);
  });

  it('an already aborted signal never takes a slot', async () => {
    const s = new AbortableSemaphore(1);
    const c = new AbortController();
    c.abort('stop');
    await expect(s.acquire(c.signal)).rejects.toBe('stop');
    expect(s.holders).toBe(0);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new CommandGate(0)).toThrow(/integer >= 1/);
    expect(() => new CommandGate(1.5)).toThrow(/integer >= 1/);
  });
});
