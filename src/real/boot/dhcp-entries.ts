/**
 * One node's line in dnsmasq's dhcp-hostsfile directory: the MAC of the NIC that PXE-boots, the
 * node's address and its name. dnsmasq sends the name as the DHCP host name (option 12), and the
 * main configuration hands iPXE clients the URL `<script base>/${hostname}.ipxe`, which iPXE
 * expands itself: so the binding alone routes a node to its own script.
 *
 * No per-node tag (`set:<tag>`) goes into the line: dnsmasq 2.90 (Debian 12) aborts on SIGHUP
 * once a client holds a lease from a hostsfile line carrying `set:` (seen here, exit 134), and a
 * reload on every boot entry change is the whole point of the hosts file.
 */
import type { BootEntry } from '../../ports/index.ts';
import { checkBootEntry } from './entry-check.ts';

/** `52:54:00:00:00:01,10.0.0.11,node1` (no address: any address of a dynamic range). */
export function renderDhcpHost(entry: BootEntry): string {
  checkBootEntry(entry);
  const fields = [entry.mac!.toLowerCase()];
  if (entry.address !== undefined) fields.push(entry.address);
  fields.push(entry.node);
  return fields.join(',') + '\n';
}
