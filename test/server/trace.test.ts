/** The Chrome trace of a result and of its measured link loads, in closed form. */
import { describe, expect, it } from 'vitest';
import { chromeTrace, traceParts } from '../../src/server/trace.ts';
import type { SimulationResult } from '../../src/twin/result.ts';

describe('chromeTrace', () => {
  it('one process per rack, one thread per node, a complete event per phase (µs), an instant per failure', () => {
    const result: SimulationResult = {
      scenario: 'x',
      seed: '1',
      nodes: 3,
      racks: 2,
      records: [
        { node: 0, phase: 'post', start: 0, end: 1.5 },
        { node: 2, phase: 'initrd', start: 2, end: 2.000001 },
      ],
      makespan: 2.000001,
      failures: [{ node: 1, reason: 'DT_BMC_TIMEOUT: no answer', at: 5 }],
      relays: [],
      services: [],
      links: [],
      engine: { events: 0, flows: 0, recomputations: 0, flowsResolved: 0 },
    };
    const trace = chromeTrace(result, ['a', 'b', 'c'], 2);
    const meta = trace.traceEvents.filter((e) => e.ph === 'M');
    expect(meta.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args!.name])).toEqual([
      [1, 'rack 0'],
      [2, 'rack 1'],
    ]);
    expect(meta.filter((e) => e.name === 'thread_name').map((e) => [e.pid, e.tid, e.args!.name])).toEqual([
      [1, 1, 'a'],
      [1, 2, 'b'],
      [2, 3, 'c'],
    ]);
    expect(trace.traceEvents.filter((e) => e.ph === 'X')).toEqual([
      { name: 'post', cat: 'phase', ph: 'X', ts: 0, dur: 1.5e6, pid: 1, tid: 1, args: { node: 'a' } },
      { name: 'initrd', cat: 'phase', ph: 'X', ts: 2e6, dur: expect.closeTo(1, 6), pid: 2, tid: 3, args: { node: 'c' } },
    ]);
    expect(trace.traceEvents.filter((e) => e.ph === 'i')).toEqual([{ name: 'failed', cat: 'failure', ph: 'i', s: 't', ts: 5e6, pid: 1, tid: 2, args: { reason: 'DT_BMC_TIMEOUT: no answer' } }]);
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.traceEvents.some((e) => e.ph === 'C')).toBe(false);
    // Valid JSON (Perfetto reads the file as JSON).
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it('draws measured link loads as a counter track of a "links" process, each value from the start of its interval', () => {
    const result: SimulationResult = {
      scenario: 'x', seed: '1', nodes: 2, racks: 1, records: [], makespan: 10, failures: [], relays: [], services: [], links: [],
      engine: { events: 0, flows: 0, recomputations: 0, flowsResolved: 0 },
    };
    const parts = traceParts(
      { ...result, records: { length: 0, at: () => { throw new Error('no records'); } }, loads: [
        { kind: 'load', t: 5, interval: 5, utilisation: { 'opa.server.nic:up': 0.98765 }, throughput: {} },
        { kind: 'load', t: 10, interval: 5, utilisation: { 'opa.server.nic:up': 0.5 }, throughput: {} },
      ] },
      ['a', 'b'],
      2,
    );
    const events = Array.from({ length: parts.count }, (_, i) => parts.eventAt(i));
    expect(events.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args!.name])).toEqual([[1, 'rack 0'], [2, 'links']]);
    expect(events.filter((e) => e.ph === 'C')).toEqual([
      { name: 'link utilisation %', ph: 'C', pid: 2, tid: 0, ts: 0, args: { 'opa.server.nic:up': 98.77 } },
      { name: 'link utilisation %', ph: 'C', pid: 2, tid: 0, ts: 5e6, args: { 'opa.server.nic:up': 50 } },
    ]);
  });
});
