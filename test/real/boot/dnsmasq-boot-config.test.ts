import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BootEntry } from '../../../src/ports/index.ts';
import { DnsmasqBootConfig, renderDhcpHost, renderIpxeScript } from '../../../src/real/boot/index.ts';

const SCRIPTS = 'http://10.77.0.1:8080/boot';

function entry(node: string, change: Partial<BootEntry> = {}): BootEntry {
  return {
    node,
    mac: '52:54:00:77:00:01',
    address: '10.77.0.11',
    kernelUrl: 'http://10.77.0.1:8080/images/a/kernel',
    initrdUrl: 'http://10.77.0.1:8080/images/a/initrd',
    cmdline: `deploytwin.status=http://10.77.0.1:8080 deploytwin.token=abcdefghijklmnop deploytwin.node=${node} deploytwin.boot=1`,
    rootfsSource: 'server',
    ...change,
  };
}

let dir: string;
let reloads: number;
let failReload: boolean;

async function open(): Promise<DnsmasqBootConfig> {
  return DnsmasqBootConfig.open({
    stateDir: dir,
    scriptBaseUrl: `${SCRIPTS}/`,
    reload: async () => {
      if (failReload) throw new Error('dnsmasq is gone');
      reloads++;
    },
  });
}

function files(node: string) {
  return { script: join(dir, 'ipxe', `${node}.ipxe`), hosts: join(dir, 'hosts', node), record: join(dir, 'entries', `${node}.json`) };
}

/** Inode and mtime of each file (undefined when absent): a rename-over changes the inode. */
function identity(node: string): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(files(node)).map(([k, p]) => {
      try {
        const s = statSync(p);
        return [k, `${s.ino}:${s.mtimeMs}`];
      } catch {
        return [k, undefined];
      }
    }),
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dt-boot-'));
  reloads = 0;
  failReload = false;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('DnsmasqBootConfig', () => {
  it('writes the script, the hosts line and the record, and reloads dnsmasq once', async () => {
    const config = await open();
    const e = entry('cn1');
    await config.write(e);
    const f = files('cn1');
    expect(readFileSync(f.script, 'utf8')).toBe(renderIpxeScript(e));
    expect(readFileSync(f.hosts, 'utf8')).toBe(renderDhcpHost(e));
    expect(await config.read('cn1')).toEqual(e);
    expect(config.scriptUrl('cn1')).toBe(`${SCRIPTS}/cn1.ipxe`);
    expect(reloads).toBe(1);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('an unchanged entry touches no file (same inodes and mtimes) and does not reload', async () => {
    const config = await open();
    await config.write(entry('cn1'));
    const before = identity('cn1');
    await config.write(entry('cn1'));
    await config.write({ ...entry('cn1'), role: undefined });
    expect(identity('cn1')).toEqual(before);
    expect(reloads).toBe(1);
  });

  it('a new kernel URL rewrites only the script and the record, without a reload', async () => {
    const config = await open();
    await config.write(entry('cn1'));
    const before = identity('cn1');
    await config.write(entry('cn1', { kernelUrl: 'http://10.77.0.1:8080/images/b/kernel' }));
    const after = identity('cn1');
    expect(after.hosts).toBe(before.hosts);
    expect(after.script).not.toBe(before.script);
    expect(after.record).not.toBe(before.record);
    expect(reloads).toBe(1);
  });

  it('a new MAC rewrites the hosts line and reloads; another node is left alone', async () => {
    const config = await open();
    await config.write(entry('cn1'));
    await config.write(entry('cn2', { mac: '52:54:00:77:00:02', address: '10.77.0.12' }));
    const other = identity('cn2');
    await config.write(entry('cn1', { mac: '52:54:00:77:00:09' }));
    expect(readFileSync(files('cn1').hosts, 'utf8')).toBe('52:54:00:77:00:09,10.77.0.11,cn1\n');
    expect(identity('cn2')).toEqual(other);
    expect(reloads).toBe(3);
  });

  it('remove deletes the node files and reloads; removing again is a no-op', async () => {
    const config = await open();
    await config.write(entry('cn1'));
    await config.remove('cn1');
    expect(Object.values(identity('cn1')).every((v) => v === undefined)).toBe(true);
    expect(await config.read('cn1')).toBeUndefined();
    expect(reloads).toBe(2);
    await config.remove('cn1');
    expect(reloads).toBe(2);
  });

  it('a bad entry writes nothing and does not reload', async () => {
    const config = await open();
    await expect(config.write(entry('cn1', { mac: undefined }))).rejects.toMatchObject({ code: 'DT_BOOT_BAD_ENTRY' });
    await expect(config.write(entry('cn1', { cmdline: 'a ${b}' }))).rejects.toMatchObject({ code: 'DT_BOOT_BAD_ENTRY' });
    await expect(config.remove('../x')).rejects.toMatchObject({ code: 'DT_BOOT_BAD_ENTRY' });
    for (const sub of ['ipxe', 'hosts', 'entries', 'tmp']) expect(readdirSync(join(dir, sub))).toEqual([]);
    expect(reloads).toBe(0);
  });

  it('after a failed reload the entry is not in force; a retry of the same write reloads and records it', async () => {
    const config = await open();
    failReload = true;
    await expect(config.write(entry('cn1'))).rejects.toThrow('dnsmasq is gone');
    expect(await config.read('cn1')).toBeUndefined();
    failReload = false;
    await config.write(entry('cn1'));
    expect(reloads).toBe(1);
    expect(await config.read('cn1')).toEqual(entry('cn1'));
  });

  it('honours an aborted signal before doing anything', async () => {
    const config = await open();
    await expect(config.write(entry('cn1'), AbortSignal.abort())).rejects.toThrow();
    expect(identity('cn1').script).toBeUndefined();
  });

  it('property: after any interleaving of writes and removes, the files and read() match the last call per node', async () => {
    const nodes = ['a', 'b', 'c'];
    const op = fc.record({
      node: fc.constantFrom(...nodes),
      remove: fc.boolean(),
      mac: fc.constantFrom('52:54:00:00:00:01', '52:54:00:00:00:02'),
      kernel: fc.constantFrom('k1', 'k2'),
      address: fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2'), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        rmSync(dir, { recursive: true, force: true });
        reloads = 0;
        const config = await open();
        const model = new Map<string, BootEntry>();
        let expectedReloads = 0;
        // All calls are started at once: per-node serialisation must apply them in call order.
        const calls = ops.map((o) => {
          const before = model.get(o.node);
          if (o.remove) {
            if (before !== undefined) expectedReloads++;
            model.delete(o.node);
            return config.remove(o.node);
          }
          const e = entry(o.node, { mac: o.mac, address: o.address, kernelUrl: `http://s/${o.kernel}` });
          if (before === undefined || before.mac !== e.mac || before.address !== e.address) expectedReloads++;
          model.set(o.node, e);
          return config.write(e);
        });
        await Promise.all(calls);
        for (const node of nodes) {
          const e = model.get(node);
          expect(await config.read(node)).toEqual(e);
          const f = files(node);
          if (e === undefined) expect(identity(node)).toEqual({ script: undefined, hosts: undefined, record: undefined });
          else {
            expect(readFileSync(f.hosts, 'utf8')).toBe(renderDhcpHost(e));
            expect(readFileSync(f.script, 'utf8')).toBe(renderIpxeScript(e));
          }
        }
        expect(reloads).toBe(expectedReloads);
        expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
