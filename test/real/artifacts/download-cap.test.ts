/**
 * The cap on concurrent downloads, with real connections held open: a 64 MiB file (sparse, so
 * cheap to create) is far more than the localhost socket buffers can swallow, so a client that
 * stops reading keeps its download, and its slot, busy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactServer } from '../../../src/real/artifacts/artifact-server.ts';
import { holdDownload, makeSparseImage, rawRequest } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'dt-cap-'));
const image = makeSparseImage(dir, 'big', 64 * 1024 * 1024);
const server = await ArtifactServer.start({ maxDownloads: 2, retryAfter: 7 });
const published = await server.publish(image);
const held: Array<{ release(): void }> = [];
afterAll(async () => {
  for (const h of held) h.release();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits (briefly polling) until the server has seen the held connections go. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('artifact server download cap', () => {
  it('refuses a download over the cap with 503 and Retry-After, counts it, and admits again once a slot frees', async () => {
    held.push(await holdDownload(published.rootfsUrl), await holdDownload(published.kernelUrl));
    expect(server.counters.active).toBe(2);

    const refused = await rawRequest(server.url, new URL(published.initrdUrl).pathname);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('7');
    expect(JSON.parse(refused.body.toString()).error.code).toBe('DT_ARTIFACT_BUSY');
    expect(server.counters.refused).toBe(1);

    // HEAD and unsatisfiable ranges send no body: they are answered even at the cap.
    expect((await rawRequest(server.url, new URL(published.initrdUrl).pathname, { method: 'HEAD' })).status).toBe(200);
    expect((await rawRequest(server.url, new URL(published.initrdUrl).pathname, { headers: { range: 'bytes=-0' } })).status).toBe(416);
    expect(server.counters.refused).toBe(1);

    held.shift()!.release();
    await until(() => server.counters.active === 1);
    const admitted = await rawRequest(server.url, new URL(published.initrdUrl).pathname, { headers: { range: 'bytes=0-1048575' } });
    expect([admitted.status, admitted.body.length]).toEqual([206, 1048576]);
    expect(server.counters.peakActive).toBe(2);

    held.shift()!.release();
    await until(() => server.counters.active === 0);
  });
});
