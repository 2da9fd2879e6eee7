/**
 * A relay that dies mid-transfer, on the twin: its children's downloads stall (a powered-off
 * node's NIC carries nothing), the orchestrator's boot timeout gives up on them, finds the relay
 * powered off, journals it lost and re-assigns its group to the deployment server; every node
 * still deploys, and the journal replays to the final states.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deployCluster } from '../../src/orchestrator/deploy-cluster.ts';
import { replayNodeStates } from '../../src/orchestrator/node-state.ts';
import { clusterDeploymentOf } from '../../src/twin/deployment/orchestrated-run.ts';
import { twinPorts } from '../../src/twin/ports/twin-ports.ts';
import { smallCluster } from '../helpers/small-cluster.ts';

async function run(killAt: number | null, seed = 1) {
  const scenario = smallCluster({ nodes: 12, seed, rootfsSize: '2GB', hardware: ['post: 20s'] });
  const deployment = clusterDeploymentOf({ ...scenario, deploy: { ...scenario.deploy, relays: 3 } });
  deployment.options = { ...deployment.options, attempts: 3, bootTimeout: 400, backoff: () => 5, softOffGrace: 0 };
  const ports = twinPorts(scenario);
  const relay = deployment.relays[0].relay;
  const engine = ports.twin.engine;
  // The relay's BMC powers it off (a PSU failure, an operator's mistake) at killAt, once.
  if (killAt !== null) engine.schedule(killAt, () => void ports.twin.bmcs[ports.names.indexOf(relay)].powerOff().catch(() => {}));
  const p = engine.process(() => deployCluster(ports, deployment));
  await engine.run();
  const states = await p.finished;
  return { states, journal: await ports.journal.entries(), relay, children: deployment.relays[0].children, ports };
}

describe('relay failure mid-transfer', () => {
  it('re-assigns the dead relay children to the server, and every node deploys', async () => {
    const clean = await run(null);
    const relayUp = clean.journal.find((e) => e.node === clean.relay && e.type === 'node.state' && (e.data as { state: string }).state === 'deployed')!.at;
    // Kill the relay shortly after it came up: its children are downloading from it.
    const r = await run(relayUp + 30);
    const lost = r.journal.filter((e) => e.type === 'relay.lost');
    expect(lost.map((e) => e.node)).toEqual([r.relay]);
    for (const child of r.children) {
      expect(r.states.get(child)!.state).toBe('deployed');
      const writes = r.journal.filter((e) => e.type === 'boot.write' && e.node === child).map((e) => (e.data as { source: string }).source);
      expect(writes[0]).toBe(r.relay);
      expect(writes.at(-1)).toBe('server');
    }
    // The other groups never noticed.
    const others = [...r.states].filter(([n]) => !r.children.includes(n) && n !== r.relay);
    for (const [, s] of others) expect(s.state).toBe('deployed');
    expect(replayNodeStates(r.journal)).toEqual(r.states);
    // Without the failure nobody was re-assigned.
    expect(clean.journal.some((e) => e.type === 'relay.lost')).toBe(false);
  }, 60_000);

  it('whenever the relay dies, every node ends terminal with a reason and the journal replays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1500, noNaN: true }), fc.integer({ min: 1, max: 5 }), async (killAt, seed) => {
        const r = await run(killAt, seed);
        expect(r.states.size).toBe(12);
        for (const s of r.states.values()) {
          expect(['deployed', 'failed']).toContain(s.state);
          if (s.state === 'failed') expect(s.reason.length).toBeGreaterThan(0);
        }
        // Children never fail for want of a source: the server takes over.
        for (const c of r.children) expect(r.states.get(c)!.state).toBe('deployed');
        expect(replayNodeStates(r.journal)).toEqual(r.states);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
