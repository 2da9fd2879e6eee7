/**
 * The adapter from the twin to the event stream: journal entries to state and failure events,
 * the finished result to phase events and samples (checked against a naive count), and the
 * throughput estimate in closed form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/ports/index.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../src/server/run-events.ts';
import { journalEvents, LivePhases, resultEvents, samples, sortByTime, type Download } from '../../src/server/run-source.ts';
import { simulateDeployment } from '../../src/twin/deployment/simulate-deployment.ts';
import { loadScenario } from '../../src/twin/load.ts';
import type { PhaseRecord, SimulationResult } from '../../src/twin/result.ts';

const names = new Map([
  ['n1', 0],
  ['n2', 1],
]);
const indexOf = (n: string) => names.get(n);

function result(records: PhaseRecord[], failures: SimulationResult['failures'] = []): SimulationResult {
  const makespan = Math.max(0, ...records.map((r) => r.end));
  return { scenario: 's', seed: '1', nodes: 2, racks: 1, records, makespan, failures, relays: [], services: [], links: [], engine: { events: 0, flows: 0, recomputations: 0, flowsResolved: 0 } };
}

describe('journalEvents', () => {
  it('maps node.state entries to state events (and a failure with its reason), ignores the rest', () => {
    const entry = (type: string, node: string | undefined, data?: Record<string, unknown>): JournalEntry => ({ seq: 1, at: 12.5, type, node, data });
    expect(journalEvents(entry('node.state', 'n2', { state: 'powering-on', attempt: 1 }), indexOf)).toEqual([{ kind: 'state', t: 12.5, node: 1, state: 'powering-on', attempt: 1 }]);
    expect(journalEvents(entry('node.state', 'n1', { state: 'deployed' }), indexOf)).toEqual([{ kind: 'state', t: 12.5, node: 0, state: 'deployed' }]);
    expect(journalEvents(entry('node.state', 'n1', { state: 'failed', reason: 'DT_BMC_TIMEOUT: no answer' }), indexOf)).toEqual([
      { kind: 'state', t: 12.5, node: 0, state: 'failed' },
      { kind: 'failure', t: 12.5, node: 0, reason: 'DT_BMC_TIMEOUT: no answer' },
    ]);
    expect(journalEvents(entry('power.on', 'n1', { attempt: 1 }), indexOf)).toEqual([]);
    expect(journalEvents(entry('node.state', 'unknown', { state: 'deployed' }), indexOf)).toEqual([]);
    expect(journalEvents(entry('node.state', 'n1', { state: 'pending' }), indexOf)).toEqual([]);
    expect(journalEvents(entry('image.publish', undefined), indexOf)).toEqual([]);
  });
});

describe('samples', () => {
  it('counts nodes per phase at t = k x makespan/count, as a naive count does (start <= t < end)', () => {
    const record = fc
      .tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom('post', 'initrd', 'rootfs'), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }))
      .map(([node, phase, start, length]) => ({ node, phase, start, end: start + length }));
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (records, count) => {
        const makespan = Math.max(...records.map((r) => r.end));
        const out = samples(records, makespan, {}, count);
        if (!(makespan > 0)) return expect(out).toEqual([]);
        expect(out).toHaveLength(count + 1);
        const interval = makespan / count;
        out.forEach((s, k) => {
          expect(s.t).toBe(k * interval);
          for (const phase of ['post', 'initrd', 'rootfs']) {
            const naive = records.filter((r) => r.phase === phase && r.start <= s.t && s.t < r.end).length;
            expect(s.phases[phase] ?? 0).toBe(naive);
          }
        });
      }),
    );
  });

  it('estimates throughput per interval by spreading each download evenly over its phase (closed form)', () => {
    const downloads: Record<string, Download> = { initrd: { bytes: 100e6, network: 'ethernet' }, rootfs: { bytes: 2e9, network: 'opa' } };
    const records = [
      { node: 0, phase: 'initrd', start: 0, end: 10 }, // 10 MB/s
      { node: 1, phase: 'initrd', start: 5, end: 25 }, // 5 MB/s
      { node: 0, phase: 'rootfs', start: 10, end: 30 }, // 100 MB/s
      { node: 1, phase: 'rootfs', start: 31, end: 33.5 }, // 800 MB/s, inside [30, 35): 400 MB/s on average
      { node: 1, phase: 'post', start: 0, end: 5 },
    ];
    const out = samples(records, 40, downloads, 8); // intervals of 5 s
    const eth = out.map((s) => s.throughput.ethernet);
    const opa = out.map((s) => s.throughput.opa);
    const expectEth = [10e6, 15e6, 5e6, 5e6, 5e6, 0, 0, 0, 0];
    const expectOpa = [0, 0, 100e6, 100e6, 100e6, 100e6, 400e6, 0, 0];
    eth.forEach((v, k) => expect(v).toBeCloseTo(expectEth[k], 3));
    opa.forEach((v, k) => expect(v).toBeCloseTo(expectOpa[k], 3));
    expect(out[0].phases).toEqual({ initrd: 1, rootfs: 0, post: 1 });
    expect(out.map((s) => s.downloads)).toEqual([
      { ethernet: 1, opa: 0 }, // t = 0
      { ethernet: 2, opa: 0 }, // 5
      { ethernet: 1, opa: 1 }, // 10
      { ethernet: 1, opa: 1 }, // 15
      { ethernet: 1, opa: 1 }, // 20
      { ethernet: 0, opa: 1 }, // 25
      { ethernet: 0, opa: 0 }, // 30 (the 31-33.5 download falls between samples)
      { ethernet: 0, opa: 0 },
      { ethernet: 0, opa: 0 },
    ]);
  });

  it('conserves bytes: the sum of throughput x interval is the bytes of every download', () => {
    const record = fc
      .tuple(fc.constantFrom('kernel', 'initrd', 'rootfs', 'post'), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0.001, max: 50, noNaN: true }))
      .map(([phase, start, length]) => ({ node: 0, phase, start, end: start + length }));
    const downloads: Record<string, Download> = { kernel: { bytes: 7e6, network: 'ethernet' }, initrd: { bytes: 1e8, network: 'ethernet' }, rootfs: { bytes: 2e9, network: 'opa' } };
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 60 }), (records, count) => {
        const makespan = Math.max(...records.map((r) => r.end));
        const out = samples(records, makespan, downloads, count);
        for (const network of ['ethernet', 'opa']) {
          const carried = out.reduce((sum, s) => sum + (s.throughput[network] ?? 0) * s.interval, 0);
          const bytes = records.filter((r) => downloads[r.phase]?.network === network).reduce((sum, r) => sum + downloads[r.phase].bytes, 0);
          expect(Math.abs(carried - bytes)).toBeLessThanOrEqual(1e-6 * Math.max(1, bytes));
        }
      }),
    );
  });
});

describe('resultEvents', () => {
  it('gives each record a start and an end event, the failures the journal did not report, and samples, sorted by time', () => {
    const records = [
      { node: 0, phase: 'post', start: 0, end: 30 },
      { node: 0, phase: 'initrd', start: 30, end: 50 },
      { node: 1, phase: 'post', start: 2, end: 20 },
    ];
    const failures = [
      { node: 1, reason: 'reported live', at: 20 },
      { node: 0, reason: 'never deployed (state booting)', at: 50 },
    ];
    const events = resultEvents(result(records, failures), {}, new Set([1]));
    expect(events.filter((e) => e.kind === 'phase-start')).toHaveLength(3);
    expect(events.filter((e) => e.kind === 'phase-end')).toEqual([
      { kind: 'phase-end', t: 20, node: 1, phase: 'post', start: 2 },
      { kind: 'phase-end', t: 30, node: 0, phase: 'post', start: 0 },
      { kind: 'phase-end', t: 50, node: 0, phase: 'initrd', start: 30 },
    ]);
    expect(events.filter((e) => e.kind === 'failure')).toEqual([{ kind: 'failure', t: 50, node: 0, reason: 'never deployed (state booting)' }]);
    expect(events.filter((e) => e.kind === 'sample')).toHaveLength(201);
    expect(events.map((e) => e.t)).toEqual([...events.map((e) => e.t)].sort((a, b) => a - b));
  });

  it('sortByTime is stable: equal times keep their order', () => {
    const list = [{ t: 1, id: 'a' }, { t: 0, id: 'b' }, { t: 1, id: 'c' }, { t: 0, id: 'd' }];
    expect(sortByTime(list).map((e) => e.id)).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('LivePhases: the twin phase log streamed live', () => {
  /** 8 nodes fetching 3 GB each through one 1 Gb/s server NIC (over 3 min) within a 40 s boot timeout: every boot is cut short in its rootfs phase. */
  const SCENARIO = `name: live-phases
seed: 5
cluster: { nodes: 8, nodesPerRack: 4, names: "lp[1-8]" }
networks:
  ethernet: { serverNic: 1Gb/s, rackUplink: 10Gb/s, access: 1Gb/s, latency: 50us }
hardware:
  post: { dist: uniform, min: 5s, max: 15s }
  bmc: { failureRate: 0.1 }
boot:
  bootloader: { size: 100KB, protocol: tftp }
  kernel: { size: 5MB, protocol: http }
  initrd: { size: 20MB, protocol: http }
  rootfs: { method: http, image: { format: squashfs, size: 3GB } }
deploy: { wave: 8, bootTimeout: 40s, attempts: 2 }
`;

  it('gives every recorded phase one start and one end, equal to what the finished result implies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'live-phases-'));
    const path = join(dir, 'live-phases.yaml');
    writeFileSync(path, SCENARIO);
    const scenario = loadScenario(path);
    rmSync(dir, { recursive: true });
    if (scenario.kind !== 'deployment') throw new Error('expected a deployment scenario');
    const live = new LivePhases();
    const streamed: RunEvent[] = [];
    let announced = 0;
    const result = await simulateDeployment(scenario, {
      onPhase: {
        began: (node, phase, t) => {
          announced++;
          streamed.push(live.began(node, phase, t));
        },
        recorded: (r) => streamed.push(...live.recorded(r)),
      },
    });
    const key = (e: RunEvent) => JSON.stringify(e);
    const derived = resultEvents(result, {}, new Set()).filter((e) => e.kind === 'phase-start' || e.kind === 'phase-end');
    // Phases whose start the model announced, and others (power-on, failed phases) dated back.
    expect(result.records.some((r) => r.phase.endsWith(':failed'))).toBe(true);
    expect(result.records.some((r) => r.phase === 'power-on')).toBe(true);
    expect(announced).toBeGreaterThan(0);
    const failedAnnounced = streamed.filter((e) => e.kind === 'phase-start').length - derived.filter((e) => e.kind === 'phase-start').length;
    // Only the failed phases' announced starts are extra: their record is "<phase>:failed".
    expect(failedAnnounced).toBe(result.records.filter((r) => r.phase.endsWith(':failed')).length);
    const extra = new Set(streamed.map(key));
    for (const e of derived) expect(extra.has(key(e))).toBe(true);
    expect(streamed.filter((e) => e.kind === 'phase-end').map(key).sort()).toEqual(derived.filter((e) => e.kind === 'phase-end').map(key).sort());
    // The result does not depend on being watched.
    expect(await simulateDeployment(scenario)).toEqual(result);
  });
});
