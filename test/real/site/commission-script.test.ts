/**
 * The commissioning environment's hardware report, run for real with busybox sh on this machine's
 * /proc and /sys (the same script the guest initrd sources, minus the POST and the power-off):
 * its JSON is what the status endpoint accepts, and its facts agree with what Node reads here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { commissionScript } from '../../../src/real/minicluster/commission-script.ts';
import { hardwareSchema } from '../../../src/real/events/status-request.ts';

const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));

/** The script up to the line that prints the hardware JSON (no report, no power-off). */
function factsOnly(): string {
  const script = commissionScript();
  const end = script.indexOf('echo "deploytwin: hardware $HW"');
  return `up() { echo 1; }\n${script.slice(0, end)}echo "$HW"\n`;
}

describe.skipIf(busybox === undefined)('commissioning hardware report (busybox sh on this host)', () => {
  const hardware = JSON.parse(execFileSync(busybox!, ['sh', '-c', factsOnly()], { encoding: 'utf8' })) as Record<string, unknown> & { macs: string[]; pciDevices: string[]; gpus: string[] };

  it('is a hardware report the status endpoint accepts', () => {
    const validate = new Ajv({ strict: true }).compile(hardwareSchema);
    expect(validate(hardware), JSON.stringify(validate.errors)).toBe(true);
  });

  it('counts the processors Node sees', () => {
    const online = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
    expect(hardware.cpus).toBe(online);
    expect(hardware.cpus).toBeGreaterThanOrEqual(Math.min(online, cpus().length));
  });

  it('reports the MAC of every NIC but loopback, and GPUs only among PCI devices', () => {
    const nics = execFileSync('sh', ['-c', 'for d in /sys/class/net/*; do [ "${d##*/}" = lo ] || cat "$d/address"; done'], { encoding: 'utf8' }).split('\n').filter((m) => m !== '' && m !== '00:00:00:00:00:00');
    expect([...hardware.macs].sort()).toEqual([...new Set(nics)].sort());
    for (const g of hardware.gpus) expect(hardware.pciDevices).toContain(g);
  });

  it('reports at least the memory the kernel manages (installed memory includes what it reserved)', () => {
    const total = Number(/MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
    expect(hardware.memoryBytes).toBeGreaterThanOrEqual(total);
  });
});
