/**
 * A node's iPXE script, built as text from its boot entry. iPXE runs it after DHCP, so the script
 * itself reports the phases that end inside the boot loader (the NodeEvents port reports a phase
 * when it completes, as the twin's node model does):
 *
 *   dhcp        the script runs, so iPXE has an address (sent as the detail)
 *   bootloader  iPXE fetched and started the node's script
 *   kernel      the kernel is downloaded
 *   initrd      the initrd is downloaded
 *   failed      a download or the boot itself failed (detail: which step)
 *
 * Reports are HTTP GETs of the status endpoint (iPXE has no POST without PARAM_CMD, which
 * Debian's build leaves out); a report that fails is printed and the boot goes on. The initrd
 * reports the rest (rootfs, mounted, booted). Without deploytwin.status in the command line the
 * script reports nothing.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { BootEntry } from '../../ports/index.ts';
import { parseDeploytwinCmdline, statusReportUrl } from './cmdline.ts';
import { checkBootEntry, checkUrl } from './entry-check.ts';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * iPXE expands ${...} and splits commands on "||", "&&" and ";" even inside the kernel's
 * arguments: refuse them rather than let a command line change what the script does.
 */
function checkForIpxe(entry: BootEntry): void {
  const words = entry.cmdline.split(/\s+/);
  if (entry.cmdline.includes('$') || entry.cmdline.includes(';') || words.includes('||') || words.includes('&&')) {
    throw new UsageError(ErrorCodes.BOOT_BAD_ENTRY, `boot entry for ${entry.node}: cmdline must not contain "$", ";", "||" or "&&" (iPXE would interpret them)`);
  }
}

/** The iPXE script of one node (UNIX line ends, final newline). */
export function renderIpxeScript(entry: BootEntry): string {
  checkBootEntry(entry);
  checkForIpxe(entry);
  const dt = parseDeploytwinCmdline(entry.cmdline);
  let report = (_phase: string, _detail?: string): string[] => [];
  if (dt.statusUrl !== undefined) {
    checkUrl(`boot entry for ${entry.node}: deploytwin.status`, dt.statusUrl);
    if (dt.token !== undefined && !TOKEN_PATTERN.test(dt.token)) {
      throw new UsageError(ErrorCodes.BOOT_BAD_ENTRY, `boot entry for ${entry.node}: deploytwin.token must be base64url text (A-Z a-z 0-9 _ -)`);
    }
    const base = statusReportUrl(dt.statusUrl, entry.node, dt.token, dt.boot);
    report = (phase, detail) => [
      `imgfetch --name dt-report ${base}${phase}${detail === undefined ? '' : `&detail=${detail}`} && imgfree dt-report || echo deploytwin: could not report ${phase}`,
    ];
  }
  const boot = dt.boot === undefined ? '' : `, boot ${dt.boot}`;
  const lines = [
    '#!ipxe',
    `# deploytwin boot script for ${entry.node}${boot} (generated; rewritten on every boot entry change)`,
    ...report('dhcp', '${ip}'),
    ...report('bootloader'),
    'set dt-step kernel',
    // The initrd's name goes on the command line for EFI boots; BIOS kernels ignore it.
    `kernel ${entry.kernelUrl} initrd=initrd ${entry.cmdline}`.trimEnd() + ' || goto dt-failed',
    ...report('kernel'),
    'set dt-step initrd',
    `initrd --name initrd ${entry.initrdUrl} || goto dt-failed`,
    ...report('initrd'),
    'set dt-step boot',
    'boot || goto dt-failed',
    ':dt-failed',
    ...report('failed', '${dt-step}'),
    'echo deploytwin: boot failed at step ${dt-step}',
    'exit 1',
  ];
  return lines.join('\n') + '\n';
}
