/**
 * SiteBootConfig and SitePower: the binding (MAC, address) and kernel arguments filled into the
 * orchestrator's entries, and the boot counter: kept by write, bumped before each power-on only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BootConfig, BootEntry, Power } from '../../../src/ports/index.ts';
import { parseDeploytwinCmdline } from '../../../src/real/boot/cmdline.ts';
import { SiteBootConfig, SitePower } from '../../../src/real/site/index.ts';

class MemoryBootConfig implements BootConfig {
  readonly entries = new Map<string, BootEntry>();
  async write(entry: BootEntry): Promise<void> {
    this.entries.set(entry.node, structuredClone(entry));
  }
  async remove(node: string): Promise<void> {
    this.entries.delete(node);
  }
  async read(node: string): Promise<BootEntry | undefined> {
    return this.entries.get(node);
  }
}

const entry = (node: string, cmdline = 'deploytwin.node=' + node): BootEntry => ({ node, kernelUrl: 'http://s/k', initrdUrl: 'http://s/i', cmdline, rootfsSource: 'server' });
const binding = (node: string) => (node === 'node1' ? { mac: '52:54:00:77:00:00', address: '10.77.0.11' } : undefined);
const bootOf = (e: BootEntry | undefined) => parseDeploytwinCmdline(e!.cmdline).boot;

describe('SiteBootConfig', () => {
  it('fills in the MAC, the address and the kernel arguments, and starts the boot counter at 0', async () => {
    const inner = new MemoryBootConfig();
    await new SiteBootConfig(inner, binding, 'console=ttyS0 quiet').write(entry('node1'));
    expect(inner.entries.get('node1')).toMatchObject({ mac: '52:54:00:77:00:00', address: '10.77.0.11', cmdline: 'deploytwin.node=node1 console=ttyS0 quiet deploytwin.boot=0' });
  });

  it('refuses a node without a boot MAC, naming it', async () => {
    await expect(new SiteBootConfig(new MemoryBootConfig(), binding, '').write(entry('node9'))).rejects.toMatchObject({ code: 'DT_SITE_NO_BMC', message: expect.stringContaining('node9') });
  });

  it('counts boots: nextBoot adds one, write keeps the count (any sequence of writes and boots)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('write', 'boot'), { maxLength: 20 }), async (ops) => {
        const inner = new MemoryBootConfig();
        const site = new SiteBootConfig(inner, binding, '');
        await site.write(entry('node1', 'deploytwin.node=node1 deploytwin.boot=99'));
        let boots = 0;
        for (const [i, op] of ops.entries()) {
          if (op === 'boot') {
            await site.nextBoot('node1');
            boots++;
          } else await site.write(entry('node1', `deploytwin.node=node1 purpose=${i}`));
        }
        expect(bootOf(inner.entries.get('node1'))).toBe(boots);
        expect(inner.entries.get('node1')!.cmdline.match(/deploytwin\.boot=/g)).toHaveLength(1);
      }),
    );
  });

  it('nextBoot of a node without an entry writes nothing', async () => {
    const inner = new MemoryBootConfig();
    await new SiteBootConfig(inner, binding, '').nextBoot('node1');
    expect(inner.entries.size).toBe(0);
  });
});

describe('SitePower', () => {
  it('starts a new boot before power on and power cycle, and only then', async () => {
    const calls: string[] = [];
    const inner: Power = {
      capabilities: { softOff: true, bootDeviceOnce: true, bootDevicePersistent: true },
      powerOn: async (n) => void calls.push(`on ${n}`),
      powerOff: async (n) => void calls.push(`off ${n}`),
      softOff: async (n) => void calls.push(`soft ${n}`),
      powerCycle: async (n) => void calls.push(`cycle ${n}`),
      powerStatus: async (n) => (calls.push(`status ${n}`), 'off'),
      setBootDevice: async (n, d) => void calls.push(`bootdev ${n} ${d}`),
    };
    const power = new SitePower(inner, { nextBoot: async (n) => void calls.push(`next ${n}`) });
    await power.setBootDevice('a', 'pxe', false);
    await power.powerOn('a');
    await power.powerStatus('a');
    await power.powerCycle('b');
    await power.softOff('a');
    await power.powerOff('a');
    expect(calls).toEqual(['bootdev a pxe', 'next a', 'on a', 'status a', 'next b', 'cycle b', 'soft a', 'off a']);
    expect(power.capabilities).toBe(inner.capabilities);
  });
});
