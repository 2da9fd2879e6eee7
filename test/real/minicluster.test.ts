/**
 * The real PXE mini-cluster (issue 5): a network namespace with dnsmasq (DHCP, TFTP, RA), an HTTP
 * server and two QEMU VMs under TCG that PXE-boot Debian's kernel and an initrd built here, fetch
 * a SquashFS rootfs over HTTP, mount it under an overlay and switch_root into it. Each VM must
 * report dhcp, bootloader, kernel, initrd, rootfs, mounted, booted, in that order, for boot 1,
 * and then power itself off. Needs root, /dev/net/tun, qemu and the packages of
 * scripts/install-system-deps.sh; skipped with the reason printed otherwise. Prints per-phase
 * timings (wall clock, TCG, shared CPU): informative only, nothing is asserted on them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingForNetnsTest } from '../helpers/prerequisites.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisioningScheme } from '../../src/orchestrator/provisioning.ts';
import { NODE_PHASES, type BootEntry, type PublishedImage } from '../../src/ports/index.ts';
import { parseDhcpAck } from '../../src/real/boot/index.ts';
import { buildGuestImage, MiniCluster, type GuestImage } from '../../src/real/minicluster/index.ts';
import { startFixtureHttp, type FixtureHttp } from './fixtures/minicluster/fixture-http.ts';
import { timingTable } from './fixtures/minicluster/timings.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KERNEL_DIR = join(ROOT, '.cache', 'guest-kernel');

function missingPrerequisites(): string[] {
  return missingForNetnsTest(['qemu-system-x86_64', 'dnsmasq', 'ip', 'busybox', 'mksquashfs', 'cpio'], [join(KERNEL_DIR, 'vmlinuz'), '/usr/lib/ipxe/qemu/pxe-e1000.rom', '/usr/lib/ipxe/undionly.kpxe']);
}

const missing = missingPrerequisites();
if (missing.length > 0) console.warn(`[minicluster.test] skipped: ${missing.join('; ')} (run scripts/install-system-deps.sh as root)`);

const ID = `mc${process.pid}`.slice(0, 12);
const WORK = join(ROOT, '.cache', 'minicluster', ID);
const IMAGES = join(ROOT, '.cache', 'minicluster', `${ID}-images`);
const BOOT_TIMEOUT_S = 240;

function published(image: GuestImage, baseUrl: string): PublishedImage {
  const file = (path: string) => ({ path, bytes: statSync(path).size, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') });
  return {
    image: { name: 'minicluster', kernel: file(image.kernel), initrd: file(image.initrd), rootfs: { ...file(image.rootfs), format: 'squashfs' } },
    kernelUrl: `${baseUrl}/images/kernel`,
    initrdUrl: `${baseUrl}/images/initrd`,
    rootfsUrl: `${baseUrl}/images/rootfs.squashfs`,
  };
}

describe.skipIf(missing.length > 0)('real PXE mini-cluster (2 QEMU VMs, TCG)', () => {
  const token = randomBytes(24).toString('base64url');
  let cluster: MiniCluster | undefined;
  let http: FixtureHttp | undefined;
  const acks: Array<{ mac: string; address: string; at: number }> = [];
  let passed = false;

  beforeAll(async () => {
    const image = await buildGuestImage({ kernelRoot: join(KERNEL_DIR, 'root'), vmlinuz: join(KERNEL_DIR, 'vmlinuz'), outDir: IMAGES });
    cluster = await MiniCluster.up({
      id: ID,
      workDir: WORK,
      nodes: 2,
      imagesDir: IMAGES,
      startHttp: async (ctx) => (http = await startFixtureHttp(ctx, token)),
    });
    cluster.dnsmasq!.onLine((line) => {
      const ack = parseDhcpAck(line);
      if (ack !== undefined) acks.push({ mac: ack.mac, address: ack.address, at: Date.now() / 1000 });
    });
    const image1 = published(image, http!.baseUrl);
    const scheme = provisioningScheme('http');
    for (const vm of cluster.vms) {
      const entry: BootEntry = scheme.entry(vm.name, 'server', 'compute', { image: image1, target: 'ram', statusUrl: http!.baseUrl, token });
      entry.mac = vm.mac;
      entry.address = vm.address;
      entry.cmdline += ' deploytwin.boot=1 console=ttyS0 quiet panic=-1';
      await cluster.bootConfig!.write(entry);
    }
  }, 180_000);

  afterAll(async () => {
    await cluster?.down();
    // Set DT_MINICLUSTER_KEEP=1 to keep the logs (serial consoles, dnsmasq.conf, HTTP log) of a passing run.
    if (passed && process.env.DT_MINICLUSTER_KEEP !== '1') {
      await rm(IMAGES, { recursive: true, force: true });
      await rm(WORK, { recursive: true, force: true });
    } else console.warn(`[minicluster.test] logs kept in ${WORK}/logs`);
  }, 60_000);

  it('each VM PXE-boots, reports dhcp..booted in order for boot 1, then powers off', async () => {
    const c = cluster!;
    await Promise.all(c.vms.map((vm) => c.powerOn(vm.name)));
    const finished = (node: string) => http!.reports.some((r) => r.node === node && (r.phase === 'booted' || r.phase === 'failed'));
    const deadline = Date.now() + BOOT_TIMEOUT_S * 1000;
    while (!c.vms.every((vm) => finished(vm.name) || !c.running.get(vm.name)!.running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    // A VM that reported "booted" powers itself off: qemu exits.
    await Promise.all(c.vms.map((vm) => Promise.race([c.running.get(vm.name)!.exited, new Promise((r) => setTimeout(r, 20_000))])));

    console.log(timingTable(c, http!.reports, http!.requests, acks));
    for (const vm of c.vms) {
      const mine = http!.reports.filter((r) => r.node === vm.name);
      expect(mine.map((r) => r.phase), `${vm.name}'s reports (serial log: ${vm.spec.serialLog})`).toEqual([...NODE_PHASES]);
      expect(mine.every((r) => r.boot === 1)).toBe(true);
      expect(mine.find((r) => r.phase === 'dhcp')!.detail).toBe(vm.address);
      expect(mine.find((r) => r.phase === 'booted')!.detail).toMatch(/release:minicluster-1$/);
      expect(acks.some((a) => a.mac === vm.mac && a.address === vm.address)).toBe(true);
      expect(c.running.get(vm.name)!.running, `${vm.name} should have powered off`).toBe(false);
    }
    passed = true;
  }, (BOOT_TIMEOUT_S + 40) * 1000);
});
