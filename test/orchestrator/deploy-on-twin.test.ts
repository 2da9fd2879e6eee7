/**
 * The orchestrator's deployment stage runs unchanged on the twin's ports: every node ends
 * Deployed or Failed(reason), never more in flight than the wave, retry budgets hold, and the
 * journal replays to the same states; the same seed gives the same journal.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deploy, type DeployPlan } from '../../src/orchestrator/deploy.ts';
import { replayNodeStates } from '../../src/orchestrator/node-state.ts';
import { smallCluster } from '../helpers/small-cluster.ts';
import { twinPorts, type TwinPorts } from '../../src/twin/ports/twin-ports.ts';
import type { JournalEntry, Ports } from '../../src/ports/index.ts';

function scenario(nodes: number, bmcFailure: number, dhcpLoss: number) {
  return smallCluster({
    nodes,
    seed: 3,
    hardware: ['post: { dist: uniform, min: 20s, max: 40s }', `bmc: { failureRate: ${bmcFailure} }`],
    boot: ['pxe: ipxe', `dhcpLoss: ${dhcpLoss}`],
  });
}

function planFor(names: readonly string[], relays: number): DeployPlan {
  const relayMap = new Map<string, string[]>();
  const perGroup = Math.ceil(names.length / Math.max(1, relays));
  if (relays > 0) for (let g = 0; g * perGroup < names.length; g++) relayMap.set(names[g * perGroup], names.slice(g * perGroup + 1, (g + 1) * perGroup));
  return {
    nodes: names,
    relays: relayMap,
    entry: (node, source) => ({
      node,
      kernelUrl: 'http://server/images/test/kernel',
      initrdUrl: 'http://server/images/test/initrd',
      cmdline: `root=live:http://${source}/rootfs`,
      rootfsSource: source,
      role: relayMap.has(node) ? 'relay' : 'compute',
    }),
  };
}

async function runOnce(nodes: number, wave: number, attempts: number, bmcFailure: number, dhcpLoss: number, relays: number) {
  const ports = twinPorts(scenario(nodes, bmcFailure, dhcpLoss));
  const options = { wave, stagger: 0.5, bootTimeout: 900, attempts, backoff: (n: number) => 10 * n, softOffGrace: 30 };
  const run = ports.twin.engine.process(() => deploy(ports, planFor(ports.names.names, relays), options));
  await ports.twin.engine.run();
  const states = await run.finished;
  const journal = await ports.journal.entries();
  // Nodes in flight: from their first power-on to a terminal state, read off the journal.
  let inFlight = 0;
  let peak = 0;
  for (const e of journal) {
    if (e.type !== 'node.state') continue;
    const s = (e.data as { state: string; attempt?: number }).state;
    if (s === 'powering-on' && (e.data as { attempt: number }).attempt === 1) peak = Math.max(peak, ++inFlight);
    if (s === 'deployed' || s === 'failed') inFlight--;
  }
  return { states, journal, peak, ports };
}

/** Distinct power attempts per node (a resumed orchestrator may resend the same attempt's command). */
function attemptsUsed(journal: readonly JournalEntry[]): Map<string, number> {
  const seen = new Map<string, Set<number>>();
  for (const e of journal) {
    if (e.type !== 'power.on') continue;
    const set = seen.get(e.node!) ?? new Set<number>();
    set.add((e.data as { attempt: number }).attempt);
    seen.set(e.node!, set);
  }
  return new Map([...seen].map(([n, s]) => [n, s.size]));
}

/**
 * Wraps the ports so that after kill() every call hangs forever: the orchestrator process is
 * "dead" (its in-flight hardware commands still complete, as they would on a real cluster).
 */
function killable(ports: TwinPorts): { ports: Ports; kill: () => void } {
  let dead = false;
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        const v = Reflect.get(t, key, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => (dead ? new Promise(() => {}) : (v as (...a: unknown[]) => unknown).apply(t, args));
      },
    });
  const wrapped: Ports = {
    clock: wrap(ports.clock),
    scanner: wrap(ports.scanner),
    power: wrap(ports.power),
    bootConfig: wrap(ports.bootConfig),
    artifacts: wrap(ports.artifacts),
    events: wrap(ports.events),
    inventory: wrap(ports.inventory),
    journal: wrap(ports.journal),
  };
  return { ports: wrapped, kill: () => (dead = true) };
}

describe('deployment stage on the twin', () => {
  it('deploys a clean cluster, relays first, and journals every step', async () => {
    const { states, journal, peak } = await runOnce(16, 6, 2, 0, 0, 2);
    expect([...states.values()].every((s) => s.state === 'deployed')).toBe(true);
    expect(states.size).toBe(16);
    expect(peak).toBeLessThanOrEqual(6);
    // Relays' children start only after their relay is deployed.
    const deployedAt = new Map(journal.filter((e) => e.type === 'node.state' && (e.data as { state: string }).state === 'deployed').map((e) => [e.node!, e.at]));
    const firstPowerOn = new Map<string, number>();
    for (const e of journal) if (e.type === 'power.on' && !firstPowerOn.has(e.node!)) firstPowerOn.set(e.node!, e.at);
    expect(firstPowerOn.get('n02')!).toBeGreaterThanOrEqual(deployedAt.get('n01')!);
    expect(replayNodeStates(journal)).toEqual(states);
  }, 60_000);

  it('with random faults: every node ends terminal with a reason, waves and retry budgets hold, the journal replays exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 4, max: 14 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0, 0.2, 0.5),
        fc.constantFrom(0, 0.3),
        fc.integer({ min: 0, max: 2 }),
        async (nodes, wave, attempts, bmcFailure, dhcpLoss, relays) => {
          const { states, journal, peak } = await runOnce(nodes, wave, attempts, bmcFailure, dhcpLoss, relays);
          expect(states.size).toBe(nodes);
          for (const s of states.values()) {
            expect(['deployed', 'failed']).toContain(s.state);
            if (s.state === 'failed') expect(s.reason.length).toBeGreaterThan(0);
          }
          expect(peak).toBeLessThanOrEqual(wave);
          for (const n of attemptsUsed(journal).values()) expect(n).toBeLessThanOrEqual(attempts);
          expect(replayNodeStates(journal)).toEqual(states);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('faults do fail nodes, and retries rescue some of them', async () => {
    const once = await runOnce(14, 6, 1, 0.5, 0, 0);
    const thrice = await runOnce(14, 6, 4, 0.5, 0, 0);
    const failed = (r: typeof once) => [...r.states.values()].filter((s) => s.state === 'failed').length;
    expect(failed(once)).toBeGreaterThan(0);
    expect(failed(thrice)).toBeLessThan(failed(once));
    // Retries escalate: soft off first, then a hard off for nodes that stay on.
    const softOffs = thrice.journal.filter((e) => e.type === 'power.soft-off').length;
    expect(softOffs).toBeGreaterThan(0);
  }, 60_000);

  it('gives the same journal for the same seed', async () => {
    const a = await runOnce(10, 4, 3, 0.3, 0.2, 1);
    const b = await runOnce(10, 4, 3, 0.3, 0.2, 1);
    expect(a.ports.journal.toJSONLines()).toBe(b.ports.journal.toJSONLines());
  }, 60_000);
});

describe('resume', () => {
  it('an orchestrator killed at a random event and restarted on the same journal finishes the job', async () => {
    let killedMidway = 0;
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(0, 0.3), fc.integer({ min: 0, max: 1 }), async (when, bmcFailure, relays) => {
        const nodes = 10;
        const attempts = 3;
        const options = { wave: 4, stagger: 0.5, bootTimeout: 900, attempts, backoff: (n: number) => 10 * n, softOffGrace: 30 };
        // Kill somewhere inside the uninterrupted run's events (same seed, so the same run).
        const whole = twinPorts(scenario(nodes, bmcFailure, 0));
        whole.twin.engine.process(() => deploy(whole, planFor(whole.names.names, relays), options));
        await whole.twin.engine.run();
        const killAt = 1 + Math.floor(when * (whole.twin.engine.eventsFired - 1));
        const ports = twinPorts(scenario(nodes, bmcFailure, 0));
        const plan = planFor(ports.names.names, relays);
        const first = killable(ports);
        ports.twin.engine.process(() => deploy(first.ports, plan, options)).finished.catch(() => {});
        await ports.twin.engine.run({ maxEvents: killAt });
        first.kill();
        const atKill = (await ports.journal.entries()).length;
        const doneAtKill = [...replayNodeStates(await ports.journal.entries())].filter(([, s]) => s.state === 'deployed').map(([n]) => n);
        killedMidway += atKill > 0 && doneAtKill.length < nodes ? 1 : 0;
        // A new orchestrator on the same journal and the same (still running) cluster.
        const second = ports.twin.engine.process(() => deploy(ports, plan, options));
        await ports.twin.engine.run();
        const states = await second.finished;
        const journal = await ports.journal.entries();
        expect(states.size).toBe(nodes);
        for (const s of states.values()) expect(['deployed', 'failed']).toContain(s.state);
        if (bmcFailure === 0) expect([...states.values()].every((s) => s.state === 'deployed')).toBe(true);
        // No node used more attempts than its budget, across both orchestrators.
        for (const n of attemptsUsed(journal).values()) expect(n).toBeLessThanOrEqual(attempts);
        // A node that was already deployed when the first one died was not powered again.
        const poweredAfter = journal.slice(atKill).filter((e) => e.type.startsWith('power.') && doneAtKill.includes(e.node!));
        expect(poweredAfter).toEqual([]);
        expect(replayNodeStates(journal)).toEqual(states);
      }),
      { numRuns: 25 },
    );
    // Kills must land in the middle of a deployment, or the property proves little.
    expect(killedMidway).toBeGreaterThan(20);
  }, 180_000);
});
