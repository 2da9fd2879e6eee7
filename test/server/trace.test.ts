/** The Chrome trace of a result, in closed form. */
import { describe, expect, it } from 'vitest';
import { chromeTrace } from '../../src/server/trace.ts';
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
    // Valid JSON (Perfetto reads the file as JSON).
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });
});
