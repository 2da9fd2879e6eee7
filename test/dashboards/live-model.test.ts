/**
 * The live page's model of a run, fed phase events as the server streams them while the twin
 * simulates: open phases count at the current time, a failed phase replaces the start it ended,
 * and the nodes-by-phase steps equal a naive count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a browser module in plain JavaScript, without type declarations
import { LiveModel, phaseCounts } from '../../dashboards/lib/live-model.js';

type Step = { x: number; y: number };
const at = (steps: Step[], t: number) => steps.filter((p) => p.x <= t).at(-1)?.y ?? 0;

describe('LiveModel phases', () => {
  it('counts open phases up to now and closes a phase that failed', () => {
    const m = new LiveModel({ nodes: 2, nodesPerRack: 2 });
    m.apply([
      { kind: 'phase-start', t: 0, node: 0, phase: 'post' },
      { kind: 'phase-start', t: 1, node: 1, phase: 'post' },
      { kind: 'phase-end', t: 10, node: 0, phase: 'post', start: 0 },
      { kind: 'phase-start', t: 10, node: 0, phase: 'rootfs' },
      // Recorded after the fact, its start dated back (power-on).
      { kind: 'phase-start', t: 0.5, node: 1, phase: 'power-on' },
      { kind: 'phase-end', t: 0.9, node: 1, phase: 'power-on', start: 0.5 },
      { kind: 'phase-end', t: 12, node: 1, phase: 'post:failed', start: 1 },
    ]);
    expect(m.phases.get(1)).toEqual([
      { phase: 'power-on', start: 0.5, end: 0.9 },
      { phase: 'post:failed', start: 1, end: 12 },
    ]);
    const counts = phaseCounts(m, 20);
    expect(at(counts.post, 5)).toBe(0 + 1);
    expect(at(counts.post, 11)).toBe(0);
    expect(at(counts.rootfs, 20)).toBe(1);
    expect(counts.rootfs.at(-1)).toEqual({ x: 20, y: 1 });
    expect(at(counts['power-on'], 0.7)).toBe(1);
  });

  it('nodes in each phase at any time equal a naive count over the intervals (start <= t < end)', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 20 }), fc.boolean());
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 30 }), fc.integer({ min: 0, max: 80 }), (list, probe) => {
        const m = new LiveModel({ nodes: 4, nodesPerRack: 2 });
        const events = list.flatMap(([node, phase, start, length, closed]) => {
          const e: object[] = [{ kind: 'phase-start', t: start, node, phase }];
          if (closed) e.push({ kind: 'phase-end', t: start + length, node, phase, start });
          return e;
        });
        m.apply(events);
        const now = 80;
        const counts = phaseCounts(m, now);
        for (const phase of ['a', 'b']) {
          const naive = [...m.phases.values()].flat().filter((p: { phase: string; start: number; end: number | null }) => p.phase === phase && p.start <= probe && probe < (p.end ?? Infinity)).length;
          expect(at(counts[phase] ?? [], probe)).toBe(naive);
        }
      }),
    );
  });
});
