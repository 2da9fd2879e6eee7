/**
 * The site's image as the Artifacts port describes it: each file's size and SHA-256 (streamed),
 * and the preinstallation image commissioning boots (the same kernel and initrd, whose /init
 * turns into the commissioning environment with `deploytwin.commission=1`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { Image, ImageFile } from '../../ports/index.ts';
import type { Site } from './load-site.ts';

async function describeFile(path: string, what: string): Promise<ImageFile> {
  const s = await stat(path).catch(() => undefined);
  if (s === undefined || !s.isFile()) throw new UsageError(ErrorCodes.SITE_INVALID, `${what}: no file ${path} (build one with: deploytwin image build)`);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { path, bytes: s.size, sha256: hash.digest('hex') };
}

export async function siteImage(site: Site): Promise<Image> {
  const i = site.image;
  return {
    name: i.name,
    kernel: await describeFile(i.kernel, 'image.kernel'),
    initrd: await describeFile(i.initrd, 'image.initrd'),
    rootfs: { ...(await describeFile(i.rootfs, 'image.rootfs')), format: 'squashfs' },
  };
}

/** The commissioning image: the deployment image's files under the name "<name>-preinstall". */
export function preinstallImage(image: Image): Image {
  return { ...image, name: `${image.name}-preinstall` };
}
