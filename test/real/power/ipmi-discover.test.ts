/**
 * Discovery for real: the orchestrator's discover stage, run on IpmiScanner over a range of
 * loopback addresses where three ipmi_sim BMCs answer (one of them with other credentials) and
 * the rest is silent. Also: per-BMC serialisation and the global cap, seen on real ipmitool runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../../src/orchestrator/discover.ts';
import { IpmiPower } from '../../../src/real/power/ipmi-power.ts';
import { IpmiScanner } from '../../../src/real/power/ipmi-scanner.ts';
import { CommandGate } from '../../../src/real/power/command-gate.ts';
import { wallClock } from '../../../src/real/power/wall-clock.ts';
import { MemoryInventory } from '../../../src/twin/ports/memory-inventory.ts';
import { MemoryJournal } from '../../../src/twin/ports/memory-journal.ts';
import { freeUdpPort, PASSWORD, startSimBmc, USER, type SimBmc } from './ipmi-sim.ts';

let port: number;
const bmcs: SimBmc[] = [];
const range = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];

beforeAll(async () => {
  port = await freeUdpPort();
  bmcs.push(await startSimBmc('127.0.0.2', port), await startSimBmc('127.0.0.4', port), await startSimBmc('127.0.0.5', port, 'other-password'));
});

afterAll(async () => {
  await Promise.all(bmcs.map((b) => b.stop()));
});

const credentials = (name: string) => (name === 'site-admin' ? { user: USER, password: PASSWORD } : undefined);

describe('discovery on IpmiScanner', () => {
  it('finds exactly the live BMCs of a range, registers each once, and is idempotent', async () => {
    const gate = new CommandGate(3);
    const scanner = new IpmiScanner(credentials, { gate });
    const ports = { scanner, inventory: new MemoryInventory(), journal: new MemoryJournal(wallClock) };
    const options = { addresses: range, port, credentials: 'site-admin', timeout: 2, parallelism: 6 };
    const result = await discover(ports, options);
    // 127.0.0.5 refuses these credentials, but a BMC answered there: it is found.
    expect(result.found.map((b) => b.address)).toEqual(['127.0.0.2', '127.0.0.4', '127.0.0.5']);
    expect(result.silent).toEqual(['127.0.0.1', '127.0.0.3', '127.0.0.6']);
    expect((await ports.inventory.bmcs()).map((b) => b.node)).toEqual(['bmc-127.0.0.2', 'bmc-127.0.0.4', 'bmc-127.0.0.5']);
    // Six probes wanted to run at once; the gate let three.
    expect(gate.peak).toBe(3);

    const again = await discover(ports, options);
    expect(again.found).toHaveLength(3);
    expect((await ports.journal.entries()).filter((e) => e.type === 'discover.bmc')).toHaveLength(3);
  });

  it('the same range on another port is all silent', async () => {
    const scanner = new IpmiScanner(credentials);
    const other = await freeUdpPort();
    const result = await discover(
      { scanner, inventory: new MemoryInventory(), journal: new MemoryJournal(wallClock) },
      { addresses: range.slice(1, 5), port: other, credentials: 'site-admin', timeout: 2, parallelism: 4 },
    );
    expect(result.found).toEqual([]);
    expect(result.silent).toEqual(range.slice(1, 5));
  });

  it('an unknown credentials entry is a usage error of the probe, not a silent address', async () => {
    const scanner = new IpmiScanner(credentials);
    await expect(scanner.probe({ address: '127.0.0.2', port, credentials: 'nope', timeout: 2 })).rejects.toMatchObject({ code: 'DT_IPMI_BAD_TARGET' });
  });
});

describe('admission on real ipmitool runs', () => {
  it('ipmitool runs for one BMC never overlap; runs for different BMCs do, up to the cap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dt-ipmilog-'));
    process.env.DT_IPMITOOL_LOG = join(dir, 'runs.log');
    try {
      const gate = new CommandGate(2);
      const lookup = (node: string) => ({ address: node === 'a' ? '127.0.0.2' : '127.0.0.4', port, user: USER, password: PASSWORD });
      const ipmi = new IpmiPower(lookup, { gate, program: fileURLToPath(new URL('../fixtures/ipmi/ipmitool-logged.sh', import.meta.url)) });
      const states = await Promise.all(['a', 'a', 'a', 'b', 'b', 'b'].map((n) => ipmi.powerStatus(n)));
      expect(states.every((s) => s === 'off' || s === 'on')).toBe(true);
      let inAll = 0;
      let peakAll = 0;
      const perHost = new Map<string, number>();
      const events = readFileSync(process.env.DT_IPMITOOL_LOG, 'utf8').trim().split('\n');
      expect(events).toHaveLength(12);
      for (const line of events) {
        const [what, host] = line.split(' ');
        const delta = what === 'start' ? 1 : -1;
        perHost.set(host, (perHost.get(host) ?? 0) + delta);
        expect(perHost.get(host)).toBeLessThanOrEqual(1);
        inAll += delta;
        peakAll = Math.max(peakAll, inAll);
      }
      expect(peakAll).toBe(2);
      expect(gate.peak).toBe(2);
      expect(gate.activeLanes).toBe(0);
    } finally {
      delete process.env.DT_IPMITOOL_LOG;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
