/**
 * Publishing to a web server deploytwin does not run: here a plain static file server
 * (@fastify/static on 127.0.0.1, as nginx would serve a directory), checked by HEAD only.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ExternalArtifacts } from '../../../src/real/artifacts/external-artifacts.ts';
import { makeImage, sha256 } from './fixtures.ts';

// The operator's layout: <root>/<image name>/<file name>.
const fixture = makeImage('sles15');
const root = join(fixture.dir, 'www');
mkdirSync(join(root, 'sles15'), { recursive: true });
for (const kind of ['kernel', 'initrd', 'rootfs'] as const) {
  const to = join(root, 'sles15', fixture.image[kind].path.split('/').pop()!);
  renameSync(fixture.image[kind].path, to);
  fixture.image[kind].path = to;
}
const web = Fastify({ forceCloseConnections: true });
await web.register(fastifyStatic, { root });
const webUrl = await web.listen({ host: '127.0.0.1', port: 0 });
afterAll(async () => {
  await web.close();
  fixture.cleanup();
});

describe('ExternalArtifacts', () => {
  it('gives the URLs of the files on the web server after checking their sizes', async () => {
    const artifacts = new ExternalArtifacts({ baseUrl: `${webUrl}/` });
    const published = await artifacts.publish(fixture.image);
    expect(published).toEqual({
      image: fixture.image,
      kernelUrl: `${webUrl}/sles15/vmlinuz`,
      initrdUrl: `${webUrl}/sles15/initrd.img`,
      rootfsUrl: `${webUrl}/sles15/rootfs.squashfs`,
    });
    expect(sha256(Buffer.from(await (await fetch(published.rootfsUrl)).arrayBuffer()))).toBe(fixture.image.rootfs.sha256);
    await artifacts.withdraw('sles15');
    expect((await fetch(published.rootfsUrl)).status).toBe(200); // the files are the operator's, left in place
  });

  it('takes another layout through urlOf', async () => {
    const artifacts = new ExternalArtifacts({ baseUrl: webUrl, urlOf: (image, kind) => `${webUrl}/${image.name}/${kind === 'kernel' ? 'vmlinuz' : kind === 'initrd' ? 'initrd.img' : 'rootfs.squashfs'}` });
    expect((await artifacts.publish(fixture.image)).kernelUrl).toBe(`${webUrl}/sles15/vmlinuz`);
  });

  it('refuses a missing file, a size that differs, and says when the server cannot be reached', async () => {
    const artifacts = new ExternalArtifacts({ baseUrl: webUrl });
    await expect(artifacts.publish({ ...fixture.image, name: 'sles16' })).rejects.toMatchObject({ code: 'DT_ARTIFACT_REMOTE_MISSING', kind: 'fatal' });
    const wrongSize = { ...fixture.image, initrd: { ...fixture.image.initrd, bytes: 2_999_999 } };
    await expect(artifacts.publish(wrongSize)).rejects.toMatchObject({ code: 'DT_ARTIFACT_SIZE_MISMATCH', message: expect.stringContaining('3000000 bytes') });
    const closed = Fastify();
    const closedUrl = await closed.listen({ host: '127.0.0.1', port: 0 });
    await closed.close(); // nothing listens there any more
    await expect(new ExternalArtifacts({ baseUrl: closedUrl, timeout: 2 }).publish(fixture.image)).rejects.toMatchObject({ code: 'DT_ARTIFACT_REMOTE_UNREACHABLE', kind: 'retryable' });
  });

  it('refuses a base URL that is not http(s)', () => {
    for (const baseUrl of ['ftp://server/images', '/srv/images', '']) {
      expect(() => new ExternalArtifacts({ baseUrl })).toThrow(expect.objectContaining({ code: 'DT_ARTIFACT_BAD_OPTIONS' }));
    }
  });
});
