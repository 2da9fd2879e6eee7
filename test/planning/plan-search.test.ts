/**
 * The plan search on small random scenarios (nodes, racks, POST spread, image size, objective,
 * seeds, methods, --max-relays, --max-server-connections all drawn): the recommendation is never
 * worse, on its objective and at the seeds they share, than any setting the search ran; it ran on
 * all the seeds; no setting run breaks a constraint; the search never runs more than the cross
 * product of its ranges, and on a real range far fewer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOverrides } from '../../src/planning/overrides.ts';
import { expressConstraints } from '../../src/planning/plan-constraints.ts';
import type { Objective } from '../../src/planning/plan-evaluator.ts';
import { recommendPlan, type PlanResult } from '../../src/planning/plan.ts';
import { loadScenarioSource } from '../../src/twin/load.ts';
import { makespanStats } from '../../src/planning/run-stats.ts';
import { loadScenarioText } from '../../src/scenario/yaml-loader.ts';
import { resolveScenario } from '../../src/twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../../src/twin/scenario-schema.ts';

function smallFile(o: { nodes: number; perRack: number; postSpread: number; image: string; method: string }): ScenarioFile {
  const text = [
    'name: prop',
    'seed: 5',
    `cluster: { nodes: ${o.nodes}, nodesPerRack: ${o.perRack} }`,
    'networks:',
    '  eth: { serverNic: 1Gb/s, rackUplink: 1Gb/s, access: 1Gb/s, latency: 50us }',
    `hardware: { post: { dist: uniform, min: 10s, max: ${10 + o.postSpread}s } }`,
    'boot:',
    '  bootloader: { size: 100KB, protocol: tftp }',
    '  kernel: { size: 5MB, protocol: http }',
    '  initrd: { size: 20MB, protocol: http }',
    `  rootfs: { method: ${o.method}, image: { format: squashfs, size: ${o.image} } }`,
    '  init: 5s',
  ].join('\n');
  return loadScenarioText<ScenarioFile>(text, 'prop.yaml', scenarioSchema);
}

/** [share of runs with failed nodes, objective] of the first `seeds` runs. */
function score(makespans: number[], failed: boolean[], seeds: number, objective: Objective): [number, number] {
  return [failed.slice(0, seeds).filter(Boolean).length / seeds, makespanStats(makespans.slice(0, seeds))[objective]];
}

function planOf(r: PlanResult) {
  const e = r.evaluated.find((p) => JSON.stringify(p.settings) === JSON.stringify(r.recommended.settings));
  expect(e).toBeDefined();
  return e!;
}

const input = fc.record({
  nodes: fc.integer({ min: 2, max: 10 }),
  perRack: fc.integer({ min: 1, max: 4 }),
  postSpread: fc.integer({ min: 0, max: 30 }),
  image: fc.constantFrom('50MB', '400MB'),
  method: fc.constantFrom('http', 'rsync'),
  methods: fc.subarray(['http', 'rsync', 'multicast', 'nfs'], { minLength: 1 }),
  objective: fc.constantFrom<Objective>('p50', 'p95', 'p99', 'mean'),
  seeds: fc.integer({ min: 1, max: 3 }),
  maxRelays: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  maxServerConnections: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
});

describe('deploytwin plan search', () => {
  it('is never worse than a setting it ran, at their shared seeds, and keeps to the constraints and the cross product', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (o) => {
        const file = smallFile(o);
        const r = await recommendPlan(file, 'prop.yaml', { ...o, methods: o.methods.join(','), workers: 0, maxRuns: 400, runnersUp: 3 });
        const best = planOf(r);
        expect(best.makespans).toHaveLength(o.seeds);
        for (const p of r.evaluated) {
          const k = p.makespans.length;
          const [bf, bv] = score(best.makespans, best.failedRuns, k, o.objective);
          const [pf, pv] = score(p.makespans, p.failedRuns, k, o.objective);
          expect(bf < pf || (bf === pf && bv <= pv), `${JSON.stringify(p.settings)} beats the plan on ${k} seeds`).toBe(true);
          if (o.maxRelays !== undefined) expect(p.settings.relays).toBeLessThanOrEqual(o.maxRelays);
          if (o.maxServerConnections !== undefined && p.settings.method !== 'http') expect(p.settings.wave).toBeLessThanOrEqual(o.maxServerConnections);
          expect(o.methods).toContain(p.settings.method);
        }
        expect(r.recommended.stats.makespan[o.objective]).toBe(makespanStats(best.makespans)[o.objective]);
        for (const u of r.runnersUp) expect(u.stats.runs).toBe(o.seeds);
        expect(r.search.runs).toBe(r.evaluated.reduce((n, p) => n + p.makespans.length, 0));
        expect(r.search.runs).toBeLessThanOrEqual(r.search.crossProductRuns);
        expect(r.recommended.lowerBound).toBeLessThanOrEqual(r.recommended.stats.makespan.min + 1e-9);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('uses far fewer runs than the cross product of the ranges it searched', async () => {
    const { file, source } = loadScenarioSource('test/server/fixtures/scenarios/dash-small.yaml');
    const r = await recommendPlan(file, source, { objective: 'p95', seeds: 4, workers: 0, maxRuns: 400, runnersUp: 4 });
    // 12 nodes in 3 racks: http, rsync, nfs, hybrid with 0-3 relays, multicast, chain, p2p without; waves 1-12; 4 seeds.
    expect(r.search.crossProductPoints).toBe(4 * 4 * 12 + 3 * 12);
    expect(r.search.crossProductRuns).toBe(228 * 4);
    expect(r.search.runs).toBeLessThan(r.search.crossProductRuns / 5);
    expect(r.runnersUp).toHaveLength(4);
  }, 60_000);

  it('carries --max-server-connections on the HTTP connection slots, and on the wave for the other methods', () => {
    const file = smallFile({ nodes: 8, perRack: 2, postSpread: 5, image: '50MB', method: 'http' });
    const e = expressConstraints(file, { maxServerConnections: 3, maxRelays: 2 });
    const scenario = resolveScenario(applyOverrides(file, e.fixed), 'prop.yaml');
    expect(scenario.kind === 'deployment' && scenario.services.http.maxConnections).toBe(3);
    expect(e.limits.maxWave('http')).toBe(Infinity);
    expect(e.limits.maxWave('rsync')).toBe(3);
    expect(e.limits.maxRelays).toBe(2);
    // A cap above the scenario's own (default 256) changes nothing.
    expect(expressConstraints(file, { maxServerConnections: 1000 }).fixed).toEqual([]);
  });
});
