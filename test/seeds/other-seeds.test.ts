/**
 * Seeds without published timings (DRBL, Perceus, OSCAR, Kadeploy): their scenarios take
 * parameters from public facts, so the tests check the mechanisms those facts describe.
 */
import { describe, expect, it } from 'vitest';
import { durations, run, within } from './seed-helpers.ts';

describe('seed scenarios without published timings', () => {
  it('drbl-kerrighed-16: diskless NFS root; every node boots, the NFS server is the shared resource', async () => {
    const r = await run('drbl-kerrighed-16');
    expect(r.failures).toEqual([]);
    expect(durations(r, 'report')).toHaveLength(16);
    // 16 boots of 20,000 NFS ops each on a 15,000 ops/s server: ~21 s if they all overlap.
    const rootfs = durations(r, 'rootfs');
    expect(rootfs[rootfs.length - 1]).toBeLessThan((16 * 20000) / 15000 + 5);
    expect(rootfs[rootfs.length - 1]).toBeGreaterThan(20000 / 15000);
  });

  it('drbl-clonezilla-16: one multicast session paced by disk writes, then a reboot from disk', async () => {
    const r = await run('drbl-clonezilla-16');
    expect(r.failures).toEqual([]);
    expect(durations(r, 'reboot')).toHaveLength(16);
    // 4 GB received at min(0.75 x 1 Gb/s, 80 MB/s disk) = 80 MB/s: 50 s of transfer, plus the wait for the last joiner.
    const rootfs = durations(r, 'rootfs');
    expect(rootfs[0]).toBeGreaterThanOrEqual(4e9 / 80e6 - 1e-6);
    expect(rootfs[rootfs.length - 1]).toBeLessThan(4e9 / 80e6 + 60);
  });

  it('perceus-vnfs: two-stage boot, the capsule over HTTP then the NFS part', async () => {
    const r = await run('perceus-vnfs');
    expect(r.failures).toEqual([]);
    // 64 capsules of 180 MB through one 1 Gb/s server NIC: the last needs at least 92 s.
    expect(durations(r, 'rootfs').at(-1)!).toBeGreaterThan((64 * 180e6) / 125e6);
  });

  it('oscar: the BitTorrent variant beats SystemImager rsync from one server', async () => {
    const rsync = await run('oscar-systemimager');
    const swarm = await run('oscar-bittorrent');
    expect(rsync.failures).toEqual([]);
    expect(swarm.failures).toEqual([]);
    // rsync: 64 x 3 GB through a 1 Gb/s server NIC take at least 1,536 s from the first start to the last end.
    const phases = rsync.records.filter((x) => x.phase === 'rootfs');
    const span = Math.max(...phases.map((x) => x.end)) - Math.min(...phases.map((x) => x.start));
    expect(span).toBeGreaterThanOrEqual((64 * 3e9) / 125e6);
    expect(swarm.makespan).toBeLessThan(rsync.makespan / 3);
  }, 120_000);

  it('kadeploy-chain: 300 nodes get a 3 GB image in a few minutes along a pipelined chain', async () => {
    const r = await run('kadeploy-chain');
    expect(r.failures).toEqual([]);
    expect(durations(r, 'report')).toHaveLength(300);
    expect(r.makespan).toBeLessThan(10 * 60);
    // The chain streams at the 1 Gb/s access rate: no node gets its copy faster than S/b (+ disk write).
    expect(durations(r, 'rootfs')[0]).toBeGreaterThanOrEqual(3e9 / 125e6);
    expect(within(durations(r, 'rootfs')[0], 3e9 / 125e6 + 3e9 / 200e6, 0.5)).toBe(true);
  });
});
