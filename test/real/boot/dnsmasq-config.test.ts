import { describe, expect, it } from 'vitest';
import { bootStateLayout, dnsmasqArgs, renderDnsmasqConfig, type DnsmasqConfigOptions } from '../../../src/real/boot/index.ts';

const state = bootStateLayout('/srv/dt/boot');
const base: DnsmasqConfigOptions = { interface: 'br0', network: '10.77.0.0', netmask: '255.255.255.0', state, tftpRoot: '/srv/dt/tftp', ipxeScriptBaseUrl: 'http://10.77.0.1:8080/boot/' };

const HEAD = [
  '# deploytwin network boot (generated). Per-node bindings: the dhcp-hostsfile directory, re-read on SIGHUP.',
  'port=0',
  'interface=br0',
  'bind-interfaces',
  'pid-file=',
  'log-facility=-',
  'log-dhcp',
  'dhcp-authoritative',
];
const FILES = ['dhcp-leasefile=/srv/dt/boot/leases', 'dhcp-hostsfile=/srv/dt/boot/hosts', 'dhcp-optsfile=/srv/dt/boot/reload-marker'];
const SCRIPT = 'dhcp-boot=tag:ipxe,tag:known,http://10.77.0.1:8080/boot/${hostname}.ipxe';
const MATCH = ['dhcp-userclass=set:ipxe,iPXE', 'dhcp-match=set:ipxe,175', 'dhcp-match=set:efi64,option:client-arch,7', 'dhcp-match=set:efi64,option:client-arch,9'];

describe('renderDnsmasqConfig', () => {
  it('golden: static bindings only, TFTP for legacy and UEFI PXE ROMs, the node script URL for iPXE, router advertisements', () => {
    expect(renderDnsmasqConfig(base)).toBe(
      [
        ...HEAD,
        'dhcp-range=10.77.0.0,static,255.255.255.0,3600',
        ...FILES,
        ...MATCH,
        'enable-tftp',
        'tftp-root=/srv/dt/tftp',
        'dhcp-boot=tag:!ipxe,tag:!efi64,undionly.kpxe',
        'dhcp-boot=tag:!ipxe,tag:efi64,ipxe.efi',
        SCRIPT,
        'enable-ra',
        'dhcp-range=::,constructor:br0,ra-only',
        '',
      ].join('\n'),
    );
  });

  it('golden: a dynamic range, a script for unknown iPXE clients, no TFTP, no RA, a user, other boot files', () => {
    const text = renderDnsmasqConfig({
      ...base,
      interface: 'eth1',
      dynamicRange: { start: '10.77.0.100', end: '10.77.0.199' },
      leaseTime: 600,
      tftpRoot: undefined,
      unknownIpxeUrl: 'http://10.77.0.1:8080/boot/discover.ipxe',
      ipv6RouterAdvertisements: false,
      user: 'root',
      leaseFile: '/run/dt/leases',
    });
    expect(text).toBe(
      [
        ...HEAD.map((l) => l.replace('interface=br0', 'interface=eth1')),
        'user=root',
        'dhcp-range=10.77.0.100,10.77.0.199,255.255.255.0,600',
        'dhcp-leasefile=/run/dt/leases',
        ...FILES.slice(1),
        ...MATCH,
        SCRIPT,
        'dhcp-boot=tag:ipxe,tag:!known,http://10.77.0.1:8080/boot/discover.ipxe',
        '',
      ].join('\n'),
    );
    expect(renderDnsmasqConfig({ ...base, legacyBootFile: 'ipxe.pxe', efiBootFile: 'snponly.efi' })).toContain('dhcp-boot=tag:!ipxe,tag:!efi64,ipxe.pxe\ndhcp-boot=tag:!ipxe,tag:efi64,snponly.efi\n');
  });

  it.each([
    ['an interface with a comma', { interface: 'br0,eth0' }],
    ['a network that is no IPv4 address', { network: '10.77.0' }],
    ['a bad range end', { dynamicRange: { start: '10.77.0.10', end: '10.77.0.300' } }],
    ['a lease under two minutes', { leaseTime: 60 }],
    ['a fractional lease', { leaseTime: 3600.5 }],
    ['a TFTP root with a space', { tftpRoot: '/srv/my tftp' }],
    ['an unknown-client URL with a comma', { unknownIpxeUrl: 'http://s/a,b' }],
    ['no HTTP script base', { ipxeScriptBaseUrl: 'tftp://s/boot' }],
  ])('refuses %s with BOOT_BAD_CONFIG or BOOT_BAD_ENTRY', (_what, change) => {
    expect(() => renderDnsmasqConfig({ ...base, ...change } as DnsmasqConfigOptions)).toThrow(expect.objectContaining({ kind: 'usage', code: expect.stringMatching(/^DT_BOOT_BAD_(CONFIG|ENTRY)$/) }));
  });

  it('runs dnsmasq in the foreground on the given file', () => {
    expect(dnsmasqArgs('/srv/dt/dnsmasq.conf')).toEqual(['--keep-in-foreground', '--conf-file=/srv/dt/dnsmasq.conf']);
  });
});
