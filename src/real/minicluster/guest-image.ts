/**
 * Builds the mini-cluster guest's boot files under a cache directory: the kernel (Debian's
 * vmlinuz, copied), an initrd (gzip'd newc cpio of busybox-static, the needed kernel modules and
 * /init, and the commissioning script /bin/dt-commission) and a SquashFS rootfs (busybox-static, /sbin/init, a release file and an incompressible
 * payload so the download has a size worth timing). Needs busybox-static, cpio and
 * squashfs-tools (scripts/install-system-deps.sh).
 */
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { moduleLoadOrder, readModulesDep } from './kernel-modules.ts';
import { commissionScript } from './commission-script.ts';
import { initrdInitScript, rootfsInitScript, UDHCPC_SCRIPT } from './guest-scripts.ts';
import { runCommand } from './run-command.ts';

export interface GuestImageOptions {
  /** Debian's kernel package unpacked with dpkg -x (holds lib/modules/<version>) and its vmlinuz. */
  kernelRoot: string;
  vmlinuz: string;
  /** Output directory (created): kernel, initrd, rootfs.squashfs and the staging trees. */
  outDir: string;
  /** Modules for the initrd, by name. Default: e1000 (QEMU's e1000 NIC), loop, squashfs, overlay. */
  modules?: readonly string[];
  /** Bytes of incompressible payload in the rootfs. Default 8 MiB. */
  payloadBytes?: number;
  /** Written to the rootfs's /etc/deploytwin-release and reported with "booted". Default "minicluster-1". */
  release?: string;
  /** busybox-static binary. Default /bin/busybox (Debian's busybox-static). */
  busybox?: string;
}

export interface GuestImage {
  kernel: string;
  initrd: string;
  rootfs: string;
  /** The modules packed, in load order. */
  modules: string[];
}

export const DEFAULT_GUEST_MODULES = ['e1000', 'loop', 'squashfs', 'overlay'];

/** Deterministic incompressible bytes (SHA-256 in counter mode), so rebuilt images are alike. */
function payload(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let off = 0, i = 0; off < bytes; off += 32, i++) createHash('sha256').update(`deploytwin-payload-${i}`).digest().copy(out, off);
  return out;
}

async function executable(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  await chmod(path, 0o755);
}

async function kernelModulesDir(kernelRoot: string): Promise<string> {
  const base = join(kernelRoot, 'lib', 'modules');
  const versions = await readdir(base).catch(() => [] as string[]);
  if (versions.length !== 1) throw new DeployTwinError(ErrorCodes.MINICLUSTER_UNAVAILABLE, `expected one kernel version under ${base}, found ${versions.length} (run scripts/install-system-deps.sh)`, 'fatal');
  return join(base, versions[0]);
}

async function buildInitrd(o: GuestImageOptions, busybox: string, out: string): Promise<string[]> {
  const modulesDir = await kernelModulesDir(o.kernelRoot);
  const order = moduleLoadOrder(await readModulesDep(modulesDir), o.modules ?? DEFAULT_GUEST_MODULES);
  const tree = join(o.outDir, 'initrd-tree');
  await rm(tree, { recursive: true, force: true });
  await mkdir(join(tree, 'bin'), { recursive: true });
  await mkdir(join(tree, 'lib', 'modules'), { recursive: true });
  await copyFile(busybox, join(tree, 'bin', 'busybox'));
  await chmod(join(tree, 'bin', 'busybox'), 0o755);
  const names: string[] = [];
  for (const rel of order) {
    if (!rel.endsWith('.ko')) throw new DeployTwinError(ErrorCodes.MINICLUSTER_BAD_OPTIONS, `module ${rel} is compressed: busybox insmod needs plain .ko files`, 'fatal');
    await copyFile(join(modulesDir, rel), join(tree, 'lib', 'modules', basename(rel)));
    names.push(basename(rel));
  }
  await executable(join(tree, 'init'), initrdInitScript(names));
  await executable(join(tree, 'bin', 'udhcpc-script'), UDHCPC_SCRIPT);
  await executable(join(tree, 'bin', 'dt-commission'), commissionScript());
  const cpio = join(o.outDir, 'initrd.cpio');
  await runCommand(['sh', '-c', `find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet > '${cpio}'`], { cwd: tree });
  await writeFile(out, gzipSync(await readFile(cpio), { level: 6 }));
  await rm(cpio);
  return names;
}

async function buildRootfs(o: GuestImageOptions, busybox: string, out: string): Promise<void> {
  const tree = join(o.outDir, 'rootfs-tree');
  await rm(tree, { recursive: true, force: true });
  for (const dir of ['bin', 'sbin', 'etc', 'proc', 'sys', 'dev', 'run', 'tmp', 'opt']) await mkdir(join(tree, dir), { recursive: true });
  await copyFile(busybox, join(tree, 'bin', 'busybox'));
  await chmod(join(tree, 'bin', 'busybox'), 0o755);
  await executable(join(tree, 'sbin', 'init'), rootfsInitScript());
  await writeFile(join(tree, 'etc', 'deploytwin-release'), `${o.release ?? 'minicluster-1'}\n`);
  await writeFile(join(tree, 'opt', 'payload.bin'), payload(o.payloadBytes ?? 8 * 1024 * 1024));
  await rm(out, { force: true });
  await runCommand(['mksquashfs', tree, out, '-noappend', '-all-root', '-quiet', '-no-progress'], { timeout: 120 });
}

/** Builds (or rebuilds) the three boot files; resolves with their paths. */
export async function buildGuestImage(o: GuestImageOptions): Promise<GuestImage> {
  const busybox = o.busybox ?? '/bin/busybox';
  for (const f of [o.vmlinuz, busybox]) {
    if (!(await stat(f).then((s) => s.isFile(), () => false))) throw new DeployTwinError(ErrorCodes.MINICLUSTER_UNAVAILABLE, `${f} is missing (run scripts/install-system-deps.sh)`, 'fatal');
  }
  await mkdir(o.outDir, { recursive: true });
  const image: GuestImage = { kernel: join(o.outDir, 'kernel'), initrd: join(o.outDir, 'initrd'), rootfs: join(o.outDir, 'rootfs.squashfs'), modules: [] };
  await copyFile(o.vmlinuz, image.kernel);
  image.modules = await buildInitrd(o, busybox, image.initrd);
  await buildRootfs(o, busybox, image.rootfs);
  return image;
}
