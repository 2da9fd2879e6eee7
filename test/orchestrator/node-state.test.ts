import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isTerminal, NODE_STATE_ENTRY, replayNodeStates, stateEntryData, transition, type NodeStatus } from '../../src/orchestrator/node-state.ts';
import type { JournalEntry } from '../../src/ports/index.ts';

/** A random walk of legal transitions for one node. */
function legalWalk(choices: number[]): NodeStatus[] {
  const walk: NodeStatus[] = [];
  let s: NodeStatus = { state: 'pending' };
  let attempt = 0;
  for (const c of choices) {
    if (isTerminal(s)) break;
    let next: NodeStatus;
    switch (s.state) {
      case 'pending':
        next = c % 5 === 0 ? { state: 'failed', reason: 'no BMC' } : { state: 'powering-on', attempt: ++attempt };
        break;
      case 'powering-on':
        next = c % 3 === 0 ? { state: 'powering-on', attempt: ++attempt } : c % 3 === 1 ? { state: 'booting', attempt, phase: null } : { state: 'failed', reason: 'BMC timeout' };
        break;
      case 'booting':
        next =
          c % 4 === 0
            ? { state: 'booting', attempt: s.attempt, phase: 'initrd' }
            : c % 4 === 1
              ? { state: 'deployed' }
              : c % 4 === 2
                ? { state: 'powering-on', attempt: ++attempt }
                : { state: 'failed', reason: 'boot timeout' };
        break;
      default:
        continue;
    }
    s = transition('n', s, next);
    walk.push(s);
  }
  return walk;
}

describe('node state machine', () => {
  it('refuses impossible transitions', () => {
    expect(() => transition('n1', { state: 'deployed' }, { state: 'booting', attempt: 1, phase: null })).toThrow(/no transition from deployed/);
    expect(() => transition('n1', { state: 'failed', reason: 'x' }, { state: 'powering-on', attempt: 2 })).toThrow();
    expect(() => transition('n1', { state: 'pending' }, { state: 'deployed' })).toThrow();
    expect(() => transition('n1', { state: 'booting', attempt: 2, phase: null }, { state: 'powering-on', attempt: 2 })).toThrow(/raise the attempt/);
  });

  it('replaying the journal rebuilds every node state exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(11), { maxLength: 12 }), { minLength: 1, maxLength: 8 }), (walks) => {
        // Interleave the nodes' walks into one journal, round robin.
        const perNode = walks.map(legalWalk);
        const journal: JournalEntry[] = [];
        for (let step = 0; perNode.some((w) => step < w.length); step++) {
          perNode.forEach((w, i) => {
            if (step < w.length) journal.push({ seq: journal.length + 1, at: step, type: NODE_STATE_ENTRY, node: `n${i}`, data: stateEntryData(w[step]) });
          });
        }
        const replayed = replayNodeStates(journal);
        perNode.forEach((w, i) => {
          if (w.length === 0) expect(replayed.has(`n${i}`)).toBe(false);
          else expect(replayed.get(`n${i}`)).toEqual(w[w.length - 1]);
        });
      }),
    );
  });

  it('replay refuses a journal with an impossible step', () => {
    const journal: JournalEntry[] = [
      { seq: 1, at: 0, type: NODE_STATE_ENTRY, node: 'n1', data: { state: 'powering-on', attempt: 1 } },
      { seq: 2, at: 1, type: NODE_STATE_ENTRY, node: 'n1', data: { state: 'deployed' } },
    ];
    expect(() => replayNodeStates(journal)).toThrow(/powering-on to deployed/);
  });
});
