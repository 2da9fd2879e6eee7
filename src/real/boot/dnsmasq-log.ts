/**
 * Facts read off dnsmasq's log lines (log-facility=-, log-dhcp). The DHCPACK line is the server's
 * own record that a client finished DHCP: the mini-cluster uses it to time the dhcp phase apart
 * from the moment the node's boot script reports it.
 *
 *   dnsmasq-dhcp[123]: 1517701923 DHCPACK(br0) 10.77.0.11 52:54:00:77:00:01 node1
 */
export interface DhcpAck {
  interface: string;
  address: string;
  mac: string;
  hostname?: string;
}

const ACK = /DHCPACK\(([^)]+)\) (\d+\.\d+\.\d+\.\d+) ([0-9a-f]{2}(?::[0-9a-f]{2}){5})(?: (\S+))?\s*$/i;

/** The DHCPACK a log line records, if it records one. */
export function parseDhcpAck(line: string): DhcpAck | undefined {
  const m = ACK.exec(line);
  if (m === null) return undefined;
  const ack: DhcpAck = { interface: m[1], address: m[2], mac: m[3].toLowerCase() };
  if (m[4] !== undefined) ack.hostname = m[4];
  return ack;
}

/** Whether dnsmasq logged that it (re)read `file` (it does for each hosts/options file it loads). */
export function isReadOf(line: string, file: string): boolean {
  return line.endsWith(`read ${file}`);
}

/** dnsmasq's first log line once its sockets are set up. */
export function isStarted(line: string): boolean {
  return /: started, version /.test(line);
}
