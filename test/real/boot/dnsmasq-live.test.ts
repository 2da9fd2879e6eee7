/**
 * The boot configuration against a real dnsmasq, without VMs: a server namespace (bridge, dnsmasq
 * from DnsmasqProcess) and a client namespace joined to it by a veth pair, where busybox udhcpc
 * plays a PXE ROM (no user class), a UEFI PXE ROM (client arch 7) and iPXE (user class "iPXE").
 * Proves the generated configuration: bindings and script URLs appear and disappear on reload
 * without a restart, legacy ROMs get the TFTP boot file and TFTP serves it, IPv6 router
 * advertisements reach the client. Needs root, dnsmasq, busybox and Debian's ipxe package.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootEntry } from '../../../src/ports/index.ts';
import { DnsmasqBootConfig, DnsmasqProcess, prepareTftpRoot, renderDnsmasqConfig } from '../../../src/real/boot/index.ts';
import { deleteNetns, runCommand } from '../../../src/real/minicluster/index.ts';

const why = [
  process.getuid?.() !== 0 && 'not root',
  !existsSync('/usr/sbin/dnsmasq') && 'dnsmasq missing',
  !existsSync('/bin/busybox') && 'busybox missing',
  !existsSync('/usr/lib/ipxe/undionly.kpxe') && 'Debian ipxe package missing',
].filter(Boolean);
if (why.length > 0) console.warn(`[dnsmasq-live.test] skipped: ${why.join(', ')} (run scripts/install-system-deps.sh as root)`);

const S = `dt-dls${process.pid}`.slice(0, 15);
const C = `dt-dlc${process.pid}`.slice(0, 15);
const MAC = '52:54:00:78:00:01';
const URL_BASE = 'http://10.78.0.1:8080/boot';
const IPXE_USER_CLASS = '0x4d:69505845'; // option 77 = "iPXE"
const EFI_X64 = '0x5d:0007'; // option 93, client architecture 7
/** The boot file name: dnsmasq puts it in option 67 when the client asks for that option (udhcpc -O bootfile), else in the BOOTP file field. */
const bootFile = (env: Record<string, string> | undefined): string | undefined => env?.bootfile ?? env?.boot_file;
const net = { interface: 'br0', network: '10.78.0.0', netmask: '255.255.255.0', ipxeScriptBaseUrl: URL_BASE };

describe.skipIf(why.length > 0)('dnsmasq boot configuration, live', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dt-dnsmasq-live-'));
  let dnsmasq: DnsmasqProcess | undefined;
  let config: DnsmasqBootConfig;
  const entry: BootEntry = { node: 'cn1', mac: MAC, address: '10.78.0.11', kernelUrl: 'http://10.78.0.1:8080/k', initrdUrl: 'http://10.78.0.1:8080/i', cmdline: 'quiet', rootfsSource: 'server' };

  /** One DHCP exchange from the client namespace; the environment udhcpc handed its script, or undefined without a lease. */
  function dhcp(...extra: string[]): Record<string, string> | undefined {
    const out = join(dir, 'lease.env');
    rmSync(out, { force: true });
    try {
      execFileSync('ip', ['netns', 'exec', C, 'busybox', 'udhcpc', '-i', 'vc', '-f', '-q', '-n', '-t', '3', '-T', '1', '-O', 'bootfile', '-s', join(dir, 'dump.sh'), ...extra.flatMap((x) => ['-x', x])], { stdio: 'ignore', env: { ...process.env, DUMP: out } });
    } catch {
      return undefined;
    }
    return Object.fromEntries(readFileSync(out, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  }

  beforeAll(async () => {
    // dnsmasq reads its files as "nobody" (mkdtemp makes 0700 directories).
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'dump.sh'), '#!/bin/sh\n[ "$1" = bound ] && env > "$DUMP"\nexit 0\n');
    chmodSync(join(dir, 'dump.sh'), 0o755);
    for (const cmd of [
      ['ip', 'netns', 'add', S],
      ['ip', 'netns', 'add', C],
      ['ip', '-n', S, 'link', 'add', 'br0', 'type', 'bridge'],
      ['ip', '-n', S, 'addr', 'add', '10.78.0.1/24', 'dev', 'br0'],
      ['ip', '-n', S, 'addr', 'add', 'fd78::1/64', 'dev', 'br0', 'nodad'],
      ['ip', '-n', S, 'link', 'set', 'br0', 'up'],
      ['ip', '-n', S, 'link', 'add', 'vs', 'type', 'veth', 'peer', 'name', 'vc', 'netns', C],
      ['ip', '-n', S, 'link', 'set', 'vs', 'master', 'br0', 'up'],
      ['ip', '-n', C, 'link', 'set', 'vc', 'address', MAC, 'up'],
    ]) await runCommand(cmd);
    await prepareTftpRoot(join(dir, 'tftp'));
    config = await DnsmasqBootConfig.open({ stateDir: join(dir, 'state'), scriptBaseUrl: URL_BASE, reload: () => dnsmasq!.reload() });
    writeFileSync(join(dir, 'dnsmasq.conf'), renderDnsmasqConfig({ ...net, state: config.layout, tftpRoot: join(dir, 'tftp') }));
    dnsmasq = await DnsmasqProcess.start({ confPath: join(dir, 'dnsmasq.conf'), netns: S, reloadMarker: config.layout.reloadMarker });
  }, 60_000);

  afterAll(async () => {
    await dnsmasq?.stop();
    await deleteNetns(S);
    await deleteNetns(C);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('starts in the namespace, serving DHCP and router advertisements', () => {
    expect(dnsmasq!.running).toBe(true);
    expect(dnsmasq!.log.some((l) => l.includes('started, version'))).toBe(true);
    expect(dnsmasq!.log.some((l) => l.includes('router advertisement on fd78::'))).toBe(true);
  });

  it('gives nothing to an unknown client (static bindings only)', () => {
    expect(dhcp(IPXE_USER_CLASS)).toBeUndefined();
  });

  it('after write + reload (no restart): iPXE gets the node address and its script URL, PXE ROMs the TFTP boot file', async () => {
    const pid = dnsmasq!.pid;
    await config.write(entry);
    const ipxe = dhcp(IPXE_USER_CLASS);
    expect(ipxe?.ip).toBe('10.78.0.11');
    expect(ipxe?.hostname).toBe('cn1');
    // iPXE expands ${hostname} with the host name dnsmasq sent: cn1, so it fetches .../cn1.ipxe.
    expect(bootFile(ipxe)).toBe(`${URL_BASE}/\${hostname}.ipxe`);
    const legacy = dhcp();
    expect(legacy?.ip).toBe('10.78.0.11');
    expect(bootFile(legacy)).toBe('undionly.kpxe');
    expect(legacy?.siaddr).toBe('10.78.0.1');
    expect(bootFile(dhcp(EFI_X64))).toBe('ipxe.efi');
    expect(dnsmasq!.pid).toBe(pid);
  }, 30_000);

  it('serves the legacy boot file over TFTP', async () => {
    await runCommand(['ip', '-n', C, 'addr', 'replace', '10.78.0.50/24', 'dev', 'vc']);
    const got = join(dir, 'undionly.kpxe');
    await runCommand(['ip', 'netns', 'exec', C, 'busybox', 'tftp', '-g', '-r', 'undionly.kpxe', '-l', got, '10.78.0.1']);
    await runCommand(['ip', '-n', C, 'addr', 'del', '10.78.0.50/24', 'dev', 'vc']);
    expect(readFileSync(got).equals(readFileSync('/usr/lib/ipxe/undionly.kpxe'))).toBe(true);
  }, 30_000);

  it('router advertisements give the client an IPv6 address in the bridge prefix', async () => {
    let addrs = '';
    for (let i = 0; i < 40 && !addrs.includes('inet6 fd78::'); i++) {
      addrs = await runCommand(['ip', '-n', C, '-6', 'addr', 'show', 'dev', 'vc']);
      if (!addrs.includes('inet6 fd78::')) await new Promise((r) => setTimeout(r, 250));
    }
    expect(addrs).toContain('inet6 fd78::5054:ff:fe78:1/64');
  }, 20_000);

  it('a changed address and then a removal take effect at the next reload, with leases held (dnsmasq survives)', async () => {
    // Regression: with `set:<tag>` in a hosts line, dnsmasq 2.90 aborted on this SIGHUP.
    const pid = dnsmasq!.pid;
    await config.write({ ...entry, address: '10.78.0.21' });
    expect(dhcp(IPXE_USER_CLASS)?.ip).toBe('10.78.0.21');
    await config.remove('cn1');
    expect(dhcp(IPXE_USER_CLASS)).toBeUndefined();
    expect(dnsmasq!.running).toBe(true);
    expect(dnsmasq!.pid).toBe(pid);
  }, 30_000);

  it('fails to start with the reason dnsmasq gave, and cannot reload once stopped', async () => {
    const bad = join(dir, 'bad.conf');
    writeFileSync(bad, renderDnsmasqConfig({ ...net, interface: 'nosuch0', state: config.layout, ipv6RouterAdvertisements: false }));
    await expect(DnsmasqProcess.start({ confPath: bad, netns: S })).rejects.toMatchObject({ code: 'DT_BOOT_DNSMASQ_START_FAILED', message: expect.stringMatching(/nosuch0/) });
    await expect(DnsmasqProcess.start({ confPath: bad, netns: 'dt-no-such-ns' })).rejects.toMatchObject({ code: 'DT_BOOT_DNSMASQ_START_FAILED' });
    const second = await DnsmasqProcess.start({ confPath: join(dir, 'dnsmasq.conf'), netns: C, readyTimeout: 2 }).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: expect.stringMatching(/^DT_BOOT_DNSMASQ_(START_FAILED|NOT_READY)$/) });
    const d = dnsmasq!;
    await d.stop();
    expect(d.running).toBe(false);
    await expect(d.reload()).rejects.toMatchObject({ code: 'DT_BOOT_DNSMASQ_NOT_RUNNING' });
    await d.stop();
  }, 30_000);
});
