/**
 * Max-min fair rate allocation by progressive filling (Bertsekas & Gallager, Data Networks 6.5.2),
 * on one connected component of the flow/constraint graph.
 *
 * Repeatedly take the most constrained resource: either the constraint whose remaining capacity
 * divided by its unfrozen flows (its fair share) is smallest, or the flow whose own cap is below
 * every share. Freeze the flows concerned at that rate, subtract it from every constraint they
 * cross, and go on. The result: every flow is at its cap or crosses a saturated constraint on
 * which no flow has a higher rate. Cost O((F + sum of route lengths) log C).
 */
import { InternalError, ErrorCodes } from '../../errors.ts';
import { RATE_PRECISION } from '../precision.ts';
import type { Constraint, FlowState } from './link.ts';
import { ShareHeap } from './share-heap.ts';

export class MaxMinSolver {
  private readonly heap = new ShareHeap();
  private readonly capped: FlowState[] = [];
  private epoch = 0;

  /**
   * Sets `newRate` on every flow of the component and `load` on every constraint.
   * @param constraints every constraint crossed by a flow of the component (and possibly idle ones)
   * @param flows every active flow crossing those constraints
   * @param bandwidthFactor usable fraction of each constraint's capacity
   */
  solve(constraints: readonly Constraint[], flows: readonly FlowState[], bandwidthFactor: number): void {
    const heap = this.heap;
    const capped = this.capped;
    const frozenMark = ++this.epoch;
    heap.clear();
    capped.length = 0;

    for (const c of constraints) {
      c.rem = c.capacity * bandwidthFactor;
      c.unfrozen = c.flows.length;
      if (c.unfrozen > 0) heap.push(c.rem / c.unfrozen, c);
    }
    let left = flows.length;
    for (const f of flows) {
      if (f.cap < Infinity) capped.push(f);
      else if (f.constraints.length === 0) {
        // Nothing limits it: a local copy. Infinite rate means it completes at once.
        f.newRate = Infinity;
        f.frozen = frozenMark;
        left--;
      }
    }
    capped.sort((a, b) => a.cap - b.cap || a.id - b.id);
    let capIdx = 0;

    const freeze = (f: FlowState, rate: number): void => {
      f.newRate = rate;
      f.frozen = frozenMark;
      left--;
      for (const c of f.constraints) {
        c.rem -= rate;
        if (c.rem < 0) c.rem = 0; // rounding only: shares never over-commit
        c.unfrozen--;
        if (c.unfrozen > 0) heap.push(c.rem / c.unfrozen, c);
      }
    };

    while (left > 0) {
      // Skip stale heap entries: a constraint whose share changed since the entry was pushed.
      while (heap.length > 0) {
        const c = heap.topItem();
        if (c.unfrozen > 0 && heap.topShare() === c.rem / c.unfrozen) break;
        heap.pop();
      }
      while (capIdx < capped.length && capped[capIdx].frozen === frozenMark) capIdx++;
      const share = heap.length > 0 ? heap.topShare() : Infinity;
      const cap = capIdx < capped.length ? capped[capIdx].cap : Infinity;
      if (share === Infinity && cap === Infinity) {
        throw new InternalError(ErrorCodes.NETWORK_INVARIANT, `max-min solver: ${left} flows left with no constraint and no cap`);
      }
      if (cap <= share * (1 + RATE_PRECISION)) {
        // A flow's own cap binds before any constraint saturates.
        freeze(capped[capIdx++], cap);
        continue;
      }
      // The constraint with the smallest share saturates: freeze all its unfrozen flows at that share.
      const bottleneck = heap.topItem();
      heap.pop();
      const onIt = bottleneck.flows;
      for (let i = 0; i < onIt.length; i++) {
        const f = onIt[i];
        if (f.frozen !== frozenMark) freeze(f, share);
      }
    }

    for (const c of constraints) {
      let load = 0;
      for (const f of c.flows) load += f.newRate;
      c.load = load;
    }
  }
}
