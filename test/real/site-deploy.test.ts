/**
 * The end-to-end proof of issue 5: the same orchestrator code the twin runs drives a real PXE
 * mini-cluster through the real adapters, from the CLI users run (`deploytwin real deploy --site`),
 * as a child process inside the cluster's network namespace.
 *
 * Three QEMU VMs (TCG), each behind its own OpenIPMI ipmi_sim BMC whose chassis control starts
 * and kills the VM's qemu. Run 1 (--until configure): discovery over the BMC range (with one
 * silent address), commissioning (the preinstall initrd reports hardware read from /proc and /sys),
 * configuration. Then node3's BMC is stopped. Run 2: SIGKILL as soon as node1 is deployed. Run 3,
 * on the same state directory: resumes and finishes; node3 ends Failed with its BMC's error.
 *
 * Needs root, /dev/net/tun, qemu, ipmi_sim, ipmitool, dnsmasq and the kernel of
 * scripts/install-system-deps.sh; skipped with the reason printed otherwise. Prints per-node,
 * per-phase times next to `deploytwin simulate` of test/real/fixtures/minicluster-twin.yaml:
 * informative only, nothing is asserted on them.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingForNetnsTest } from '../helpers/prerequisites.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_PHASES, type JournalEntry, type NodeRecord } from '../../src/ports/index.ts';
import { WallClock } from '../../src/real/clock.ts';
import { openStore } from '../../src/real/store/open-store.ts';
import { runCli, type CliRun } from './fixtures/site/cli-run.ts';
import { startSiteCluster, type SiteCluster } from './fixtures/site/site-cluster.ts';
import { twinVersusReal } from './fixtures/site/twin-vs-real.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KERNEL_DIR = join(ROOT, '.cache', 'guest-kernel');
const BIN = join(ROOT, 'bin', 'deploytwin.js');
const NODES = 3;
const MEMORY_MIB = 256;

function missingPrerequisites(): string[] {
  return missingForNetnsTest(['qemu-system-x86_64', 'dnsmasq', 'ip', 'busybox', 'mksquashfs', 'cpio', 'ipmi_sim', 'ipmitool', 'setsid'], [join(KERNEL_DIR, 'vmlinuz'), '/usr/lib/ipxe/qemu/pxe-e1000.rom', '/usr/lib/ipxe/undionly.kpxe']);
}

const missing = missingPrerequisites();
if (missing.length > 0) console.warn(`[site-deploy.test] skipped: ${missing.join('; ')} (run scripts/install-system-deps.sh as root)`);

const ID = `sd${process.pid}`.slice(0, 12);
const WORK = join(ROOT, '.cache', 'site-deploy', ID);
const IMAGES = join(ROOT, '.cache', 'site-deploy', 'image');
const SITE_EXTRA = `commission: { parallelism: ${NODES}, timeout: 240 }
deploy: { wave: 1, stagger: 1, attempts: 2, bootTimeout: 240, backoff: 2 }
`;

describe.skipIf(missing.length > 0)('deploytwin real deploy: the orchestrator on a real PXE mini-cluster (3 QEMU VMs, 3 ipmi_sim BMCs)', () => {
  let cluster: SiteCluster | undefined;
  const runs: CliRun[] = [];
  let passed = false;
  const startedAt = Date.now() / 1000;

  const cli = (args: string[], onLine?: (line: string) => void): CliRun => {
    const run = runCli(cluster!.netns, ['real', 'deploy', '--site', cluster!.siteFile, ...args], join(cluster!.work, 'logs', 'cli.log'), onLine);
    runs.push(run);
    return run;
  };
  const readStore = async (): Promise<{ entries: JournalEntry[]; nodes: NodeRecord[] }> => {
    const store = openStore(join(cluster!.stateDir, 'deploytwin.sqlite'), new WallClock());
    try {
      return { entries: await store.journal.entries(), nodes: await store.inventory.nodes() };
    } finally {
      store.close();
    }
  };

  beforeAll(async () => {
    // The image command users run; cached between runs (inputs unchanged: nothing rebuilt).
    const built = spawnSync(process.execPath, [BIN, 'image', 'build', '--out', IMAGES, '--kernel-dir', KERNEL_DIR], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    expect(built.status, built.stderr).toBe(0);
    cluster = await startSiteCluster({ id: ID, work: WORK, nodes: NODES, imagesDir: IMAGES, memoryMiB: MEMORY_MIB, extra: SITE_EXTRA });
  }, 180_000);

  afterAll(async () => {
    for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await Promise.all(runs.map((r) => r.done));
    await cluster?.down();
    // Set DT_SITE_KEEP=1 to keep the logs (CLI output, serial consoles, BMC chassis logs, journal) of a passing run.
    if (passed && process.env.DT_SITE_KEEP !== '1') rmSync(WORK, { recursive: true, force: true });
    else console.warn(`[site-deploy.test] logs and state kept in ${WORK}`);
  }, 60_000);

  it('discovers, commissions, configures and deploys; survives SIGKILL mid-deployment; fails only the node whose BMC is gone', async () => {
    const c = cluster!;
    const [vm1, vm2, vm3] = c.vms;

    // Run 1: discovery, commissioning, configuration.
    const first = cli(['--until', 'configure']);
    const r1 = await first.done;
    expect(r1, first.stderrLines.slice(-20).join('\n')).toEqual({ code: 0, signal: null });
    const afterCommission = await readStore();
    expect(afterCommission.entries.filter((e) => e.type === 'discover.bmc').map((e) => e.data?.address)).toEqual(c.bmcs.map((b) => b.address));
    for (const vm of c.vms) {
      const node = afterCommission.nodes.find((n) => n.name === vm.name);
      expect(node?.hardware, `${vm.name} in the inventory`).toBeDefined();
      expect(node!.hardware!.macs).toContain(vm.mac);
      expect(node!.hardware!.cpus).toBe(Number(vm.command[vm.command.indexOf('-smp') + 1]));
      expect(node!.hardware!.memoryBytes).toBe(MEMORY_MIB * 1024 * 1024);
      expect(node!.bmc).toBe(c.bmcs[c.vms.indexOf(vm)].address);
    }

    // node3's BMC stops answering before the deployment.
    await c.bmcs[2].stop();

    // Run 2: killed as soon as node1 is deployed.
    let killedAt = 0;
    const second = cli([], (line) => {
      if (killedAt === 0 && line.includes(` node.state ${vm1.name} {"state":"deployed"}`)) {
        killedAt = Date.now() / 1000;
        process.kill(second.child.pid!, 'SIGKILL');
      }
    });
    const r2 = await second.done;
    expect(r2.signal, `run 2 should have been killed mid-deployment: ${second.stderrLines.slice(-10).join('\n')}`).toBe('SIGKILL');
    const node1PowerOns = c.bmcs[0].powerOns().length;
    const atKill = await readStore();
    const stateAtKill = (node: string) => atKill.entries.filter((e) => e.type === 'node.state' && e.node === node).at(-1)?.data?.state;
    expect(stateAtKill(vm1.name)).toBe('deployed');
    expect(stateAtKill(vm2.name), 'node2 must not be finished when the orchestrator dies').not.toBe('deployed');

    // Run 3: the same command on the same state directory resumes and completes.
    const resumeFrom = atKill.entries.at(-1)!.seq;
    const third = cli(['--json']);
    const r3 = await third.done;
    // Exit 1: a node failed (node3), the others deployed.
    expect(r3, third.stderrLines.slice(-20).join('\n')).toEqual({ code: 1, signal: null });
    const result = JSON.parse(third.stdout) as { deploy: Record<string, { state: string; reason?: string }> };
    expect(result.deploy[vm1.name].state).toBe('deployed');
    expect(result.deploy[vm2.name].state).toBe('deployed');
    expect(result.deploy[vm3.name].state).toBe('failed');
    expect(result.deploy[vm3.name].reason).toMatch(/DT_IPMI_\w+/);

    const { entries } = await readStore();
    const endedAt = Date.now() / 1000;
    const resumed = entries.filter((e) => e.seq > resumeFrom);
    // A finished node is never powered again: not in the journal, not at its BMC.
    expect(resumed.filter((e) => e.node === vm1.name && /^power\.|^commission\.power/.test(e.type))).toEqual([]);
    expect(c.bmcs[0].powerOns().length).toBe(node1PowerOns);
    expect(c.bmcs[0].log().filter((l) => l === 'set power 1')).toHaveLength(2); // commissioning + deployment

    // The journal: every power action and phase, with wall-clock times, in order.
    for (const e of entries) {
      expect(e.at).toBeGreaterThanOrEqual(startedAt);
      expect(e.at).toBeLessThanOrEqual(endedAt);
    }
    for (let i = 1; i < entries.length; i++) expect(entries[i].at).toBeGreaterThanOrEqual(entries[i - 1].at - 0.001);
    for (const vm of c.vms) expect(entries.filter((e) => e.type === 'commission.power' && e.node === vm.name).length).toBeGreaterThanOrEqual(1);
    for (const vm of [vm1, vm2]) {
      const on = entries.filter((e) => e.type === 'power.on' && e.node === vm.name);
      expect(on.length, `${vm.name} power.on entries`).toBeGreaterThanOrEqual(1);
      const reports = entries.filter((e) => e.type === 'phase.report' && e.node === vm.name);
      const booted = reports.filter((e) => e.data?.phase === 'booted');
      // Commissioning: the boot loader's phases, then "booted" with the hardware report.
      expect(reports.filter((e) => e.data?.boot === booted[0].data?.boot).map((e) => e.data?.phase)).toEqual(['dhcp', 'bootloader', 'kernel', 'initrd', 'booted']);
      // Deployment: every phase, in order, after the last power-on.
      const deployBoot = booted.at(-1)!;
      const phases = reports.filter((e) => e.data?.boot === deployBoot.data?.boot);
      expect(phases.map((e) => e.data?.phase), `${vm.name}'s deployment reports`).toEqual([...NODE_PHASES]);
      expect(phases[0].at).toBeGreaterThanOrEqual(on.at(-1)!.at);
      expect(String(deployBoot.data?.detail)).toMatch(/release:minicluster-1$/);
    }
    const failed = entries.filter((e) => e.type === 'node.state' && e.node === vm3.name).at(-1);
    expect(failed?.data).toMatchObject({ state: 'failed' });
    expect(String(failed?.data?.reason)).toMatch(/DT_IPMI_/);

    // Twin versus reality (printed, not asserted).
    const twin = spawnSync(process.execPath, [BIN, 'simulate', join(ROOT, 'test', 'real', 'fixtures', 'minicluster-twin.yaml'), '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(twin.status, twin.stderr).toBe(0);
    const stageTimes = entries.filter((e) => e.type === 'site.stage').map((e) => `${String(e.data?.stage)} ${String(e.data?.event)} +${(e.at - startedAt).toFixed(1)} s`);
    console.log(`${twinVersusReal(entries, JSON.parse(twin.stdout), [vm1.name, vm2.name])}\nstages (wall clock from the test's start): ${stageTimes.join(', ')}\nnode1 killed at +${(killedAt - startedAt).toFixed(1)} s`);
    passed = true;
  }, 600_000);
});
