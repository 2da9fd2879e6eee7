import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { Resource } from '../../src/engine/resource.ts';
import { Store } from '../../src/engine/store.ts';

describe('Resource', () => {
  it('never exceeds its capacity and serves waiters first come, first served', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(10), fc.integer({ min: 1, max: 10 })), { minLength: 1, maxLength: 30 }),
        async (capacity, jobs) => {
          const engine = new Engine();
          const res = new Resource(engine, capacity);
          const grantOrder: number[] = [];
          const requestOrder: number[] = [];
          jobs.forEach(([arrive, hold], i) => {
            engine.process(async (p) => {
              await p.timeout(arrive);
              requestOrder.push(i);
              await res.use(async () => {
                grantOrder.push(i);
                expect(res.count).toBeLessThanOrEqual(capacity);
                await p.timeout(hold);
              });
            });
          });
          await engine.run();
          expect(res.peak).toBeLessThanOrEqual(capacity);
          expect(res.count).toBe(0);
          // FIFO: slots are granted in request order.
          expect(grantOrder).toEqual(requestOrder);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('drops a request whose signal aborts, without losing the slot', async () => {
    const engine = new Engine();
    const res = new Resource(engine, 1);
    const log: string[] = [];
    engine.process(async (p) => {
      await res.use(() => p.timeout(10));
    });
    const impatient = engine.process(async (p) => {
      await p.timeout(1);
      try {
        await res.acquire(p.signal);
      } catch {
        log.push(`gave up at ${engine.now}`);
      }
    });
    engine.process(async (p) => {
      await p.timeout(2);
      const release = await res.acquire();
      log.push(`got it at ${engine.now}`);
      release();
    });
    engine.schedule(5, () => impatient.interrupt('timeout'));
    await engine.run();
    expect(log).toEqual(['gave up at 5', 'got it at 10']);
  });

  it('rejects a bad capacity', () => {
    expect(() => new Resource(new Engine(), 0)).toThrow(expect.objectContaining({ code: 'DT_ENGINE_BAD_ARGUMENT' }));
  });
});

describe('Store', () => {
  it('passes items in FIFO order and blocks puts when full', async () => {
    const engine = new Engine();
    const store = new Store<number>(engine, 2);
    const got: Array<[number, number]> = [];
    const putTimes: number[] = [];
    engine.process(async () => {
      for (let i = 0; i < 5; i++) {
        await store.put(i);
        putTimes.push(engine.now);
      }
    });
    engine.process(async (p) => {
      for (let i = 0; i < 5; i++) {
        await p.timeout(1);
        got.push([engine.now, await store.get()]);
      }
    });
    await engine.run();
    expect(got.map(([, v]) => v)).toEqual([0, 1, 2, 3, 4]);
    expect(putTimes).toEqual([0, 0, 1, 2, 3]);
  });

  it('wakes a waiting getter when an item arrives', async () => {
    const engine = new Engine();
    const store = new Store<string>(engine);
    let got = '';
    engine.process(async () => {
      got = `${await store.get()}@${engine.now}`;
    });
    engine.schedule(7, () => void store.put('x'));
    await engine.run();
    expect(got).toBe('x@7');
  });
});
