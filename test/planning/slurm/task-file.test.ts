/**
 * A task's results survive their file exactly: any doubles, and the Infinity and NaN that JSON
 * cannot hold, come back as the same numbers, so the merged CSV and JSON equal a local run's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTaskResults, TASK_FORMAT, taskResultsProblem, taskResultsText, type TaskResults } from '../../../src/planning/slurm/task-file.ts';
import { sweepCsv, sweepJson } from '../../../src/planning/sweep-report.ts';
import type { SweepRow } from '../../../src/planning/sweep.ts';

const number = fc.oneof(fc.double(), fc.constantFrom(Infinity, -Infinity, NaN, 0, -0, 1e-300, Number.MAX_VALUE));

const row = (point: number) =>
  fc.record({
    point: fc.constant(point),
    parameters: fc.record({ wave: fc.oneof(fc.integer(), fc.string(), fc.constant({ dist: 'uniform', min: '1s' })), rate: number }),
    runs: fc.integer({ min: 1, max: 9 }),
    makespan: fc.record({ mean: number, p50: number, p95: number, p99: number, min: number, max: number }),
    failedRuns: fc.nat(),
    failedNodesMean: number,
    missProbability: fc.option(number, { nil: null }),
    peakLinkUtilisation: number,
    peakServerUtilisation: number,
    makespans: fc.array(number, { maxLength: 4 }),
    lowerBound: number,
    boundBy: fc.string(),
    ratio: number,
  }) as fc.Arbitrary<SweepRow>;

describe('task results file', () => {
  it('reads back the rows it wrote, number for number', () => {
    fc.assert(
      fc.property(fc.tuple(row(1), row(3)), (rows) => {
        const results: TaskResults = { format: TASK_FORMAT, manifest: 'h', task: 0, points: [1, 3], rows };
        const back = parseTaskResults(taskResultsText(results)) as TaskResults;
        expect(back).toEqual(results);
        const result = { scenario: 's', seeds: ['1-1'], deadline: null, parameters: [{ name: 'wave', path: 'deploy.wave' }, { name: 'rate', path: 'x.rate' }] };
        expect(sweepCsv({ ...result, rows: back.rows })).toBe(sweepCsv({ ...result, rows }));
        expect(sweepJson({ ...result, rows: back.rows })).toBe(sweepJson({ ...result, rows }));
      }),
    );
  });

  it('says why a file is not the results of a given task', () => {
    const ok: TaskResults = { format: TASK_FORMAT, manifest: 'abc', task: 2, points: [3, 7], rows: [{ point: 3 }, { point: 7 }] as SweepRow[] };
    expect(taskResultsProblem(ok, 'abc', 2, [3, 7])).toBeNull();
    expect(taskResultsProblem({ ...ok, manifest: 'zzz' }, 'abc', 2, [3, 7])).toMatch(/^from another sweep/);
    expect(taskResultsProblem({ ...ok, task: 1 }, 'abc', 2, [3, 7])).toBe('holds task 1, not task 2');
    expect(taskResultsProblem(ok, 'abc', 2, [3, 6])).toMatch(/^ran points other than its slice/);
    expect(taskResultsProblem({ ...ok, rows: ok.rows.slice(0, 1) }, 'abc', 2, [3, 7])).toBe('rows do not match its points');
    expect(taskResultsProblem([1, 2], 'abc', 2, [3, 7])).toBe('not a deploytwin task result');
  });
});
