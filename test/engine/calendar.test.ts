import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Calendar } from '../../src/engine/calendar.ts';

describe('Calendar', () => {
  it('pops by time, then by scheduling order (FIFO at equal times)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 200 }), (times) => {
        const cal = new Calendar();
        const fired: number[] = [];
        times.forEach((t, i) => cal.push(t, () => fired.push(i)));
        let lastTime = -Infinity;
        for (let e = cal.pop(); e; e = cal.pop()) {
          expect(e.time).toBeGreaterThanOrEqual(lastTime);
          lastTime = e.time;
          e.action!();
        }
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.i);
        expect(fired).toEqual(expected);
      }),
    );
  });

  it('skips cancelled events and keeps its size right through compaction', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.boolean()), { maxLength: 500 }),
        (spec) => {
          const cal = new Calendar();
          const entries = spec.map(([t]) => cal.push(t, () => {}));
          spec.forEach(([, cancel], i) => {
            if (cancel) expect(cal.cancel(entries[i])).toBe(true);
          });
          const live = spec.filter(([, c]) => !c).length;
          expect(cal.size).toBe(live);
          let popped = 0;
          for (let e = cal.pop(); e; e = cal.pop()) {
            expect(spec[entries.indexOf(e)][1]).toBe(false);
            popped++;
          }
          expect(popped).toBe(live);
          expect(cal.peekTime()).toBe(Infinity);
        },
      ),
    );
  });

  it('refuses to cancel twice or after firing', () => {
    const cal = new Calendar();
    const a = cal.push(1, () => {});
    const b = cal.push(2, () => {});
    expect(cal.cancel(a)).toBe(true);
    expect(cal.cancel(a)).toBe(false);
    expect(cal.pop()).toBe(b);
    expect(cal.cancel(b)).toBe(false);
  });
});
