/**
 * Discovery on the twin: every answering BMC is registered once, in address order, journal
 * first; silent addresses cost one timeout each, bounded by the parallelism.
 */
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/orchestrator/discover.ts';
import { twinPorts } from '../../src/twin/ports/twin-ports.ts';
import { smallCluster } from '../helpers/small-cluster.ts';

function cluster(failureRate: number) {
  return smallCluster({ nodes: 12, hardware: [`bmc: { failureRate: ${failureRate}, latency: 300ms, timeout: 5s }`] });
}

const present = Array.from({ length: 12 }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
const absent = Array.from({ length: 8 }, (_, i) => `ghost${i + 1}`);
// Interleaved, as a real address range mixes live and empty addresses.
const addresses = present.flatMap((p, i) => (i < absent.length ? [p, absent[i]] : [p]));

describe('discovery', () => {
  it('registers every answering BMC once, in address order, journal first, and is idempotent', async () => {
    const ports = twinPorts(cluster(0));
    const options = { addresses, port: 623, credentials: 'site-admin', timeout: 2, parallelism: 4 };
    const run = ports.twin.engine.process(() => discover(ports, options));
    await ports.twin.engine.run();
    const result = await run.finished;
    expect(result.found.map((b) => b.address)).toEqual(present);
    expect(result.silent).toEqual(absent);
    expect((await ports.inventory.bmcs()).map((b) => b.node)).toEqual(present.map((p) => `bmc-${p}`));
    const journal = await ports.journal.entries();
    expect(journal.filter((e) => e.type === 'discover.bmc')).toHaveLength(12);
    // 20 probes, 4 at a time: silent ones cost their 2 s timeout, live ones ~0.3 s; never serial.
    expect(ports.twin.engine.now).toBeLessThanOrEqual(Math.ceil(addresses.length / 4) * 2 + 1);
    expect(ports.twin.engine.now).toBeGreaterThanOrEqual(2);

    const again = ports.twin.engine.process(() => discover(ports, options));
    await ports.twin.engine.run();
    expect((await again.finished).found).toHaveLength(12);
    expect((await ports.journal.entries()).length).toBe(journal.length);
  });

  it('a BMC that loses the probe stays undiscovered until a later scan finds it', async () => {
    const ports = twinPorts(cluster(0.5));
    const options = { addresses: present, port: 623, credentials: 'site-admin', timeout: 2, parallelism: 4 };
    const first = ports.twin.engine.process(() => discover(ports, options));
    await ports.twin.engine.run();
    const r1 = await first.finished;
    expect(r1.silent.length).toBeGreaterThan(0);
    expect(r1.found.length + r1.silent.length).toBe(12);
    // Scanning again finds more (each probe is a fresh draw), and never registers one twice.
    let registeredCount = (await ports.inventory.bmcs()).length;
    expect(registeredCount).toBe(r1.found.length);
    for (let scan = 0; scan < 10 && registeredCount < 12; scan++) {
      const again = ports.twin.engine.process(() => discover(ports, options));
      await ports.twin.engine.run();
      await again.finished;
      registeredCount = (await ports.inventory.bmcs()).length;
    }
    expect(registeredCount).toBe(12);
    const registered = (await ports.journal.entries()).filter((e) => e.type === 'discover.bmc').map((e) => e.node);
    expect(new Set(registered).size).toBe(registered.length);
    expect(registered).toHaveLength(12);
  });
});
