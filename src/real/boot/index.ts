/**
 * Real boot configuration: dnsmasq (DHCP, TFTP, IPv6 RA) and per-node iPXE scripts served over
 * HTTP. See dnsmasq-boot-config.ts for the port, boot-state.ts for the files on disk.
 */
export { DnsmasqBootConfig, type DnsmasqBootConfigOptions } from './dnsmasq-boot-config.ts';
export { DnsmasqProcess, type DnsmasqProcessOptions } from './dnsmasq-process.ts';
export { renderDnsmasqConfig, dnsmasqArgs, type DnsmasqConfigOptions } from './dnsmasq-config.ts';
export { renderDhcpHost } from './dhcp-entries.ts';
export { renderIpxeScript } from './ipxe-script.ts';
export { registerIpxeRoutes, type IpxeRouteOptions } from './ipxe-route.ts';
export { bootStateLayout, ensureBootState, type BootStateLayout } from './boot-state.ts';
export { parseDeploytwinCmdline, statusReportUrl, type DeploytwinCmdline } from './cmdline.ts';
export { parseDhcpAck, type DhcpAck } from './dnsmasq-log.ts';
export { prepareTftpRoot, DEBIAN_IPXE_FILES } from './tftp-root.ts';
export { writeFileIfChanged, removeFileIfPresent } from './atomic-file.ts';
export { checkBootEntry, checkNodeName, NODE_NAME_PATTERN } from './entry-check.ts';
