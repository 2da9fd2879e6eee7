/**
 * `deploytwin simulate <scenario> --seeds N` (in-process main()): its distribution is that of N
 * single `simulate --seed <seed>-i` runs, the same with 0 or 2 workers; --deadline gives the share
 * of runs over it; options that only make sense with --seeds, or not with it, are refused.
 */
import { describe, expect, it } from 'vitest';
import { makespanStats } from '../../src/planning/run-stats.ts';
import { cli } from './cli-helpers.ts';

const DASH = 'test/server/fixtures/scenarios/dash-small.yaml';

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const r = await cli(...args);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Record<string, unknown>;
}

describe('deploytwin simulate --seeds', () => {
  it('equals N single simulate --seed runs, whatever the number of workers', async () => {
    const dist = await json('simulate', DASH, '--seeds', '5', '--deadline', '65.8s', '--json', '--workers', '0');
    const single: number[] = [];
    for (let i = 1; i <= 5; i++) single.push(((await json('simulate', DASH, '--seed', `7-${i}`, '--json')) as { summary: { makespan: number } }).summary.makespan);
    expect(dist.seeds).toEqual(['7-1', '7-2', '7-3', '7-4', '7-5']);
    expect(dist.makespans).toEqual(single);
    expect(dist.makespan).toEqual(makespanStats(single));
    expect(dist.missProbability).toBe(single.filter((m) => m > 65.8).length / 5);
    expect(new Set(single).size).toBeGreaterThan(1);
    expect(await json('simulate', DASH, '--seeds', '5', '--deadline', '65.8s', '--json', '--workers', '2')).toEqual(dist);
  }, 120_000);

  it('bases the seeds on --seed when given, and prints percentiles and P(miss) as text', async () => {
    const r = await cli('simulate', DASH, '--seeds', '3', '--seed', 'abc', '--deadline', '1min', '--workers', '0');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^scenario dash-small: 3 runs, seeds abc-1 \.\.\. abc-3\n {2}makespan mean [\d.]+ s, p50 [\d.]+ s, p95 [\d.]+ s, p99 [\d.]+ s, min/);
    expect(r.out).toMatch(/P\(makespan > 60 s\) = [\d.]+ %/);
  }, 60_000);

  it.each([
    [['--seeds', '0'], /--seeds: expected a whole number >= 1, got "0"/],
    [['--seeds', '2', '--csv', 'x.csv'], /--csv: .*not with --seeds/],
    [['--deadline', '10min'], /--deadline: only with --seeds N/],
    [['--seeds', '2', '--deadline', 'soon'], /--deadline: /],
  ])('refuses %j with exit 2', async (args, message) => {
    const r = await cli('simulate', DASH, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain('[DT_CLI_BAD_ARGUMENT]');
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
});
