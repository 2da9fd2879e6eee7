import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NodeRecord } from '../../../src/ports/index.ts';
import { MemoryInventory } from '../../../src/twin/ports/memory-inventory.ts';

function node(name: string, rack = 1): NodeRecord {
  return {
    name,
    rack,
    group: 'compute',
    role: 'compute',
    bmc: `${name}-bmc`,
    addresses: { ethernet: `10.0.0.${rack}` },
    hardware: { cpus: 64, memoryBytes: 2 ** 38, disks: [{ name: 'sda', bytes: 1e12 }], gpus: [], pciDevices: [], macs: ['aa:bb'] },
  };
}

describe('MemoryInventory', () => {
  it('keys BMCs by address:port, replacing in place', async () => {
    const inv = new MemoryInventory();
    await inv.putBmc({ address: '10.1.0.1', port: 623, credentials: 'default', node: 'tmp-1' });
    await inv.putBmc({ address: '10.1.0.1', port: 624, credentials: 'default', node: 'tmp-2' });
    await inv.putBmc({ address: '10.1.0.2', port: 623, credentials: 'default', node: 'tmp-3' });
    await inv.putBmc({ address: '10.1.0.1', port: 623, credentials: 'default', node: 'n1' });
    expect((await inv.bmcs()).map((b) => `${b.address}:${b.port}=${b.node}`)).toEqual(['10.1.0.1:623=n1', '10.1.0.1:624=tmp-2', '10.1.0.2:623=tmp-3']);
  });

  it('returns nodes in hostlist order, skipping names it does not know', async () => {
    const inv = new MemoryInventory();
    for (const n of ['n1', 'n2', 'n3', 'n10', 'login1']) await inv.putNode(node(n));
    const names = async (h?: string) => (await inv.nodes(h)).map((n) => n.name);
    expect(await names()).toEqual(['n1', 'n2', 'n3', 'n10', 'login1']);
    expect(await names('n[10,3],login1,n[1-2]')).toEqual(['n10', 'n3', 'login1', 'n1', 'n2']);
    expect(await names('n[1-20],ghost')).toEqual(['n1', 'n2', 'n3', 'n10']);
    expect(await names('')).toEqual([]);
    await expect(inv.nodes('n[1-')).rejects.toMatchObject({ code: 'DT_HOSTLIST_INVALID' });
  });

  it('replaces a node by name and keeps its place; looks one up by name', async () => {
    const inv = new MemoryInventory();
    await inv.putNode(node('a', 1));
    await inv.putNode(node('b', 1));
    await inv.putNode(node('a', 7));
    expect((await inv.nodes()).map((n) => [n.name, n.rack])).toEqual([
      ['a', 7],
      ['b', 1],
    ]);
    expect((await inv.node('a'))?.rack).toBe(7);
    expect(await inv.node('zz')).toBeUndefined();
  });

  it('stores copies: editing what was put, or what was read, changes nothing stored', async () => {
    const inv = new MemoryInventory();
    const original = node('n1');
    await inv.putNode(original);
    original.addresses.ethernet = 'changed';
    original.hardware!.disks[0].bytes = 1;
    const read = (await inv.node('n1'))!;
    read.rack = 99;
    read.hardware!.macs.push('cc:dd');
    const listed = await inv.nodes('n1');
    listed[0].addresses.opa = '192.168.0.1';
    const bmc = { address: '10.1.0.1', port: 623, credentials: 'c', node: 'n1' };
    await inv.putBmc(bmc);
    bmc.node = 'other';
    (await inv.bmcs())[0].credentials = 'leaked';
    const net = { name: 'ethernet', start: '10.0.0.1', prefixLength: 16 };
    await inv.putNetwork(net);
    net.prefixLength = 8;
    (await inv.networks())[0].start = '0.0.0.0';
    expect(await inv.node('n1')).toEqual(node('n1'));
    expect(await inv.bmcs()).toEqual([{ address: '10.1.0.1', port: 623, credentials: 'c', node: 'n1' }]);
    expect(await inv.networks()).toEqual([{ name: 'ethernet', start: '10.0.0.1', prefixLength: 16 }]);
  });

  it('keys networks by name', async () => {
    const inv = new MemoryInventory();
    await inv.putNetwork({ name: 'ethernet', start: '10.0.0.1', prefixLength: 16 });
    await inv.putNetwork({ name: 'opa', start: '10.2.0.1', prefixLength: 16 });
    await inv.putNetwork({ name: 'ethernet', start: '10.9.0.1', prefixLength: 20 });
    expect(await inv.networks()).toEqual([
      { name: 'ethernet', start: '10.9.0.1', prefixLength: 20 },
      { name: 'opa', start: '10.2.0.1', prefixLength: 16 },
    ]);
  });

  it('property: nodes(hostlist) follows the hostlist order, holds only stored names, and callers cannot mutate the store', async () => {
    const ids = fc.uniqueArray(fc.nat(50), { minLength: 1, maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(ids, ids, async (stored, asked) => {
        const inv = new MemoryInventory();
        for (const i of stored) await inv.putNode(node(`n${i}`, i));
        const hostlist = asked.map((i) => `n${i}`).join(',');
        const got = await inv.nodes(hostlist);
        expect(got.map((n) => n.name)).toEqual(asked.filter((i) => stored.includes(i)).map((i) => `n${i}`));
        for (const n of got) {
          n.rack = -1;
          n.addresses.ethernet = 'x';
          n.hardware!.gpus.push('h100');
        }
        expect(await inv.nodes()).toEqual(stored.map((i) => node(`n${i}`, i)));
      }),
    );
  });
});
