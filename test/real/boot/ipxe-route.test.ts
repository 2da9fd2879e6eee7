import Fastify from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerIpxeRoutes } from '../../../src/real/boot/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'dt-ipxe-'));
writeFileSync(join(dir, 'cn1.ipxe'), '#!ipxe\nboot\n');
const app = Fastify();
registerIpxeRoutes(app, { scriptsDir: dir });
const prefixed = Fastify();
registerIpxeRoutes(prefixed, { scriptsDir: dir, prefix: '/pxe/' });

afterAll(async () => {
  await app.close();
  await prefixed.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('registerIpxeRoutes', () => {
  it('serves a node script as text, uncached, read from disk at each request', async () => {
    const r = await app.inject('/boot/cn1.ipxe');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toBe('#!ipxe\nboot\n');
    writeFileSync(join(dir, 'cn1.ipxe'), '#!ipxe\nexit\n');
    expect((await app.inject('/boot/cn1.ipxe')).body).toBe('#!ipxe\nexit\n');
    expect((await prefixed.inject('/pxe/cn1.ipxe')).statusCode).toBe(200);
  });

  it('answers 404 with a JSON error for a node without an entry', async () => {
    const r = await app.inject('/boot/cn2.ipxe');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'DT_BOOT_SCRIPT_NOT_FOUND', message: expect.stringContaining('no boot entry for node cn2') } });
  });

  it.each(['cn1', 'cn1.txt', '..%2Fetc%2Fpasswd.ipxe', '.ipxe', '-x.ipxe'])('answers 400 for %s', async (file) => {
    const r = await app.inject(`/boot/${file}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('DT_BOOT_BAD_ENTRY');
  });
});
