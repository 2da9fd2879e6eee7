import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Clock, NodeRecord } from '../../../src/ports/index.ts';
import { openStore, type Store } from '../../../src/real/store/open-store.ts';
import { MemoryInventory } from '../../../src/twin/ports/memory-inventory.ts';

const dir = mkdtempSync(join(tmpdir(), 'dt-inventory-'));
const opened: Store[] = [];
afterAll(() => {
  for (const s of opened) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const clock: Clock = { now: () => 0, sleep: async () => {} };
let files = 0;
function fresh(file = join(dir, `i${++files}.db`)): Store {
  const store = openStore(file, clock);
  opened.push(store);
  return store;
}

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

describe('SqliteInventory', () => {
  it('keys BMCs by address:port, replacing in place', async () => {
    const { inventory: inv } = fresh();
    await inv.putBmc({ address: '10.1.0.1', port: 623, credentials: 'default', node: 'tmp-1' });
    await inv.putBmc({ address: '10.1.0.1', port: 624, credentials: 'default', node: 'tmp-2' });
    await inv.putBmc({ address: '10.1.0.2', port: 623, credentials: 'default', node: 'tmp-3' });
    await inv.putBmc({ address: '10.1.0.1', port: 623, credentials: 'default', node: 'n1' });
    expect((await inv.bmcs()).map((b) => `${b.address}:${b.port}=${b.node}`)).toEqual(['10.1.0.1:623=n1', '10.1.0.1:624=tmp-2', '10.1.0.2:623=tmp-3']);
  });

  it('returns nodes in hostlist order, skipping names it does not know', async () => {
    const { inventory: inv } = fresh();
    for (const n of ['n1', 'n2', 'n3', 'n10', 'login1']) await inv.putNode(node(n));
    const names = async (h?: string) => (await inv.nodes(h)).map((n) => n.name);
    expect(await names()).toEqual(['n1', 'n2', 'n3', 'n10', 'login1']);
    expect(await names('n[10,3],login1,n[1-2]')).toEqual(['n10', 'n3', 'login1', 'n1', 'n2']);
    expect(await names('n[1-20],ghost')).toEqual(['n1', 'n2', 'n3', 'n10']);
    expect(await names('')).toEqual([]);
    await expect(inv.nodes('n[1-')).rejects.toMatchObject({ code: 'DT_HOSTLIST_INVALID' });
  });

  it('replaces a node by name, keeping its place and its indexed columns current', async () => {
    const { inventory: inv, db } = fresh();
    await inv.putNode(node('a', 1));
    await inv.putNode(node('b', 1));
    await inv.putNode({ ...node('a', 7), role: 'relay' });
    expect((await inv.nodes()).map((n) => [n.name, n.rack])).toEqual([['a', 7], ['b', 1]]);
    expect((await inv.node('a'))?.hardware?.memoryBytes).toBe(2 ** 38);
    expect(await inv.node('zz')).toBeUndefined();
    expect(db.prepare("SELECT name, rack FROM nodes WHERE role = 'relay'").all()).toEqual([{ name: 'a', rack: 7 }]);
  });

  it('stores copies: editing what was put, or what was read, changes nothing stored', async () => {
    const { inventory: inv } = fresh();
    const original = node('n1');
    await inv.putNode(original);
    original.addresses.ethernet = 'changed';
    const read = (await inv.node('n1'))!;
    read.hardware!.macs.push('cc:dd');
    expect(await inv.node('n1')).toEqual(node('n1'));
  });

  it('keeps everything across a close and reopen', async () => {
    const file = join(dir, 'reopen.db');
    const first = openStore(file, clock);
    await first.inventory.putNetwork({ name: 'ethernet', start: '10.0.0.1', prefixLength: 16 });
    await first.inventory.putNode(node('cn1'));
    await first.inventory.putBmc({ address: '10.1.0.1', port: 623, credentials: 'c', node: 'cn1' });
    first.close();
    await expect(first.inventory.node('cn1')).rejects.toMatchObject({ code: 'DT_STORE_CLOSED' });
    const { inventory: inv } = fresh(file);
    expect(await inv.networks()).toEqual([{ name: 'ethernet', start: '10.0.0.1', prefixLength: 16 }]);
    expect(await inv.nodes('cn1')).toEqual([node('cn1')]);
    expect(await inv.bmcs()).toEqual([{ address: '10.1.0.1', port: 623, credentials: 'c', node: 'cn1' }]);
  });

  it('refuses records with a missing key, a fractional port or non-JSON content', async () => {
    const { inventory: inv } = fresh();
    const bad: Array<() => Promise<void>> = [
      () => inv.putNode({ ...node('x'), name: '' }),
      () => inv.putNode({ ...node('x'), rack: 1.5 }),
      () => inv.putNode({ ...node('x'), addresses: undefined as never }),
      () => inv.putNode({ ...node('x'), hardware: { ...node('x').hardware!, cpus: NaN } }),
      () => inv.putBmc({ address: '10.0.0.1', port: 623.5, credentials: 'c', node: 'n' }),
      () => inv.putNetwork({ name: 'opa', start: 5 as never, prefixLength: 16 }),
    ];
    for (const put of bad) await expect(put()).rejects.toMatchObject({ code: 'DT_STORE_BAD_RECORD', kind: 'usage' });
    expect(await inv.nodes()).toEqual([]);
  });

  it('property: answers every query as the in-memory inventory does', async () => {
    const name = fc.constantFrom('n1', 'n2', 'n3', 'n9', 'n10', 'n11', 'login1');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('node' as const), name, rack: fc.nat(9), role: fc.constantFrom('head', 'relay', 'compute') }),
      fc.record({ kind: fc.constant('bmc' as const), address: fc.constantFrom('10.0.0.1', '10.0.0.2'), port: fc.constantFrom(623, 624), node: name }),
      fc.record({ kind: fc.constant('net' as const), name: fc.constantFrom('ethernet', 'opa', 'ib'), prefixLength: fc.integer({ min: 8, max: 30 }) }),
      fc.record({ kind: fc.constant('query' as const), hostlist: fc.constantFrom(undefined, 'n[1-11]', 'n[11,2,9],login1', 'login1,n[3-1000]', 'ghost') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const memory = new MemoryInventory();
        const { inventory: sqlite } = fresh();
        for (const o of ops) {
          if (o.kind === 'node') {
            const r: NodeRecord = { ...node(o.name, o.rack), role: o.role };
            await Promise.all([memory.putNode(r), sqlite.putNode(r)]);
          } else if (o.kind === 'bmc') {
            const r = { address: o.address, port: o.port, credentials: 'default', node: o.node };
            await Promise.all([memory.putBmc(r), sqlite.putBmc(r)]);
          } else if (o.kind === 'net') {
            const r = { name: o.name, start: '10.0.0.1', prefixLength: o.prefixLength };
            await Promise.all([memory.putNetwork(r), sqlite.putNetwork(r)]);
          } else {
            expect(await sqlite.nodes(o.hostlist)).toEqual(await memory.nodes(o.hostlist));
          }
        }
        expect(await sqlite.bmcs()).toEqual(await memory.bmcs());
        expect(await sqlite.networks()).toEqual(await memory.networks());
        expect(await sqlite.nodes()).toEqual(await memory.nodes());
      }),
      { numRuns: 60 },
    );
  });
});
