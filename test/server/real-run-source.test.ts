/**
 * A real deployment's journal turned into dashboard events and records (src/server/real-run-source.ts):
 * a hand-written journal, shaped as `real deploy` writes it, against the events and records worked
 * out by hand; and a property: a clean deployment's records tile each node's boot.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/ports/index.ts';
import { realEvents } from '../../src/server/real-run-source.ts';

const T0 = 1_700_000_000;

/** Entries [at offset, type, node?, data?] with seq in order and `at` = T0 + offset (Unix seconds). */
function journal(rows: Array<[number, string, string?, Record<string, unknown>?]>): JournalEntry[] {
  return rows.map(([at, type, node, data], i) => {
    const e: JournalEntry = { seq: i + 1, at: T0 + at, type };
    if (node !== undefined) e.node = node;
    if (data !== undefined) e.data = data;
    return e;
  });
}

const report = (phase: string, boot: number, detail?: string) => (detail === undefined ? { phase, boot } : { phase, boot, detail });

const JOURNAL = journal([
  [0, 'site.stage', undefined, { stage: 'discover', event: 'start' }],
  [10, 'commission.power', 'node1'],
  [20, 'phase.report', 'node1', report('dhcp', 1)], // commissioning: before any power.on, ignored
  [30, 'phase.report', 'node1', report('booted', 1)],
  [100, 'site.stage', undefined, { stage: 'deploy', event: 'start' }], // t = 0
  [101, 'boot.write', 'node1', { source: 'server' }],
  [102, 'node.state', 'node1', { state: 'powering-on', attempt: 1 }],
  [103, 'power.on', 'node1', { attempt: 1 }],
  [104, 'node.state', 'node1', { state: 'booting', attempt: 1, phase: null }],
  [105, 'node.state', 'node2', { state: 'powering-on', attempt: 1 }],
  [106, 'power.on', 'node2', { attempt: 1 }],
  [107, 'node.state', 'node2', { state: 'booting', attempt: 1, phase: null }],
  [110, 'phase.report', 'node1', report('dhcp', 2)],
  [112, 'phase.report', 'node1', report('bootloader', 2)],
  [112.5, 'phase.report', 'node2', report('dhcp', 5)],
  [114, 'phase.report', 'node2', report('bootloader', 5)],
  [115, 'phase.report', 'node1', report('kernel', 2)],
  [120, 'phase.report', 'node2', report('failed', 5, 'kernel: bad checksum')],
  [125, 'phase.report', 'node1', report('initrd', 2)],
  [130, 'node.state', 'node2', { state: 'powering-on', attempt: 2 }],
  [131, 'power.off', 'node2', { attempt: 2 }],
  [132, 'power.on', 'node2', { attempt: 2 }],
  [133, 'node.state', 'node2', { state: 'booting', attempt: 2, phase: null }],
  [134, 'phase.report', 'node2', report('kernel', 5)], // a straggler of the first boot: ignored
  [140, 'phase.report', 'node2', report('dhcp', 6)],
  [160, 'phase.report', 'node1', report('rootfs', 2)],
  [161, 'phase.report', 'node1', report('mounted', 2)],
  [170, 'phase.report', 'node1', report('booted', 2)],
  [171, 'node.state', 'node1', { state: 'deployed' }],
  [200, 'node.state', 'node2', { state: 'failed', reason: 'no "booted" report within 60 s' }],
  [201, 'boot.remove', 'node2'],
  [300, 'node.state', 'node3', { state: 'powering-on', attempt: 1 }],
  [301, 'power.on', 'node3', { attempt: 1 }],
  [305, 'phase.report', 'node3', report('bootloader', 1)], // dhcp not reported
]);

describe('real journal -> dashboard events', () => {
  it('a worked example: phases between reports, failures, retries, stragglers, a skipped report', () => {
    const { events, source } = realEvents(JOURNAL, ['node1', 'node2', 'node3', 'node4']);
    const ps = (t: number, node: number, phase: string) => ({ kind: 'phase-start', t, node, phase });
    const pe = (t: number, node: number, phase: string, start: number) => ({ kind: 'phase-end', t, node, phase, start });
    const st = (t: number, node: number, state: string, attempt?: number) => (attempt === undefined ? { kind: 'state', t, node, state } : { kind: 'state', t, node, state, attempt });
    expect(events).toEqual([
      st(2, 0, 'powering-on', 1), ps(3, 0, 'dhcp'), st(4, 0, 'booting', 1),
      st(5, 1, 'powering-on', 1), ps(6, 1, 'dhcp'), st(7, 1, 'booting', 1),
      pe(10, 0, 'dhcp', 3), ps(10, 0, 'bootloader'),
      pe(12, 0, 'bootloader', 10), ps(12, 0, 'kernel'),
      pe(12.5, 1, 'dhcp', 6), ps(12.5, 1, 'bootloader'),
      pe(14, 1, 'bootloader', 12.5), ps(14, 1, 'kernel'),
      pe(15, 0, 'kernel', 12), ps(15, 0, 'initrd'),
      pe(20, 1, 'kernel:failed', 14),
      pe(25, 0, 'initrd', 15), ps(25, 0, 'rootfs'),
      st(30, 1, 'powering-on', 2), ps(32, 1, 'dhcp'), st(33, 1, 'booting', 2),
      pe(40, 1, 'dhcp', 32), ps(40, 1, 'bootloader'),
      pe(60, 0, 'rootfs', 25), ps(60, 0, 'mounted'),
      pe(61, 0, 'mounted', 60), ps(61, 0, 'booted'),
      pe(70, 0, 'booted', 61),
      st(71, 0, 'deployed'),
      pe(100, 1, 'bootloader:failed', 40), st(100, 1, 'failed'), { kind: 'failure', t: 100, node: 1, reason: 'no "booted" report within 60 s' },
      st(200, 2, 'powering-on', 1), ps(201, 2, 'dhcp'),
      pe(201, 2, 'dhcp', 201), ps(201, 2, 'bootloader'), pe(205, 2, 'bootloader', 201), ps(205, 2, 'kernel'),
    ]);
    const r = (node: number, phase: string, start: number, end: number) => ({ node, phase, start, end });
    expect(source.records).toEqual([
      r(0, 'dhcp', 3, 10), r(0, 'bootloader', 10, 12), r(1, 'dhcp', 6, 12.5), r(1, 'bootloader', 12.5, 14), r(0, 'kernel', 12, 15),
      r(1, 'kernel:failed', 14, 20), r(0, 'initrd', 15, 25), r(1, 'dhcp', 32, 40), r(0, 'rootfs', 25, 60), r(0, 'mounted', 60, 61),
      r(0, 'booted', 61, 70), r(1, 'bootloader:failed', 40, 100), r(2, 'bootloader', 201, 205),
    ]);
    expect(source.failures).toEqual([{ node: 1, reason: 'no "booted" report within 60 s', at: 100 }]);
    expect(source.origin).toBe(T0 + 100);
    expect(source.makespan).toBe(205);
    expect(source.names).toEqual(['node1', 'node2', 'node3', 'node4']);
    expect(source.states).toEqual(['deployed', 'failed', 'powering-on', 'pending']);
    expect(source.allTerminal()).toBe(false);
  });

  it('without a deploy stage entry, t counts from the first entry; names come in first-seen order', () => {
    const { events, source } = realEvents(
      journal([
        [5, 'boot.write', 'b', { source: 'server' }],
        [7, 'node.state', 'b', { state: 'powering-on', attempt: 1 }],
        [8, 'node.state', 'a', { state: 'failed', reason: 'BMC unreachable' }],
      ]),
    );
    expect(source.names).toEqual(['b', 'a']);
    expect(events).toEqual([
      { kind: 'state', t: 2, node: 0, state: 'powering-on', attempt: 1 },
      { kind: 'state', t: 3, node: 1, state: 'failed' },
      { kind: 'failure', t: 3, node: 1, reason: 'BMC unreachable' },
    ]);
    expect(source.allTerminal()).toBe(false);
  });

  it('a node found on and power-cycled (deploy cycleIfOn) starts its boot at the power.cycle entry', () => {
    const { source } = realEvents(
      journal([
        [0, 'site.stage', undefined, { stage: 'deploy', event: 'start' }],
        [2, 'node.state', 'a', { state: 'powering-on', attempt: 1 }],
        [3, 'power.cycle', 'a', { attempt: 1 }],
        [9, 'phase.report', 'a', report('dhcp', 4)],
        [12, 'phase.report', 'a', report('bootloader', 4)],
      ]),
    );
    expect(source.records).toEqual([
      { node: 0, phase: 'dhcp', start: 3, end: 9 },
      { node: 0, phase: 'bootloader', start: 9, end: 12 },
    ]);
  });

  it('property: a clean deployment gives each node its seven phases, back to back from power-on to "booted"', () => {
    const gaps = fc.array(fc.double({ min: 0.001, max: 100, noNaN: true }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(gaps, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 10_000 }), (nodes, boot0) => {
        // Each node: power.on then one report per phase; nodes' entries interleaved by time.
        const rows: Array<{ at: number; type: string; node: string; data: Record<string, unknown> }> = [];
        const phases = ['dhcp', 'bootloader', 'kernel', 'initrd', 'rootfs', 'mounted', 'booted'];
        nodes.forEach((g, i) => {
          let at = T0 + g[0];
          rows.push({ at, type: 'power.on', node: `n${i}`, data: { attempt: 1 } });
          phases.forEach((phase, k) => rows.push({ at: (at += g[k + 1]), type: 'phase.report', node: `n${i}`, data: { phase, boot: boot0 + i } }));
        });
        rows.sort((a, b) => a.at - b.at);
        const { source } = realEvents(rows.map((r, i) => ({ seq: i + 1, ...r })));
        for (let n = 0; n < nodes.length; n++) {
          const mine = source.records.filter((r) => r.node === source.names.indexOf(`n${n}`));
          expect(mine.map((r) => r.phase)).toEqual(phases);
          for (let k = 1; k < mine.length; k++) expect(mine[k].start).toBe(mine[k - 1].end);
          const poweredAt = rows.find((r) => r.node === `n${n}` && r.type === 'power.on')!.at;
          expect(mine[0].start).toBeCloseTo(poweredAt - source.origin!, 9);
        }
      }),
    );
  });
});
