/**
 * The artifact server over real HTTP on 127.0.0.1 with real files: downloads, ranges, caching
 * headers, 404s and refused path tricks.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactServer } from '../../../src/real/artifacts/artifact-server.ts';
import { makeImage, rawRequest, sha256 } from './fixtures.ts';

const fixture = makeImage('centos7');
const { image, content } = fixture;
const server = await ArtifactServer.start();
const published = await server.publish(image);
afterAll(async () => {
  await server.close();
  fixture.cleanup();
});

const path = (url: string) => new URL(url).pathname;

describe('artifact server: downloads', () => {
  it('publishes URLs under /images/<name>/ and serves each file whole, checksum intact', async () => {
    expect(published).toEqual({
      image,
      kernelUrl: `${server.url}/images/centos7/kernel`,
      initrdUrl: `${server.url}/images/centos7/initrd`,
      rootfsUrl: `${server.url}/images/centos7/rootfs`,
    });
    const before = { ...server.counters };
    for (const [kind, url] of [['kernel', published.kernelUrl], ['initrd', published.initrdUrl], ['rootfs', published.rootfsUrl]] as const) {
      const res = await fetch(url);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(content[kind].length));
      expect(res.headers.get('etag')).toBe(`"${image[kind].sha256}"`);
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      expect(sha256(body)).toBe(image[kind].sha256);
    }
    expect(server.counters.completed - before.completed).toBe(3);
    expect(server.counters.bytesCompleted - before.bytesCompleted).toBe(8_500_000);
    expect(server.counters.active).toBe(0);
  });

  it('answers HEAD with the headers of a GET and no body, without taking a download slot', async () => {
    const started = server.counters.started;
    const res = await rawRequest(server.url, path(published.rootfsUrl), { method: 'HEAD' });
    expect([res.status, res.headers['content-length'], res.headers.etag, res.body.length]).toEqual([200, '4000000', `"${image.rootfs.sha256}"`, 0]);
    expect(server.counters.started).toBe(started);
  });

  it('serves single ranges as 206 with Content-Range, including suffix ranges', async () => {
    const size = content.initrd.length;
    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=2999000-', 2_999_000, size - 1],
      ['bytes=-1000', size - 1000, size - 1],
      ['bytes=-99999999', 0, size - 1],
      ['bytes=5-5', 5, 5],
    ];
    for (const [range, start, end] of cases) {
      const res = await rawRequest(server.url, path(published.initrdUrl), { headers: { range } });
      expect(res.status).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers['content-length']).toBe(String(end - start + 1));
      expect(res.body.equals(content.initrd.subarray(start, end + 1))).toBe(true);
    }
  });

  it('property: any byte range comes back exactly as those bytes of the file', async () => {
    const size = content.kernel.length;
    await fc.assert(
      fc.asyncProperty(fc.nat(size - 1), fc.nat(size - 1), async (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        const res = await rawRequest(server.url, path(published.kernelUrl), { headers: { range: `bytes=${start}-${end}` } });
        expect(res.status).toBe(206);
        expect(res.body.equals(content.kernel.subarray(start, end + 1))).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('answers 416 with "Content-Range: bytes */size" for an unsatisfiable range', async () => {
    for (const range of ['bytes=1500000-', 'bytes=1600000-1700000', 'bytes=-0']) {
      const res = await rawRequest(server.url, path(published.kernelUrl), { headers: { range } });
      expect(res.status).toBe(416);
      expect(res.headers['content-range']).toBe('bytes */1500000');
      expect(JSON.parse(res.body.toString()).error.code).toBe('DT_ARTIFACT_RANGE_NOT_SATISFIABLE');
    }
  });

  it('sends the whole file for a range it ignores, and honours If-Range and If-None-Match', async () => {
    const p = path(published.kernelUrl);
    const etag = `"${image.kernel.sha256}"`;
    for (const range of ['bytes=0-1,4-5', 'bytes=9-2']) expect((await rawRequest(server.url, p, { headers: { range } })).body.length).toBe(1_500_000);
    expect((await rawRequest(server.url, p, { headers: { range: 'bytes=0-9', 'if-range': etag } })).status).toBe(206);
    expect((await rawRequest(server.url, p, { headers: { range: 'bytes=0-9', 'if-range': '"stale"' } })).status).toBe(200);
    const cached = await rawRequest(server.url, p, { headers: { 'if-none-match': `"other", ${etag}` } });
    expect([cached.status, cached.body.length]).toEqual([304, 0]);
  });
});

describe('artifact server: what it refuses', () => {
  it('answers 404 (JSON) for unknown images, kinds and paths', async () => {
    for (const p of ['/images/centos8/kernel', '/images/centos7/vmlinuz', '/images/centos7', '/', '/images/centos7/kernel/extra']) {
      const res = await rawRequest(server.url, p);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString()).error.code).toBe('DT_ARTIFACT_NOT_FOUND');
    }
  });

  it('never serves a file outside what was published, whatever the path says', async () => {
    const tricks = [
      '/images/../../../../etc/passwd',
      '/../../../../etc/passwd',
      '/images/centos7/../../../../etc/passwd',
      '/images/centos7/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/images/%2e%2e/kernel',
      '/images/..%2f..%2fetc/passwd',
      `/images/centos7/kernel%00`,
      `/images/${encodeURIComponent(fixture.dir)}/kernel`,
      '/images/centos7/%2e%2e%2fkernel',
    ];
    for (const p of tricks) {
      const res = await rawRequest(server.url, p);
      expect([p, res.status]).toEqual([p, 404]);
      expect(res.body.toString()).not.toContain('root:');
      expect(res.body.length).toBeLessThan(1000);
    }
    const undecodable = await rawRequest(server.url, '/images/a%ZZ/kernel');
    expect([undecodable.status, JSON.parse(undecodable.body.toString()).error.code]).toEqual([400, 'DT_ARTIFACT_BAD_REQUEST']);
  });
});
