/**
 * How a sweep's points are shared among Slurm array tasks: every point in exactly one task, for
 * any number of points and tasks; no empty task; --array specs that name exactly the given tasks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arraySpec, DEFAULT_MAX_TASKS, slicePoints, taskCount } from '../../../src/planning/slurm/slicing.ts';

/** Expands "0-2,5" back to [0, 1, 2, 5]. */
function expand(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const [lo, hi] = part.split('-').map(Number);
    return Array.from({ length: (hi ?? lo) - lo + 1 }, (_, i) => lo + i);
  });
}

describe('slicePoints', () => {
  it('strides: task t of K runs points t+1, t+1+K, ...', () => {
    expect([0, 1, 2].map((t) => slicePoints(7, 3, t))).toEqual([[1, 4, 7], [2, 5], [3, 6]]);
    expect(slicePoints(1, 1, 0)).toEqual([1]);
  });

  it('covers every point exactly once, each slice in sweep order, for any number of tasks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 600 }), (points, tasks) => {
        const slices = Array.from({ length: tasks }, (_, t) => slicePoints(points, tasks, t));
        const all = slices.flat().sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: points }, (_, i) => i + 1));
        for (const s of slices) expect(s).toEqual([...s].sort((a, b) => a - b));
        // Balanced: slice sizes differ by one at most.
        const sizes = slices.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('taskCount', () => {
  it('gives as many tasks as asked, never more than points, and defaults to one per point up to the cap', () => {
    expect(taskCount(4, 10)).toBe(4);
    expect(taskCount(100, 3)).toBe(3);
    expect(taskCount(5)).toBe(5);
    expect(taskCount(1000)).toBe(DEFAULT_MAX_TASKS);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }), (points, asked) => {
        const k = taskCount(points, asked);
        expect(k).toBeGreaterThanOrEqual(1);
        expect(k).toBeLessThanOrEqual(points);
        // No task is empty.
        expect(slicePoints(points, k, k - 1).length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('arraySpec', () => {
  it('collapses runs into ranges', () => {
    expect(arraySpec([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
    expect(arraySpec([3])).toBe('3');
    expect(arraySpec([4, 3, 3])).toBe('3-4');
  });

  it('names exactly the tasks given', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 80 }), (tasks) => {
        expect(expand(arraySpec(tasks))).toEqual([...tasks].sort((a, b) => a - b));
      }),
    );
  });
});
