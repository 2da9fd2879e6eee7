/** Real image files in a temporary directory, and raw HTTP helpers for the artifact tests. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Image } from '../../../src/ports/index.ts';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface ImageFixture {
  dir: string;
  image: Image;
  content: { kernel: Buffer; initrd: Buffer; rootfs: Buffer };
  cleanup(): void;
}

/** An image of random bytes: a 1.5 MB kernel, a 3 MB initrd and a 4 MB rootfs. */
export function makeImage(name = 'centos7'): ImageFixture {
  const dir = mkdtempSync(join(tmpdir(), 'dt-artifacts-'));
  const content = { kernel: randomBytes(1_500_000), initrd: randomBytes(3_000_000), rootfs: randomBytes(4_000_000) };
  const file = (kind: keyof typeof content, fileName: string) => {
    const path = join(dir, fileName);
    writeFileSync(path, content[kind]);
    return { path, bytes: content[kind].length, sha256: sha256(content[kind]) };
  };
  const image: Image = {
    name,
    kernel: file('kernel', 'vmlinuz'),
    initrd: file('initrd', 'initrd.img'),
    rootfs: { ...file('rootfs', 'rootfs.squashfs'), format: 'squashfs' },
  };
  return { dir, image, content, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A large sparse file of zeros (cheap to create): big enough that localhost socket buffers cannot swallow it. */
export function makeSparseImage(dir: string, name: string, bytes: number): Image {
  const path = join(dir, `${name}.bin`);
  writeFileSync(path, '');
  truncateSync(path, bytes);
  const zeroSha = createHash('sha256');
  const block = Buffer.alloc(1 << 20);
  for (let left = bytes; left > 0; left -= block.length) zeroSha.update(left >= block.length ? block : block.subarray(0, left));
  const f = { path, bytes, sha256: zeroSha.digest('hex') };
  return { name, kernel: f, initrd: f, rootfs: { ...f, format: 'disk' } };
}

/** A GET or HEAD with the path sent exactly as given (fetch would normalise "..").
 *  Resolves with the status, headers and whole body. */
export function rawRequest(base: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts a GET and stops reading its body once the headers are in: the download stays open. */
export function holdDownload(url: string): Promise<{ status: number; release(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.pause();
      resolve({ status: res.statusCode!, release: () => req.destroy() });
    });
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end();
  });
}
