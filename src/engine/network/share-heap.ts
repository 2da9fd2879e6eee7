/**
 * Indexed min-heap of constraints keyed by their fair share (remaining capacity / unfrozen flows),
 * for the progressive-filling solver. During progressive filling a constraint's share can only
 * grow (a flow frozen at the current minimum share r <= s leaves (rem - r) / (n - 1) >= s), so
 * updates are sift-downs in place: no stale duplicates, and the heap never holds more entries
 * than the component has constraints. Ties on share are broken by constraint id so the solver's
 * order never depends on insertion accidents.
 */
import type { Constraint } from './link.ts';

function less(a: Constraint, b: Constraint): boolean {
  return a.share < b.share || (a.share === b.share && a.id < b.id);
}

export class ShareHeap {
  private items: Constraint[] = [];

  clear(): void {
    this.items.length = 0;
  }

  get length(): number {
    return this.items.length;
  }

  /** Adds a constraint whose `share` is set. */
  push(c: Constraint): void {
    const items = this.items;
    c.heapIndex = items.length;
    items.push(c);
    this.siftUp(c.heapIndex);
  }

  top(): Constraint {
    return this.items[0];
  }

  /** Removes the top constraint. */
  pop(): void {
    const items = this.items;
    const last = items.pop()!;
    items[0].heapIndex = -1;
    if (items.length > 0) {
      items[0] = last;
      last.heapIndex = 0;
      this.siftDown(0);
    }
  }

  /** Restores order after `c.share` changed (it grows in exact arithmetic; rounding may nudge it either way). */
  update(c: Constraint): void {
    this.siftDown(c.heapIndex);
    this.siftUp(c.heapIndex);
  }

  /** Removes a constraint that is in the heap (it has no unfrozen flows left). */
  remove(c: Constraint): void {
    const i = c.heapIndex;
    const items = this.items;
    const last = items.pop()!;
    c.heapIndex = -1;
    if (i === items.length) return;
    items[i] = last;
    last.heapIndex = i;
    this.siftDown(i);
    this.siftUp(last.heapIndex);
  }

  private siftUp(i: number): void {
    const items = this.items;
    const c = items[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p];
      if (!less(c, parent)) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    items[i] = c;
    c.heapIndex = i;
  }

  private siftDown(i: number): void {
    const items = this.items;
    const n = items.length;
    const c = items[i];
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && less(items[r], items[l])) child = r;
      if (!less(items[child], c)) break;
      items[i] = items[child];
      items[i].heapIndex = i;
      i = child;
    }
    items[i] = c;
    c.heapIndex = i;
  }
}
