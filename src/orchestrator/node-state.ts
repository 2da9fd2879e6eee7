/**
 * The per-node state machine of a deployment. Terminal states are Deployed and Failed(reason);
 * every other state says what the orchestrator is waiting for. Transitions are checked: an
 * impossible one is a bug and throws, so a journal can never record one.
 *
 *   pending -> powering-on -> booting -> deployed
 *                  ^   |         |  \
 *                  |   v         v   v
 *                  +-- (retry) --+  failed
 *
 * Every change is journalled (type "node.state") before it takes effect; replaying the journal
 * with `replayNodeStates` gives back exactly the states the orchestrator held.
 */
import { ErrorCodes, InternalError } from '../errors.ts';
import type { JournalEntry, NodePhase } from '../ports/index.ts';

export type NodeStatus =
  | { state: 'pending' }
  | { state: 'powering-on'; attempt: number }
  | { state: 'booting'; attempt: number; phase: NodePhase | null }
  | { state: 'deployed' }
  | { state: 'failed'; reason: string };

export type NodeStateName = NodeStatus['state'];

/** Which states may follow which. */
const NEXT: Record<NodeStateName, readonly NodeStateName[]> = {
  pending: ['powering-on', 'failed'],
  'powering-on': ['powering-on', 'booting', 'failed'],
  booting: ['booting', 'powering-on', 'deployed', 'failed'],
  deployed: [],
  failed: [],
};

export const NODE_STATE_ENTRY = 'node.state';

export function isTerminal(s: NodeStatus): boolean {
  return s.state === 'deployed' || s.state === 'failed';
}

/** Checks a transition; returns the new status. Throws InternalError on an impossible one. */
export function transition(node: string, from: NodeStatus, to: NodeStatus): NodeStatus {
  if (!NEXT[from.state].includes(to.state)) {
    throw new InternalError(ErrorCodes.ORCH_BAD_TRANSITION, `node ${node}: no transition from ${from.state} to ${to.state}`);
  }
  if (to.state === 'powering-on' && from.state !== 'pending' && to.attempt <= attemptOf(from)) {
    throw new InternalError(ErrorCodes.ORCH_BAD_TRANSITION, `node ${node}: a retry must raise the attempt number (${attemptOf(from)} -> ${to.attempt})`);
  }
  return to;
}

function attemptOf(s: NodeStatus): number {
  return s.state === 'powering-on' || s.state === 'booting' ? s.attempt : 0;
}

/** The journal entry data that records a state. */
export function stateEntryData(status: NodeStatus): Record<string, unknown> {
  return { ...status };
}

/**
 * Rebuilds every node's state from a journal: the last "node.state" entry of each node wins,
 * and every step is checked as it was when it happened. Nodes never mentioned are absent.
 */
export function replayNodeStates(entries: readonly JournalEntry[]): Map<string, NodeStatus> {
  const states = new Map<string, NodeStatus>();
  for (const e of entries) {
    if (e.type !== NODE_STATE_ENTRY || e.node === undefined) continue;
    const to = e.data as NodeStatus;
    states.set(e.node, transition(e.node, states.get(e.node) ?? { state: 'pending' }, to));
  }
  return states;
}
