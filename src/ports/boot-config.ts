/**
 * A node's network boot configuration: what its boot loader fetches, from where. Implementations:
 * the twin's in-memory table read by the node model; dnsmasq + per-node iPXE scripts on real
 * hardware.
 *
 * Contracts: write and remove are idempotent and atomic per node (a booting node sees the old or
 * the new entry, never a mix); writing an unchanged entry touches nothing.
 */
export interface BootEntry {
  /** Node name (hostlist member). */
  node: string;
  /** MAC address of the NIC that PXE-boots, when known (static DHCP binding). */
  mac?: string;
  /** Address the node gets on the boot network. */
  address?: string;
  kernelUrl: string;
  initrdUrl: string;
  /** Kernel command line, including where the rootfs comes from and the status endpoint + token. */
  cmdline: string;
  /** Where the node's root filesystem comes from: "server" or a relay node's name. */
  rootfsSource: string;
  /** A relay receives what it will serve (its own system and its group's image) before serving. */
  role?: 'relay' | 'compute';
  /**
   * deploy (default): boot the image. commission: boot the preinstallation environment (kernel
   * and initrd only), which reports the node's hardware with its "booted" report.
   */
  purpose?: 'deploy' | 'commission';
  /** The provisioning scheme that wrote the entry ("http", "rsync", "nfs", ...): what its initrd does. */
  scheme?: string;
}

export interface BootConfig {
  write(entry: BootEntry, signal?: AbortSignal): Promise<void>;
  remove(node: string, signal?: AbortSignal): Promise<void>;
  /** The entry in force for a node, if any. */
  read(node: string): Promise<BootEntry | undefined>;
}
