/**
 * dnsmasq's main configuration for network boot, built as text. It never changes while nodes
 * come and go: per-node bindings live in the hosts directory (boot-state.ts), which dnsmasq
 * re-reads on SIGHUP without a restart.
 *
 * What a client gets:
 * - a legacy PXE ROM (BIOS): TFTP boot file `legacyBootFile` (undionly.kpxe), which chains iPXE;
 * - a UEFI x86-64 PXE ROM (client arch 7 or 9): TFTP boot file `efiBootFile` (ipxe.efi);
 * - iPXE (user class "iPXE", or any client sending iPXE's option 175) with a binding: the URL
 *   `<ipxeScriptBaseUrl>/${hostname}.ipxe`, which iPXE expands with the host name dnsmasq sent
 *   from the binding, i.e. its own node's script; without a binding: `unknownIpxeUrl`, if given.
 * DNS is off (port=0). IPv6 router advertisements (ra-only) are on by default: iPXE waits about
 * 13 s longer for IPv6 configuration on a link without them.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { BootStateLayout } from './boot-state.ts';
import { checkUrl, isIpv4 } from './entry-check.ts';

export interface DnsmasqConfigOptions {
  /** Interface to serve (bridge or NIC); dnsmasq binds to it only. */
  interface: string;
  /** IPv4 network served, e.g. "10.77.0.0", and its netmask, e.g. "255.255.255.0". */
  network: string;
  netmask: string;
  /** Addresses for clients without a binding; absent: static bindings only. */
  dynamicRange?: { start: string; end: string };
  /** DHCP lease time, seconds. Default 3600. */
  leaseTime?: number;
  /** The hosts directory and reload marker (bootStateLayout). */
  state: BootStateLayout;
  /** Where iPXE fetches node scripts: `${ipxeScriptBaseUrl}/<node>.ipxe` (DnsmasqBootConfig's scriptBaseUrl). */
  ipxeScriptBaseUrl: string;
  /** Lease database file. Default <state root>/leases. */
  leaseFile?: string;
  /** TFTP root holding the iPXE binaries (prepareTftpRoot); absent: no TFTP. */
  tftpRoot?: string;
  /** TFTP file for legacy BIOS PXE ROMs. Default "undionly.kpxe". */
  legacyBootFile?: string;
  /** TFTP file for UEFI x86-64 PXE ROMs. Default "ipxe.efi". */
  efiBootFile?: string;
  /** Script URL for iPXE clients without a binding (e.g. discovery). Default: none. */
  unknownIpxeUrl?: string;
  /** IPv6 router advertisements on the interface (needs an IPv6 prefix on it). Default true. */
  ipv6RouterAdvertisements?: boolean;
  /** User dnsmasq runs as after start. Default: dnsmasq's own ("nobody"). */
  user?: string;
}

function bad(message: string): UsageError {
  return new UsageError(ErrorCodes.BOOT_BAD_CONFIG, `dnsmasq configuration: ${message}`);
}

function plainValue(what: string, value: string): string {
  if (!/^[A-Za-z0-9_.:/@+-]+$/.test(value)) throw bad(`${what} ${JSON.stringify(value)} has characters a dnsmasq line cannot carry`);
  return value;
}

/** The configuration file text (one option per line, final newline). */
export function renderDnsmasqConfig(o: DnsmasqConfigOptions): string {
  const iface = plainValue('interface', o.interface);
  for (const [what, a] of [['network', o.network], ['netmask', o.netmask], ['range start', o.dynamicRange?.start], ['range end', o.dynamicRange?.end]] as const) {
    if (a !== undefined && !isIpv4(a)) throw bad(`${what} ${JSON.stringify(a)} is not an IPv4 address`);
  }
  const lease = o.leaseTime ?? 3600;
  if (!Number.isInteger(lease) || lease < 120) throw bad(`leaseTime must be a whole number of seconds >= 120, got ${lease}`);
  if (o.unknownIpxeUrl !== undefined) checkUrl('dnsmasq configuration: unknownIpxeUrl', o.unknownIpxeUrl);
  checkUrl('dnsmasq configuration: ipxeScriptBaseUrl', o.ipxeScriptBaseUrl);
  const scriptBase = o.ipxeScriptBaseUrl.replace(/\/+$/, '');
  const lines = [
    '# deploytwin network boot (generated). Per-node bindings: the dhcp-hostsfile directory, re-read on SIGHUP.',
    'port=0',
    `interface=${iface}`,
    'bind-interfaces',
    // No pid file: the owner knows the PID from the child process handle.
    'pid-file=',
    'log-facility=-',
    'log-dhcp',
    'dhcp-authoritative',
  ];
  if (o.user !== undefined) lines.push(`user=${plainValue('user', o.user)}`);
  lines.push(
    o.dynamicRange === undefined
      ? `dhcp-range=${o.network},static,${o.netmask},${lease}`
      : `dhcp-range=${o.dynamicRange.start},${o.dynamicRange.end},${o.netmask},${lease}`,
  );
  lines.push(`dhcp-leasefile=${plainValue('lease file', o.leaseFile ?? `${o.state.root}/leases`)}`);
  lines.push(`dhcp-hostsfile=${plainValue('hosts directory', o.state.hostsDir)}`);
  // Empty; dnsmasq logs "read <marker>" on every reload, which is how a reload is seen to happen.
  lines.push(`dhcp-optsfile=${plainValue('reload marker', o.state.reloadMarker)}`);
  lines.push('dhcp-userclass=set:ipxe,iPXE', 'dhcp-match=set:ipxe,175', 'dhcp-match=set:efi64,option:client-arch,7', 'dhcp-match=set:efi64,option:client-arch,9');
  if (o.tftpRoot !== undefined) {
    lines.push('enable-tftp', `tftp-root=${plainValue('TFTP root', o.tftpRoot)}`);
    lines.push(`dhcp-boot=tag:!ipxe,tag:!efi64,${plainValue('legacy boot file', o.legacyBootFile ?? 'undionly.kpxe')}`);
    lines.push(`dhcp-boot=tag:!ipxe,tag:efi64,${plainValue('EFI boot file', o.efiBootFile ?? 'ipxe.efi')}`);
  }
  // ${hostname} is expanded by iPXE, not dnsmasq: the name dnsmasq sent from the node's binding.
  lines.push(`dhcp-boot=tag:ipxe,tag:known,${scriptBase}/\${hostname}.ipxe`);
  if (o.unknownIpxeUrl !== undefined) lines.push(`dhcp-boot=tag:ipxe,tag:!known,${o.unknownIpxeUrl}`);
  if (o.ipv6RouterAdvertisements ?? true) lines.push('enable-ra', `dhcp-range=::,constructor:${iface},ra-only`);
  return lines.join('\n') + '\n';
}

/** dnsmasq's arguments to run this configuration in the foreground (the PID stays the child's). */
export function dnsmasqArgs(confPath: string): string[] {
  return ['--keep-in-foreground', `--conf-file=${confPath}`];
}
