/** The site file: defaults, paths relative to the file, the BMC range, and refusals that name the field. */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { expandIpv4Range, loadSite } from '../../../src/real/site/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'dt-site-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SITE = `name: lab
stateDir: state
bmc:
  range: 10.78.0.11-10.78.0.13
  user: admin
  passwordFile: secrets/bmc
  bootMacs: { 10.78.0.11: "52:54:00:AA:00:01" }
nodes: { prefix: cn, width: 3, bootNetwork: { start: 10.77.0.11, prefixLength: 24 } }
boot: { interface: br0, network: 10.77.0.0, netmask: 255.255.255.0, scripts: { listen: 10.77.0.1:8082 } }
artifacts: { url: http://mirror.example/images }
status: { listen: 10.77.0.1:8081 }
image: { name: img-1, kernel: /srv/kernel, initrd: images/initrd, rootfs: images/rootfs.squashfs }
`;

function siteFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadSite', () => {
  it('fills in defaults and resolves paths against the site file', () => {
    const site = loadSite(siteFile('site.yaml', SITE));
    expect(site.stateDir).toBe(join(dir, 'state'));
    expect(site.bmc).toMatchObject({ addresses: ['10.78.0.11', '10.78.0.12', '10.78.0.13'], port: 623, cipherSuite: 3, passwordFile: join(dir, 'secrets/bmc'), bootMacs: { '10.78.0.11': '52:54:00:aa:00:01' } });
    expect(site.image).toMatchObject({ kernel: '/srv/kernel', initrd: join(dir, 'images/initrd'), scheme: 'http', target: 'ram' });
    expect(site.artifacts).toEqual({ kind: 'external', url: 'http://mirror.example/images' });
    expect(site.status).toEqual({ host: '10.77.0.1', port: 8081, url: 'http://10.77.0.1:8081' });
    expect(site.boot.tftpRoot).toBe(join(dir, 'state/tftp'));
  });

  it('refuses an unknown key and a bad MAC, naming where', () => {
    const bad = siteFile('bad.yaml', SITE.replace('user: admin', 'user: admin\n  pasword: x').replace('52:54:00:AA:00:01', '52:54:00:AA:00'));
    expect(() => loadSite(bad)).toThrow(expect.objectContaining({ code: 'DT_SCENARIO_INVALID', details: expect.arrayContaining([expect.stringContaining('pasword'), expect.stringContaining('bootMacs')]) }));
  });

  it('the CLI exits 2 with one line for a bad site file or a bad --until', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (s: string) => void err.push(s) };
    expect(await main(['real', 'deploy', '--site', join(dir, 'missing.yaml')], io)).toBe(2);
    expect(err[0]).toMatch(/missing\.yaml.*DT_CLI_FILE_NOT_FOUND/);
    expect(await main(['real', 'deploy', '--site', join(dir, 'site.yaml'), '--until', 'boot'], io)).toBe(2);
    expect(err.at(-1)).toMatch(/^deploytwin: --until: expected one of discover, commission, configure, deploy/);
  });
});

describe('expandIpv4Range', () => {
  it('expands first-last in order, across octets', () => {
    expect(expandIpv4Range('10.0.0.254-10.0.1.1', 'r')).toEqual(['10.0.0.254', '10.0.0.255', '10.0.1.0', '10.0.1.1']);
    expect(expandIpv4Range('10.0.0.5', 'r')).toEqual(['10.0.0.5']);
  });

  it('has last - first + 1 addresses, each one more than the one before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 300 }), (a, n) => {
        fc.pre(a + n <= 2 ** 32 - 1);
        const ip = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
        const range = expandIpv4Range(`${ip(a)}-${ip(a + n)}`, 'r');
        expect(range).toHaveLength(n + 1);
        range.forEach((r, i) => expect(r).toBe(ip(a + i)));
      }),
    );
  });

  it('refuses a reversed or oversized range, naming the field', () => {
    expect(() => expandIpv4Range('10.0.0.9-10.0.0.1', 'bmc.range')).toThrow(/bmc\.range: 10\.0\.0\.1 comes before/);
    expect(() => expandIpv4Range('10.0.0.0-10.9.0.0', 'bmc.range')).toThrow(/bmc\.range: \d+ addresses, more than 65536/);
  });
});
