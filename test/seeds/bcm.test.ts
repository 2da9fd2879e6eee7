/**
 * BCM on Nurion (000_4062113bf2e522ec.txt, section II): ~130 CPU relays deployed from two head
 * servers, then 8,305 KNL nodes from the relays by rsync: ~50 min for the KNL phase and ~2 h in
 * all (20%). One fitted parameter (the rsync servers' file rate) for these two figures; the
 * per-file cost and stream rate come from Table I.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../src/twin/result.ts';
import { completion, run, within } from './seed-helpers.ts';

describe('bcm-nurion-8437', () => {
  let result: SimulationResult;
  let relaysDone: number;
  let allDone: number;
  beforeAll(async () => {
    result = await run('bcm-nurion-8437');
    const end = completion(result);
    relaysDone = Math.max(...result.relays.map((r) => end.get(r)!));
    allDone = result.makespan;
  }, 180_000);

  it('deploys every node, 130 of them as relays', () => {
    expect(result.failures).toEqual([]);
    expect(result.relays).toHaveLength(130);
    expect(completion(result).size).toBe(8437);
  });

  it('takes about 2 h in all', () => {
    expect(within(allDone, 2 * 3600, 0.2)).toBe(true);
  });

  it('spends about 50 min on the KNL phase, after the relays', () => {
    expect(within(allDone - relaysDone, 50 * 60, 0.2)).toBe(true);
  });
});
