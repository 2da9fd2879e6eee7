/**
 * The BootConfig a site run hands the orchestrator: dnsmasq's (DnsmasqBootConfig), with what the
 * orchestrator's entries leave to the site filled in before they are written:
 *
 * - the MAC of the NIC that PXE-boots and the node's boot-network address (the binding: the
 *   site's boot MACs by BMC, and the configuration plan's addresses);
 * - the site's extra kernel arguments (console, quiet, ...);
 * - `deploytwin.boot=<n>`, the boot counter the status endpoint tells boots apart by, so that the
 *   deployment's reports are never taken for repeats of the commissioning boot's. The counter is
 *   kept in the entry on disk (it survives a restart) and bumped by `nextBoot` before every
 *   power-on (SitePower): each boot of a node reports under a number of its own.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { BootConfig, BootEntry } from '../../ports/index.ts';
import { parseDeploytwinCmdline } from '../boot/cmdline.ts';

export interface NodeBinding {
  mac: string;
  address?: string;
}

const BOOT_ARG = /(^|\s)deploytwin\.boot=\S*/g;

function withBoot(cmdline: string, boot: number): string {
  return `${cmdline.replace(BOOT_ARG, '').trim()} deploytwin.boot=${boot}`;
}

export class SiteBootConfig implements BootConfig {
  constructor(
    private readonly inner: BootConfig,
    private readonly binding: (node: string) => NodeBinding | undefined,
    private readonly kernelArgs: string,
  ) {}

  async write(entry: BootEntry, signal?: AbortSignal): Promise<void> {
    const bound = this.binding(entry.node);
    if (bound === undefined) throw new UsageError(ErrorCodes.SITE_NO_BMC, `node ${entry.node}: no boot MAC known (bmc.bootMacs in the site file names none for its BMC)`);
    const old = await this.inner.read(entry.node);
    const boot = old === undefined ? 0 : (parseDeploytwinCmdline(old.cmdline).boot ?? 0);
    const cmdline = withBoot([entry.cmdline, this.kernelArgs].filter((s) => s !== '').join(' '), boot);
    await this.inner.write({ ...entry, mac: bound.mac, ...(bound.address === undefined ? {} : { address: bound.address }), cmdline }, signal);
  }

  /** The node's next boot: its entry rewritten with the boot counter plus one (nothing if it has none). */
  async nextBoot(node: string, signal?: AbortSignal): Promise<void> {
    const old = await this.inner.read(node);
    if (old === undefined) return;
    const boot = (parseDeploytwinCmdline(old.cmdline).boot ?? 0) + 1;
    await this.inner.write({ ...old, cmdline: withBoot(old.cmdline, boot) }, signal);
  }

  remove(node: string, signal?: AbortSignal): Promise<void> {
    return this.inner.remove(node, signal);
  }

  read(node: string): Promise<BootEntry | undefined> {
    return this.inner.read(node);
  }
}
