/**
 * The deployment stage's controls, on the twin: caps per rack, per rootfs source and on BMC
 * commands in flight are never exceeded; power-ons are spaced by the stagger whoever asks;
 * relays become compute nodes once their group is done; provisioning schemes write the entries
 * their tools expect and refuse impossible plans.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deployCluster, describeDeployment } from '../../src/orchestrator/deploy-cluster.ts';
import { provisioningScheme, SCHEME_NAMES } from '../../src/orchestrator/provisioning.ts';
import type { JournalEntry, Power } from '../../src/ports/index.ts';
import { clusterDeploymentOf } from '../../src/twin/deployment/orchestrated-run.ts';
import { twinPorts } from '../../src/twin/ports/twin-ports.ts';
import { errorOf } from '../helpers/error-of.ts';
import { smallCluster } from '../helpers/small-cluster.ts';

type Options = Partial<ReturnType<typeof clusterDeploymentOf>['options']>;

async function run(nodes: number, relays: number, options: Options, seed = 1) {
  const scenario = smallCluster({ nodes, seed, hardware: ['post: { dist: uniform, min: 20s, max: 40s }'], boot: ['pxe: ipxe'] });
  const deployment = clusterDeploymentOf({ ...scenario, deploy: { ...scenario.deploy, relays } });
  deployment.options = { ...deployment.options, ...options };
  const ports = twinPorts(scenario);
  // Count BMC commands in flight as the twin's BMCs see them.
  let inFlight = 0;
  let peakCommands = 0;
  const counted = new Proxy(ports.power, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        peakCommands = Math.max(peakCommands, ++inFlight);
        try {
          return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          inFlight--;
        }
      };
    },
  }) as Power;
  const p = ports.twin.engine.process(() => deployCluster({ ...ports, power: counted }, deployment));
  await ports.twin.engine.run();
  const states = await p.finished;
  return { states, journal: await ports.journal.entries(), peakCommands, deployment, ports };
}

/** Highest number of nodes between first power-on and a terminal state, per key. */
function peakInFlight(journal: readonly JournalEntry[], keyOf: (node: string) => string): number {
  const now = new Map<string, number>();
  const started = new Set<string>();
  let peak = 0;
  for (const e of journal) {
    if (e.type !== 'node.state' || e.node === undefined) continue;
    const state = (e.data as { state: string }).state;
    const k = keyOf(e.node);
    if (state === 'powering-on' && !started.has(e.node)) {
      started.add(e.node);
      now.set(k, (now.get(k) ?? 0) + 1);
      peak = Math.max(peak, now.get(k)!);
    }
    if (state === 'deployed' || state === 'failed') now.set(k, now.get(k)! - 1);
  }
  return peak;
}

describe('deployment caps', () => {
  it('never has more nodes in flight per rack, per source, or BMC commands than their caps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 5, max: 16 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), async (nodes, relays, perRack, perSource, bmc) => {
        const racks = Math.ceil(nodes / 4);
        const r = await run(nodes, Math.min(relays, racks), { perRack, perSource, bmcCommands: bmc });
        expect([...r.states.values()].every((s) => s.state === 'deployed')).toBe(true);
        const rack = new Map(r.deployment.nodes.map((n) => [n.name, n.rack]));
        expect(peakInFlight(r.journal, (n) => String(rack.get(n)))).toBeLessThanOrEqual(perRack);
        const source = new Map<string, string>();
        for (const e of r.journal) if (e.type === 'boot.write') source.set(e.node!, String((e.data as { source: string }).source));
        expect(peakInFlight(r.journal, (n) => source.get(n)!)).toBeLessThanOrEqual(perSource);
        expect(r.peakCommands).toBeLessThanOrEqual(bmc);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('the caps bind: a per-rack cap of 1 deploys a rack one node at a time', async () => {
    const free = await run(8, 0, {});
    const capped = await run(8, 0, { perRack: 1 });
    const rack = new Map(capped.deployment.nodes.map((n) => [n.name, n.rack]));
    expect(peakInFlight(free.journal, (n) => String(rack.get(n)))).toBe(4);
    expect(peakInFlight(capped.journal, (n) => String(rack.get(n)))).toBe(1);
    const end = (j: readonly JournalEntry[]) => Math.max(...j.map((e) => e.at));
    expect(end(capped.journal)).toBeGreaterThan(end(free.journal));
  }, 60_000);

  it('spaces power-ons by the stagger, relays and their groups alike', async () => {
    const r = await run(12, 2, { stagger: 7 });
    const at = r.journal.filter((e) => e.type === 'power.on').map((e) => e.at);
    expect(at).toHaveLength(12);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(7 - 1e-9);
    // Jitter adds to each slot: a constant 3 s makes every gap at least 10 s.
    const jittered = await run(12, 2, { stagger: 7, jitter: () => 3 });
    const at2 = jittered.journal.filter((e) => e.type === 'power.on').map((e) => e.at);
    for (let i = 1; i < at2.length; i++) expect(at2[i] - at2[i - 1]).toBeGreaterThanOrEqual(10 - 1e-9);
  }, 60_000);
});

describe('relays', () => {
  it('become compute nodes once every node of their group is done', async () => {
    const r = await run(12, 3, { relaysBecomeCompute: true });
    const released = r.journal.filter((e) => e.type === 'relay.released');
    expect(released.map((e) => e.node).sort()).toEqual(r.deployment.relays.map((x) => x.relay).sort());
    for (const rel of r.deployment.relays) {
      const doneAt = Math.max(...r.journal.filter((e) => rel.children.includes(e.node!) && e.type === 'node.state' && (e.data as { state: string }).state === 'deployed').map((e) => e.at));
      expect(released.find((e) => e.node === rel.relay)!.at).toBeGreaterThanOrEqual(doneAt);
      expect((await r.ports.bootConfig.read(rel.relay))!.role).toBe('compute');
    }
  }, 60_000);

  it('without the option keep their relay entries', async () => {
    const r = await run(8, 2, {});
    expect(r.journal.some((e) => e.type === 'relay.released')).toBe(false);
    expect((await r.ports.bootConfig.read(r.deployment.relays[0].relay))!.role).toBe('relay');
  }, 60_000);
});

describe('provisioning schemes', () => {
  const image = { name: 'img', kernel: { path: 'k', bytes: 1, sha256: 'a' }, initrd: { path: 'i', bytes: 1, sha256: 'b' }, rootfs: { path: 'r', bytes: 1, sha256: 'c', format: 'squashfs' as const } };
  const ctx = { image: { image, kernelUrl: 'http://srv:8080/images/img/kernel', initrdUrl: 'http://srv:8080/images/img/initrd', rootfsUrl: 'http://srv:8080/images/img/rootfs' }, target: 'ram' as const, statusUrl: 'http://srv:8080/status', token: 'T' };

  it('write the command line each real tool takes, from the server or a relay', () => {
    expect(provisioningScheme('http').entry('n1', 'server', 'compute', ctx).cmdline).toContain('root=live:http://srv:8080/images/img/rootfs');
    expect(provisioningScheme('http').entry('n2', 'r1', 'compute', ctx).cmdline).toContain('root=live:http://r1:8080/images/img/rootfs');
    expect(provisioningScheme('rsync').entry('n2', 'r1', 'compute', ctx).cmdline).toContain('deploytwin.rsync=rsync://r1/images/img/');
    expect(provisioningScheme('nfs').entry('n1', 'server', 'compute', ctx).cmdline).toContain('root=/dev/nfs nfsroot=srv:/images/img,ro');
    for (const name of SCHEME_NAMES) {
      const e = provisioningScheme(name).entry('n1', 'server', 'relay', ctx);
      expect(e).toMatchObject({ node: 'n1', scheme: name, role: 'relay', rootfsSource: 'server', kernelUrl: ctx.image.kernelUrl });
      expect(e.cmdline).toContain('deploytwin.status=http://srv:8080/status deploytwin.token=T deploytwin.node=n1');
    }
  });

  it('refuse relays for collective schemes and unknown names', async () => {
    expect(errorOf(() => provisioningScheme('multicast').entry('n1', 'r1', 'compute', ctx)).code).toBe('DT_ORCH_BAD_PLAN');
    expect(errorOf(() => provisioningScheme('torrent')).code).toBe('DT_ORCH_BAD_PLAN');
    const scenario = smallCluster({ nodes: 8 });
    const d = clusterDeploymentOf({ ...scenario, deploy: { ...scenario.deploy, relays: 2 } });
    expect(errorOf(() => describeDeployment({ ...d, scheme: 'chain' })).code).toBe('DT_ORCH_BAD_PLAN');
  });

  it('the twin refuses an entry for a scheme other than the one its scenario models', async () => {
    const scenario = smallCluster({ nodes: 4 });
    const d = clusterDeploymentOf(scenario);
    const ports = twinPorts(scenario);
    const p = ports.twin.engine.process(() => deployCluster(ports, { ...d, scheme: 'nfs' }));
    p.finished.catch(() => {});
    await ports.twin.engine.run().catch(() => {});
    await expect(p.finished).rejects.toMatchObject({ code: 'DT_ORCH_BAD_PLAN' });
  });
});
