/**
 * `deploytwin image build`'s cache: the guest image is rebuilt only when an input changed. The
 * key is a SHA-256 over everything the build reads or writes into the image: the options, the
 * generated scripts' text, and the identity (size, mtime) of the kernel, busybox and the kernel's
 * modules.dep. It is stored next to the outputs (`inputs.sha256`), written last, so a build that
 * died half-way is never taken for a finished one.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commissionScript } from './commission-script.ts';
import { buildGuestImage, DEFAULT_GUEST_MODULES, type GuestImage, type GuestImageOptions } from './guest-image.ts';
import { initrdInitScript, rootfsInitScript, UDHCPC_SCRIPT } from './guest-scripts.ts';

export interface CachedGuestImage extends GuestImage {
  /** False when the outputs of an identical earlier build were reused. */
  built: boolean;
  /** The cache key (hex SHA-256 of the inputs). */
  key: string;
}

const KEY_FILE = 'inputs.sha256';

async function identity(path: string): Promise<string> {
  const s = await stat(path).catch(() => undefined);
  return s === undefined ? `${path}:missing` : `${path}:${s.size}:${s.mtimeMs}`;
}

/** The cache key of a build with these options. */
export async function guestImageKey(o: GuestImageOptions): Promise<string> {
  const busybox = o.busybox ?? '/bin/busybox';
  const options = { ...o, outDir: undefined, modules: o.modules ?? DEFAULT_GUEST_MODULES, busybox };
  const parts = [
    JSON.stringify(options),
    initrdInitScript(['<modules>']),
    rootfsInitScript(),
    UDHCPC_SCRIPT,
    commissionScript(),
    await identity(o.vmlinuz),
    await identity(busybox),
    await identity(join(o.kernelRoot, 'lib', 'modules')),
  ];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** Builds the guest image into o.outDir unless an identical build is already there. */
export async function buildGuestImageCached(o: GuestImageOptions): Promise<CachedGuestImage> {
  const key = await guestImageKey(o);
  const image: GuestImage = { kernel: join(o.outDir, 'kernel'), initrd: join(o.outDir, 'initrd'), rootfs: join(o.outDir, 'rootfs.squashfs'), modules: [] };
  const stored = await readFile(join(o.outDir, KEY_FILE), 'utf8').catch(() => '');
  const present = await Promise.all([image.kernel, image.initrd, image.rootfs].map((f) => stat(f).then((s) => s.isFile(), () => false)));
  if (stored.trim() === key && present.every(Boolean)) return { ...image, built: false, key };
  await rm(join(o.outDir, KEY_FILE), { force: true });
  const built = await buildGuestImage(o);
  await writeFile(join(o.outDir, KEY_FILE), `${key}\n`);
  return { ...built, built: true, key };
}
