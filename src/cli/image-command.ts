/**
 * `deploytwin image build`: builds the mini-cluster guest image (kernel, initrd with the
 * deployment /init and the commissioning environment, SquashFS rootfs) from Debian's kernel
 * unpacked in --kernel-dir and busybox-static. Cached: nothing is rebuilt when no input changed.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildGuestImageCached } from '../real/minicluster/guest-image-cache.ts';
import { parseCount } from './arguments.ts';

interface ImageFlags {
  out: string;
  kernelDir: string;
  release?: string;
  payloadMib?: string;
}

export function registerImageCommands(program: Command, out: (s: string) => void): void {
  const image = program.command('image').description('build the images real mode deploys');
  const build = image
    .command('build')
    .description('build the guest image (kernel, initrd, rootfs.squashfs) unless an identical build is there')
    .option('--out <dir>', 'output directory', '.cache/guest-image')
    .option('--kernel-dir <dir>', 'Debian kernel unpacked with dpkg -x: <dir>/root and <dir>/vmlinuz (scripts/install-system-deps.sh)', '.cache/guest-kernel')
    .option('--release <name>', 'release name the deployed nodes report (default minicluster-1)')
    .option('--payload-mib <n>', 'MiB of incompressible payload in the rootfs (default 8)')
    .action(async (flags: ImageFlags) => {
      const outDir = resolve(flags.out);
      const kernelDir = resolve(flags.kernelDir);
      const payloadBytes = flags.payloadMib === undefined ? undefined : parseCount(flags.payloadMib, '--payload-mib', 0) * 1024 * 1024;
      const built = await buildGuestImageCached({ kernelRoot: join(kernelDir, 'root'), vmlinuz: join(kernelDir, 'vmlinuz'), outDir, release: flags.release, payloadBytes });
      out(`${built.built ? 'built' : 'up to date (inputs unchanged)'}: ${built.kernel}, ${built.initrd}, ${built.rootfs}\n`);
    });
  for (const cmd of [image, build]) cmd.exitOverride().configureOutput(program.configureOutput());
}
