import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BootEntry } from '../../../src/ports/index.ts';
import { NODE_NAME_PATTERN, parseDeploytwinCmdline, parseDhcpAck, renderDhcpHost, statusReportUrl } from '../../../src/real/boot/index.ts';

const entry: BootEntry = { node: 'cn001', mac: '52:54:00:AB:00:01', address: '10.77.0.11', kernelUrl: 'http://s/k', initrdUrl: 'http://s/i', cmdline: '', rootfsSource: 'server' };

describe('dnsmasq hosts line', () => {
  it('golden: binds the lower-cased MAC to the address and the node name, with no tag', () => {
    expect(renderDhcpHost(entry)).toBe('52:54:00:ab:00:01,10.77.0.11,cn001\n');
    expect(renderDhcpHost({ ...entry, address: undefined })).toBe('52:54:00:ab:00:01,cn001\n');
  });

  it.each(['cn_1', 'cn.1', '-cn1', 'cn1-', 'a'.repeat(64)])('refuses %s: not a host name label dnsmasq can send', (node) => {
    expect(() => renderDhcpHost({ ...entry, node })).toThrow(expect.objectContaining({ code: 'DT_BOOT_BAD_ENTRY' }));
  });

  it('property: every valid node name gives one line of exactly three or two comma-separated fields', () => {
    fc.assert(
      fc.property(fc.stringMatching(NODE_NAME_PATTERN), fc.boolean(), (node, withAddress) => {
        const line = renderDhcpHost({ ...entry, node, address: withAddress ? '10.0.0.1' : undefined });
        expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
        expect(line.trimEnd().split(',')).toHaveLength(withAddress ? 3 : 2);
      }),
    );
  });
});

describe('parseDeploytwinCmdline', () => {
  it('reads the keys the provisioning schemes write, the boot counter and root=live', () => {
    expect(
      parseDeploytwinCmdline('root=live:http://s:8080/images/a/rootfs rd.live.ram=1 deploytwin.target=ram deploytwin.status=http://s:8080// deploytwin.token=T deploytwin.node=cn1 deploytwin.boot=12 quiet'),
    ).toEqual({ rootfsUrl: 'http://s:8080/images/a/rootfs', target: 'ram', statusUrl: 'http://s:8080', token: 'T', node: 'cn1', boot: 12 });
  });

  it('ignores a boot counter that is not a whole number and other root= forms; the last key wins', () => {
    expect(parseDeploytwinCmdline('root=/dev/nfs deploytwin.boot=x deploytwin.node=a deploytwin.node=b')).toEqual({ node: 'b' });
  });

  it('builds report URLs in the status endpoint query form', () => {
    expect(statusReportUrl('http://s:1', 'cn1', 'T', 4)).toBe('http://s:1/status?node=cn1&boot=4&token=T&phase=');
    expect(statusReportUrl('http://s:1', 'cn1', undefined, undefined)).toBe('http://s:1/status?node=cn1&phase=');
  });
});

describe('parseDhcpAck', () => {
  it('reads a DHCPACK line of dnsmasq log-dhcp output, with or without a host name', () => {
    expect(parseDhcpAck('dnsmasq-dhcp[10775]: 1517701923 DHCPACK(br0) 10.77.0.11 52:54:00:77:00:01 node1')).toEqual({ interface: 'br0', address: '10.77.0.11', mac: '52:54:00:77:00:01', hostname: 'node1' });
    expect(parseDhcpAck('dnsmasq-dhcp[1]: 42 DHCPACK(eth0) 10.0.0.5 AA:BB:CC:DD:EE:FF')).toEqual({ interface: 'eth0', address: '10.0.0.5', mac: 'aa:bb:cc:dd:ee:ff' });
    expect(parseDhcpAck('dnsmasq-dhcp[1]: 42 DHCPOFFER(eth0) 10.0.0.5 aa:bb:cc:dd:ee:ff')).toBeUndefined();
  });
});
