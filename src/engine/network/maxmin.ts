/**
 * Max-min fair rate allocation by progressive filling (Bertsekas & Gallager, Data Networks 6.5.2),
 * on connected components of the flow/constraint graph.
 *
 * Repeatedly take the most constrained resource: either the constraint whose remaining capacity
 * divided by its unfrozen flows (its fair share) is smallest, or the flow whose own cap is below
 * every share. Freeze the flows concerned at that rate, subtract it from every constraint they
 * cross, and go on. The result: every flow is at its cap or crosses a saturated constraint on
 * which no flow has a higher rate. Cost O((F + sum of route lengths) log C) per component.
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
   * Sets `newRate` on every flow and `load` on every constraint given.
   * @param constraints every constraint crossed by a flow given (and possibly idle ones)
   * @param flows every active flow crossing those constraints
   * @param bandwidthFactor usable fraction of each constraint's capacity
   */
  solve(constraints: readonly Constraint[], flows: readonly FlowState[], bandwidthFactor: number): void {
    const heap = this.heap;
    const capped = this.capped;
    const frozenMark = ++this.epoch;
    heap.clear();
    capped.length = 0;

    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      c.rem = c.capacity * bandwidthFactor;
      c.unfrozen = c.flows.length;
      c.load = 0;
      c.heapIndex = -1;
      if (c.unfrozen > 0) {
        c.share = c.rem / c.unfrozen;
        heap.push(c);
      }
    }
    let left = flows.length;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i];
      if (f.cap < Infinity) capped.push(f);
      else if (f.constraints.length === 0) {
        // Nothing limits it: a local copy. Infinite rate means it completes at once.
        f.newRate = Infinity;
        f.frozen = frozenMark;
        left--;
      }
    }
    if (capped.length > 1) capped.sort((a, b) => a.cap - b.cap || a.id - b.id);
    let capIdx = 0;

    while (left > 0) {
      while (capIdx < capped.length && capped[capIdx].frozen === frozenMark) capIdx++;
      const share = heap.length > 0 ? heap.top().share : Infinity;
      const cap = capIdx < capped.length ? capped[capIdx].cap : Infinity;
      if (share === Infinity && cap === Infinity) {
        throw new InternalError(ErrorCodes.NETWORK_INVARIANT, `max-min solver: ${left} flows left with no constraint and no cap`);
      }
      if (cap <= share * (1 + RATE_PRECISION)) {
        // A flow's own cap binds before any constraint saturates.
        left -= this.freeze(capped[capIdx++], cap, frozenMark);
        continue;
      }
      // The constraint with the smallest share saturates: freeze all its unfrozen flows at that share.
      const onIt = heap.top().flows;
      for (let i = 0; i < onIt.length; i++) {
        const f = onIt[i];
        if (f.frozen !== frozenMark) left -= this.freeze(f, share, frozenMark);
      }
    }
  }

  /** Freezes one flow at `rate`, updating the constraints it crosses. Returns 1. */
  private freeze(f: FlowState, rate: number, frozenMark: number): number {
    f.newRate = rate;
    f.frozen = frozenMark;
    const cs = f.constraints;
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k];
      c.load += rate;
      c.rem -= rate;
      if (c.rem < 0) c.rem = 0; // rounding only: shares never over-commit
      c.unfrozen--;
      if (c.unfrozen === 0) {
        this.heap.remove(c);
      } else {
        c.share = c.rem / c.unfrozen;
        this.heap.update(c);
      }
    }
    return 1;
  }
}
