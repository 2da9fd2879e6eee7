/**
 * `deploytwin image build`'s cache key: equal for equal inputs, different when an option or an
 * input file changes (so a changed kernel or release is rebuilt, an unchanged one is not).
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guestImageKey } from '../../../src/real/minicluster/guest-image-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'dt-imgkey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'vmlinuz'), 'kernel');
writeFileSync(join(dir, 'busybox'), 'busybox');
const base = { kernelRoot: dir, vmlinuz: join(dir, 'vmlinuz'), busybox: join(dir, 'busybox'), outDir: join(dir, 'out') };

describe('guestImageKey', () => {
  it('is the same for the same inputs, wherever the output goes', async () => {
    expect(await guestImageKey(base)).toBe(await guestImageKey({ ...base, outDir: join(dir, 'elsewhere') }));
  });

  it('changes with the release, the payload, the modules and the kernel file', async () => {
    const key = await guestImageKey(base);
    expect(await guestImageKey({ ...base, release: 'r2' })).not.toBe(key);
    expect(await guestImageKey({ ...base, payloadBytes: 1024 })).not.toBe(key);
    expect(await guestImageKey({ ...base, modules: ['e1000'] })).not.toBe(key);
    writeFileSync(join(dir, 'vmlinuz'), 'another kernel');
    utimesSync(join(dir, 'vmlinuz'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(await guestImageKey(base)).not.toBe(key);
  });
});
