/**
 * Min-heap of (share, constraint) pairs for the progressive-filling solver, with lazy updates:
 * when a constraint's share changes, a new pair is pushed and the stale one is recognised and
 * skipped when it surfaces (its share no longer matches the constraint's current one). Ties on
 * share are broken by constraint id so the solver's order never depends on insertion accidents.
 */
import type { Constraint } from './link.ts';

export class ShareHeap {
  private shares: number[] = [];
  private items: Constraint[] = [];

  clear(): void {
    this.shares.length = 0;
    this.items.length = 0;
  }

  get length(): number {
    return this.items.length;
  }

  push(share: number, c: Constraint): void {
    const shares = this.shares;
    const items = this.items;
    let i = items.length;
    shares.push(share);
    items.push(c);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (shares[p] < share || (shares[p] === share && items[p].id < c.id)) break;
      shares[i] = shares[p];
      items[i] = items[p];
      i = p;
    }
    shares[i] = share;
    items[i] = c;
  }

  topShare(): number {
    return this.shares[0];
  }

  topItem(): Constraint {
    return this.items[0];
  }

  pop(): void {
    const shares = this.shares;
    const items = this.items;
    const lastShare = shares.pop()!;
    const lastItem = items.pop()!;
    const n = items.length;
    if (n === 0) return;
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && (shares[r] < shares[l] || (shares[r] === shares[l] && items[r].id < items[l].id))) child = r;
      if (shares[child] > lastShare || (shares[child] === lastShare && items[child].id > lastItem.id)) break;
      shares[i] = shares[child];
      items[i] = items[child];
      i = child;
    }
    shares[i] = lastShare;
    items[i] = lastItem;
  }
}
