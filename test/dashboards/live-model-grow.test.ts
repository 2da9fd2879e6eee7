/**
 * The live page's model when a run's node count grows while it is watched (a real deployment
 * followed before its inventory is complete): a node beyond the known ones joins as pending,
 * so every count still sums to the nodes.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a browser module in plain JavaScript, without type declarations
import { LiveModel, STATES } from '../../dashboards/lib/live-model.js';

describe('LiveModel with nodes it was not told of', () => {
  it('adds them as pending, then applies their events', () => {
    const m = new LiveModel({ nodes: 1, nodesPerRack: 32 });
    m.apply([
      { kind: 'state', t: 1, node: 0, state: 'powering-on', attempt: 1 },
      { kind: 'state', t: 2, node: 2, state: 'powering-on', attempt: 1 },
      { kind: 'phase-start', t: 3, node: 3, phase: 'dhcp' },
    ]);
    expect(m.nodes).toBe(4);
    expect(m.state).toEqual(['powering-on', 'pending', 'powering-on', 'pending']);
    expect(m.counts).toMatchObject({ pending: 2, 'powering-on': 2 });
    expect((STATES as string[]).reduce((a, s) => a + (m.counts[s] as number), 0)).toBe(4);
  });
});
