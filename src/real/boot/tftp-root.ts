/**
 * The TFTP root dnsmasq serves to PXE ROMs that are not iPXE yet: the iPXE binaries from Debian's
 * "ipxe" package (undionly.kpxe for BIOS, ipxe.efi for UEFI x86-64, ipxe.pxe as an alternative
 * for BIOS with a NIC driver built in). Files are copied, not linked, because dnsmasq serves only
 * what lies under its TFTP root and reads it as "nobody".
 */
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ErrorCodes, DeployTwinError } from '../../errors.ts';

/** Where Debian's ipxe package puts its network boot programs. */
export const DEBIAN_IPXE_FILES = ['/usr/lib/ipxe/undionly.kpxe', '/usr/lib/ipxe/ipxe.pxe', '/usr/lib/ipxe/ipxe.efi'];

/** Creates `dir` and copies `files` (default DEBIAN_IPXE_FILES) into it; resolves with the names copied. */
export async function prepareTftpRoot(dir: string, files: readonly string[] = DEBIAN_IPXE_FILES): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const names: string[] = [];
  for (const file of files) {
    const ok = await stat(file).then((s) => s.isFile(), () => false);
    if (!ok) throw new DeployTwinError(ErrorCodes.BOOT_BAD_CONFIG, `TFTP root: ${file} is missing (install Debian's "ipxe" package: scripts/install-system-deps.sh)`, 'fatal');
    await copyFile(file, join(dir, basename(file)));
    names.push(basename(file));
  }
  return names;
}
