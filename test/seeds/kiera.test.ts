/**
 * The KiERA seed (000_4062113bf2e522ec.txt): its published figures, reproduced by the twin.
 * Figures the twin does not reproduce yet are listed in scenarios/seeds/kiera-nurion-169.yaml's
 * note and in the issue tracker, not asserted here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../src/twin/result.ts';
import { byNode, durations, mean, run, within } from './seed-helpers.ts';

describe('kiera-nurion-169 (Figs. 3-5)', () => {
  let result: SimulationResult;
  beforeAll(async () => {
    result = await run('kiera-nurion-169');
  });

  it('deploys every node, each fetching kernel, initrd and rootfs from the one HTTP server', () => {
    expect(result.failures).toEqual([]);
    expect(durations(result, 'report')).toHaveLength(169);
    const http = result.services.find((x) => x.name === 'server.http')!;
    expect(http.served).toBe(169 * 3);
    expect(http.peak).toBeLessThanOrEqual(http.limit);
    expect(result.services.find((x) => x.name === 'tftp')!.served).toBe(169);
  });

  it('initrd downloads mostly take 185-400 s, with a tail past 450 s (Fig. 3, 15%)', () => {
    const initrd = durations(result, 'initrd');
    const inBand = initrd.filter((t) => t >= 185 * 0.85 && t <= 400 * 1.15).length;
    expect(inBand / initrd.length).toBeGreaterThanOrEqual(0.8);
    const tail = initrd.filter((t) => t > 450).length;
    expect(tail).toBeGreaterThanOrEqual(1);
    expect(tail).toBeLessThanOrEqual(169 * 0.1);
  });

  it('the 100th rootfs download takes about 130 s (Fig. 4, 15%)', () => {
    const rootfs = durations(result, 'rootfs');
    expect(within(rootfs[99], 130, 0.15)).toBe(true);
  });

  it('deployment (initrd start to rootfs end) averages about 430 s (Fig. 5, 15%)', () => {
    const initrd = byNode(result, 'initrd');
    const totals = [...byNode(result, 'rootfs').values()].map((r) => r.end - initrd.get(r.node)!.start);
    expect(within(mean(totals), 430, 0.15)).toBe(true);
  });
});

describe('KiERA Table I: one uncontended OPA rootfs transfer (10%)', () => {
  it('HTTP of a 2 GB SquashFS takes 26 s', async () => {
    expect(within(durations(await run('kiera-table1-http'), 'rootfs')[0], 26, 0.1)).toBe(true);
  });

  it('rsync of a 5.1 GB file tree takes 214 s', async () => {
    expect(within(durations(await run('kiera-table1-rsync'), 'rootfs')[0], 214, 0.1)).toBe(true);
  });
});

describe('kiera-13000: the paper\'s 130-relay estimate', () => {
  it('takes two deployment cycles, relays then their groups, not one ~430 s cycle', async () => {
    const result = await run('kiera-13000');
    expect(result.failures).toEqual([]);
    expect(result.relays).toHaveLength(130);
    const initrd = byNode(result, 'initrd');
    const rootfs = byNode(result, 'rootfs');
    const deployTime = (n: number) => rootfs.get(n)!.end - initrd.get(n)!.start;
    const relays = new Set(result.relays);
    const relayCycle = mean(result.relays.map(deployTime));
    const groupCycle = mean([...rootfs.keys()].filter((n) => !relays.has(n)).map(deployTime));
    // Each cycle looks like the 169-node experiment (about 430 s, 25%)...
    expect(within(relayCycle, 430, 0.25)).toBe(true);
    expect(within(groupCycle, 430, 0.25)).toBe(true);
    // ...and they run one after the other: the whole takes well over twice one cycle.
    const lastRelayUp = Math.max(...result.relays.map((n) => rootfs.get(n)!.end));
    const firstChildStart = Math.min(...[...initrd.values()].filter((r) => !relays.has(r.node)).map((r) => r.start));
    expect(firstChildStart).toBeGreaterThan(Math.min(...result.relays.map((n) => rootfs.get(n)!.end)));
    expect(result.makespan).toBeGreaterThan(lastRelayUp + groupCycle);
    expect(result.makespan).toBeGreaterThan(2 * 430);
  }, 120_000);
});
