/**
 * Checks on what goes into dnsmasq files, iPXE scripts and file names. Everything here ends up in
 * a configuration line, a script line or a path, so anything that could break out of its place
 * (a comma in a dnsmasq line, a space or newline in an iPXE script, "/" or ".." in a file name)
 * is refused with BOOT_BAD_ENTRY before anything is written.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { BootEntry } from '../../ports/index.ts';

/**
 * A node name as dnsmasq sends it for a DHCP host name and iPXE puts it in a URL: one host name
 * label (RFC 1123: letters, digits, inner hyphens, at most 63 characters). It is also a file name
 * and a URL path segment that need no escaping.
 */
export const NODE_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAC_PATTERN = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const IPV4_PATTERN = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** No whitespace, quotes, commas or control characters: safe in dnsmasq lines and iPXE words. */
const URL_PATTERN = /^https?:\/\/[^\s"',\\\x00-\x1f\x7f]+$/;

function bad(message: string): UsageError {
  return new UsageError(ErrorCodes.BOOT_BAD_ENTRY, message);
}

export function checkNodeName(node: unknown): asserts node is string {
  if (typeof node !== 'string' || !NODE_NAME_PATTERN.test(node)) {
    throw bad(`boot entry: node name ${JSON.stringify(node)} must be a host name label: 1-63 characters of A-Z a-z 0-9 and inner hyphens`);
  }
}

export function isIpv4(address: string): boolean {
  return IPV4_PATTERN.test(address);
}

export function checkUrl(what: string, url: unknown): asserts url is string {
  if (typeof url !== 'string' || !URL_PATTERN.test(url)) {
    throw bad(`${what}: ${JSON.stringify(url)} is not an http(s) URL without spaces, quotes, commas or control characters`);
  }
}

/**
 * Refuses an entry dnsmasq + iPXE cannot carry faithfully. The MAC is required: dnsmasq ties the
 * node's address and its per-node script URL to the MAC of the NIC that PXE-boots.
 */
export function checkBootEntry(entry: BootEntry): void {
  checkNodeName(entry.node);
  const where = `boot entry for ${entry.node}`;
  if (typeof entry.mac !== 'string' || !MAC_PATTERN.test(entry.mac)) {
    throw bad(`${where}: mac ${JSON.stringify(entry.mac)} must be six hex pairs like 52:54:00:12:34:56 (dnsmasq binds the boot script to it)`);
  }
  if (entry.address !== undefined && !isIpv4(entry.address)) throw bad(`${where}: address ${JSON.stringify(entry.address)} is not an IPv4 address`);
  checkUrl(`${where}: kernelUrl`, entry.kernelUrl);
  checkUrl(`${where}: initrdUrl`, entry.initrdUrl);
  if (typeof entry.cmdline !== 'string' || /[\x00-\x1f\x7f]/.test(entry.cmdline) || entry.cmdline.length > 4096) {
    throw bad(`${where}: cmdline must be one line of at most 4096 characters without control characters`);
  }
  if (typeof entry.rootfsSource !== 'string' || entry.rootfsSource === '') throw bad(`${where}: rootfsSource must be "server" or a relay's name`);
  if (entry.role !== undefined && entry.role !== 'relay' && entry.role !== 'compute') throw bad(`${where}: role must be "relay" or "compute"`);
  if (entry.purpose !== undefined && entry.purpose !== 'deploy' && entry.purpose !== 'commission') throw bad(`${where}: purpose must be "deploy" or "commission"`);
}
