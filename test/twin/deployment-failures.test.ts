/**
 * The deployment twin's failure paths, end to end: a failed node ends with a reason and never
 * blocks the others.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/yaml-loader.ts';
import { resolveScenario } from '../../src/twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../../src/twin/scenario-schema.ts';
import { simulate } from '../../src/twin/simulate.ts';

function scenario(extra: string, hardware = ''): string {
  return `
name: failures
cluster: { nodes: 40, nodesPerRack: 10 }
networks:
  ethernet: { serverNic: 10Gb/s, rackUplink: 10Gb/s, access: 1Gb/s, latency: 50us }
hardware:
  post: 30s
${hardware}
boot:
  bootloader: { size: 100KB, protocol: tftp }
  kernel: { size: 5MB, protocol: http }
  initrd: { size: 20MB, protocol: http }
  rootfs: { method: http, image: { format: squashfs, size: 500MB } }
${extra}`;
}

async function run(extra: string, hardware = '') {
  const file = loadScenarioText<ScenarioFile>(scenario(extra, hardware), 'failures.yaml', scenarioSchema);
  return simulate(resolveScenario(file));
}

describe('deployment failures', () => {
  it('BMCs that never answer end their nodes as failed with the timeout as the reason', async () => {
    const all = await run('', '  bmc: { failureRate: 1 }');
    // Every BMC fails: every node fails, each with the BMC timeout as its reason, and the run ends.
    expect(all.failures).toHaveLength(40);
    for (const f of all.failures) expect(f.reason).toMatch(/DT_BMC_TIMEOUT/);
    // Half the commands lost: the unlucky nodes fail (the plain driver does not retry), the rest deploy.
    const half = await run('', '  bmc: { failureRate: 0.5 }');
    const booted = half.records.filter((x) => x.phase === 'report').length;
    expect(half.failures.length).toBeGreaterThan(0);
    expect(booted).toBeGreaterThan(0);
    expect(booted + half.failures.length).toBe(40);
  });

  it('a DHCP server that cannot keep up leaves some nodes without an offer, and the rest deploy', async () => {
    const r = await run(`services:\n  dhcp: { serviceTime: 3s, workers: 1, backlog: 2 }\n`);
    const noOffer = r.failures.filter((f) => /DT_PXE_NO_OFFER/.test(f.reason));
    expect(noOffer.length).toBeGreaterThan(0);
    expect(noOffer.length).toBe(r.failures.length);
    const booted = new Set(r.records.filter((x) => x.phase === 'report').map((x) => x.node));
    expect(booted.size + r.failures.length).toBe(40);
    expect(booted.size).toBeGreaterThan(0);
    // A node that failed in DHCP has a dhcp:failed phase and nothing after it.
    const failedNode = noOffer[0].node;
    const phases = r.records.filter((x) => x.node === failedNode).map((x) => x.phase);
    expect(phases).toContain('dhcp:failed');
    expect(phases).not.toContain('bootloader');
  });

  it('a wave caps the nodes in flight', async () => {
    const r = await run(`deploy: { wave: 5 }\n`);
    expect(r.failures).toEqual([]);
    // In flight = from power-on request to the report; never more than 5 at once.
    const spans = r.records.filter((x) => x.phase === 'power-on').map((x) => ({ node: x.node, start: x.start }));
    const ends = new Map(r.records.filter((x) => x.phase === 'report').map((x) => [x.node, x.end]));
    const events = spans.flatMap((s) => [
      { t: s.start, d: 1 },
      { t: ends.get(s.node)!, d: -1 },
    ]);
    events.sort((a, b) => a.t - b.t || a.d - b.d);
    let inFlight = 0;
    let peak = 0;
    for (const e of events) peak = Math.max(peak, (inFlight += e.d));
    expect(peak).toBe(5);
  });
});
