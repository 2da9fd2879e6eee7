import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Image } from '../../../src/ports/index.ts';
import { ArtifactServer } from '../../../src/real/artifacts/artifact-server.ts';
import { makeImage, makeSparseImage, sha256 } from './fixtures.ts';

const fixture = makeImage('rocky9');
const server = await ArtifactServer.start();
afterAll(async () => {
  await server.close();
  fixture.cleanup();
});

const withFile = (image: Image, kind: 'kernel' | 'initrd', change: Partial<Image['kernel']>): Image => ({ ...image, [kind]: { ...image[kind], ...change } });

describe('ArtifactServer.publish', () => {
  it('is idempotent for the same checksums, also when called concurrently', async () => {
    const [a, b] = await Promise.all([server.publish(fixture.image), server.publish(fixture.image)]);
    expect(b).toEqual(a);
    expect(await server.publish(structuredClone(fixture.image))).toEqual(a);
    // Unchanged files are not read again: even an aborted signal does not stop a re-publish.
    expect(await server.publish(fixture.image, AbortSignal.abort(new Error('stop')))).toEqual(a);
  });

  it('refuses a wrong checksum or size, a missing file and a bad description', async () => {
    const { image } = fixture;
    const other = { ...image, name: 'other' };
    await expect(server.publish(withFile(other, 'kernel', { sha256: 'a'.repeat(64) }))).rejects.toMatchObject({ code: 'DT_ARTIFACT_CHECKSUM_MISMATCH', kind: 'fatal' });
    await expect(server.publish(withFile(other, 'initrd', { bytes: 3_000_001 }))).rejects.toMatchObject({ code: 'DT_ARTIFACT_SIZE_MISMATCH' });
    await expect(server.publish(withFile(other, 'kernel', { path: `${fixture.dir}/nope` }))).rejects.toMatchObject({ code: 'DT_ARTIFACT_FILE_NOT_FOUND', kind: 'usage' });
    await expect(server.publish(withFile(other, 'kernel', { path: fixture.dir }))).rejects.toMatchObject({ code: 'DT_ARTIFACT_FILE_NOT_FOUND' });
    for (const bad of [{ ...image, name: '../etc' }, { ...image, name: '' }, withFile(image, 'kernel', { sha256: 'ABC' }), withFile(image, 'kernel', { bytes: -1 })]) {
      await expect(server.publish(bad)).rejects.toMatchObject({ code: 'DT_ARTIFACT_BAD_IMAGE' });
    }
    expect((await fetch(`${server.url}/images/other/rootfs`)).status).toBe(404);
  });

  it('refuses other content under a published name until it is withdrawn', async () => {
    const first = { ...fixture.image, name: 'swap' };
    await server.publish(first);
    const other = withFile(first, 'kernel', { path: first.initrd.path, bytes: first.initrd.bytes, sha256: first.initrd.sha256 });
    await expect(server.publish(other)).rejects.toMatchObject({ code: 'DT_ARTIFACT_NAME_CONFLICT' });
    await server.withdraw('swap');
    await server.withdraw('swap'); // idempotent
    expect((await fetch(`${server.url}/images/swap/kernel`)).status).toBe(404);
    const again = await server.publish(other);
    expect(Buffer.from(await (await fetch(again.kernelUrl)).arrayBuffer()).equals(fixture.content.initrd)).toBe(true);
  });

  it('rejects with the signal reason when aborted before or while hashing', async () => {
    const reason = new Error('operator cancelled');
    const controller = new AbortController();
    const publishing = server.publish({ ...fixture.image, name: 'aborted' }, controller.signal);
    controller.abort(reason);
    await expect(publishing).rejects.toBe(reason);
    // 64 MiB take far longer than 5 ms to hash: the abort lands between two 1 MiB reads.
    const big = makeSparseImage(fixture.dir, 'big', 64 * 1024 * 1024);
    const midway = new AbortController();
    setTimeout(() => midway.abort(reason), 5);
    await expect(server.publish(big, midway.signal)).rejects.toBe(reason);
    for (const name of ['aborted', 'big']) expect((await fetch(`${server.url}/images/${name}/kernel`)).status).toBe(404);
  });

  it('stops serving a file rewritten after publishing, and re-verifies it on the next publish', async () => {
    const image = { ...fixture.image, name: 'rewritten' };
    const published = await server.publish(image);
    writeFileSync(image.kernel.path, Buffer.alloc(image.kernel.bytes, 1)); // same size, other bytes
    const res = await fetch(published.kernelUrl);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DT_ARTIFACT_CHANGED_ON_DISK');
    await expect(server.publish(image)).rejects.toMatchObject({ code: 'DT_ARTIFACT_CHECKSUM_MISMATCH' });
    writeFileSync(image.kernel.path, fixture.content.kernel); // the right bytes again, a new mtime
    await server.publish(image);
    expect(sha256(Buffer.from(await (await fetch(published.kernelUrl)).arrayBuffer()))).toBe(image.kernel.sha256);
  });

  it('refuses to publish once closed', async () => {
    const closed = await ArtifactServer.start();
    await closed.close();
    await expect(closed.publish(fixture.image)).rejects.toMatchObject({ code: 'DT_ARTIFACT_SERVER_CLOSED' });
  });
});
