import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { Interrupt } from '../../src/engine/interrupt.ts';
import { DeployTwinError } from '../../src/errors.ts';

describe('Engine clock and calendar', () => {
  it('refuses events in the past, NaN times and negative delays, with stable codes', () => {
    const engine = new Engine();
    engine.schedule(5, () => {});
    engine.runSync();
    expect(engine.now).toBe(5);
    expect(() => engine.schedule(4, () => {})).toThrow(expect.objectContaining({ code: 'DT_ENGINE_TIME_IN_PAST' }));
    expect(() => engine.schedule(NaN, () => {})).toThrow(expect.objectContaining({ code: 'DT_ENGINE_BAD_DELAY' }));
    expect(() => engine.after(-1, () => {})).toThrow(expect.objectContaining({ code: 'DT_ENGINE_BAD_DELAY' }));
    expect(() => engine.runSync({ until: 1 })).toThrow(expect.objectContaining({ code: 'DT_ENGINE_TIME_IN_PAST' }));
  });

  it('never moves time backwards and fires equal-time events in scheduling order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(20), fc.nat(3)), { minLength: 1, maxLength: 100 }), (spec) => {
        const engine = new Engine();
        const seen: Array<[number, number]> = [];
        let id = 0;
        for (const [t, children] of spec) {
          const me = id++;
          engine.schedule(t, () => {
            seen.push([engine.now, me]);
            // Events scheduled from inside an event, at the same instant or later.
            for (let k = 0; k < children; k++) {
              const child = id++;
              engine.after(k, () => seen.push([engine.now, child]));
            }
          });
        }
        engine.runSync();
        for (let i = 1; i < seen.length; i++) expect(seen[i][0]).toBeGreaterThanOrEqual(seen[i - 1][0]);
        // Top-level events at equal times keep their order.
        const tops = seen.filter(([, e]) => e < spec.length);
        for (let i = 1; i < tops.length; i++) if (tops[i][0] === tops[i - 1][0]) expect(tops[i][1]).toBeGreaterThan(tops[i - 1][1]);
      }),
    );
  });

  it('stops at until and at maxEvents, and resumes where it stopped', () => {
    const engine = new Engine();
    const fired: number[] = [];
    for (let t = 1; t <= 10; t++) engine.schedule(t, () => fired.push(t));
    expect(engine.runSync({ until: 4.5 })).toMatchObject({ stoppedBy: 'until', now: 4.5, events: 4 });
    expect(engine.runSync({ maxEvents: 3 })).toMatchObject({ stoppedBy: 'maxEvents', events: 3, now: 7 });
    expect(engine.runSync()).toMatchObject({ stoppedBy: 'empty', events: 3, now: 10 });
    expect(fired).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('runs end-of-instant hooks once after the instant and before the clock moves', () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.schedule(1, () => {
      log.push('a');
      engine.atEndOfInstant(() => {
        log.push(`hook@${engine.now}`);
        engine.after(0, () => log.push('same-instant from hook'));
      });
    });
    engine.schedule(1, () => log.push('b'));
    engine.schedule(2, () => log.push('c'));
    engine.runSync();
    expect(log).toEqual(['a', 'b', 'hook@1', 'same-instant from hook', 'c']);
  });

  it('keeps several engines independent in one process', async () => {
    const a = new Engine({ seed: 1 });
    const b = new Engine({ seed: 1 });
    a.after(10, () => {});
    await a.run();
    expect(a.now).toBe(10);
    expect(b.now).toBe(0);
    expect(a.stream('x').next()).toBe(b.stream('x').next());
  });
});

describe('Processes', () => {
  it('interleave deterministically on virtual time', async () => {
    const engine = new Engine();
    const log: string[] = [];
    for (const [name, step] of [['A', 3], ['B', 2]] as const) {
      engine.process(async (p) => {
        for (let i = 0; i < 3; i++) {
          await p.timeout(step);
          log.push(`${name}@${engine.now}`);
        }
      });
    }
    await engine.run();
    expect(log).toEqual(['B@2', 'A@3', 'B@4', 'A@6', 'B@6', 'A@9']);
  });

  it('let long chains of continuations finish before the clock advances', async () => {
    const engine = new Engine();
    let depth = 0;
    async function deep(n: number): Promise<void> {
      if (n === 0) return;
      await Promise.resolve();
      depth++;
      await deep(n - 1);
    }
    let depthAtWake = -1;
    engine.process(async (p) => {
      await p.timeout(1);
      await deep(2000);
      depthAtWake = depth;
      // Scheduled at t=1 + 0: must still be at t=1.
      expect(engine.now).toBe(1);
    });
    engine.schedule(1.5, () => expect(depth).toBe(2000));
    await engine.run();
    expect(depthAtWake).toBe(2000);
  });

  it('deliver interrupts through the process signal, and the process can carry on', async () => {
    const engine = new Engine();
    const log: string[] = [];
    const sleeper = engine.process(async (p) => {
      try {
        await p.timeout(100);
        log.push('woke normally');
      } catch (e) {
        expect(e).toBeInstanceOf(Interrupt);
        log.push(`interrupted at ${engine.now} by ${(e as Interrupt).reason}`);
      }
      await p.timeout(5);
      log.push(`done at ${engine.now}`);
      return 42;
    });
    engine.process(async (p) => {
      await p.timeout(10);
      sleeper.interrupt('relay died');
    });
    await engine.run();
    expect(log).toEqual(['interrupted at 10 by relay died', 'done at 15']);
    expect(await sleeper.finished).toBe(42);
    expect(sleeper.interrupt()).toBe(false);
  });

  it('fail the run when a failure has no observer', async () => {
    const engine = new Engine();
    engine.process(async (p) => {
      await p.timeout(1);
      throw new Error('boom');
    });
    const later = engine.after(5, () => {});
    await expect(engine.run()).rejects.toThrow(/boom/);
    expect(engine.now).toBe(1);
    expect(later.done).toBe(false);
  });

  it('hand a failure to whoever awaits the process', async () => {
    const engine = new Engine();
    let caught: unknown;
    engine.process(async () => {
      const child = engine.process(async (p) => {
        await p.timeout(1);
        throw new Error('child failed');
      });
      try {
        await child.finished;
      } catch (e) {
        caught = e;
      }
    });
    await engine.run();
    expect((caught as Error).message).toBe('child failed');
  });

  it('refuse runSync while processes are alive', () => {
    const engine = new Engine();
    engine.process(async (p) => p.timeout(1));
    expect(() => engine.runSync()).toThrow(DeployTwinError);
  });
});
