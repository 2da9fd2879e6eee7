/**
 * An independent, deliberately naive flow-level simulator used as a test oracle: at every instant
 * where something changes it recomputes max-min rates for all active flows from scratch by plain
 * water-filling (no heaps, no incremental components), then jumps to the earliest completion.
 * Written apart from src/engine so that a shared bug cannot hide in both.
 */

export interface NaiveLink {
  capacity: number;
}

export interface NaiveFlow {
  /** Indices into the link array (each a one-direction capacity). */
  links: number[];
  bytes: number;
  /** Start at time 0, or when flow `after` completes. */
  after?: number;
}

export interface NaiveOptions {
  /** At most this many root flows (no `after`) active at once, started in index order. */
  concurrency?: number;
}

/** Returns [start, end] per flow. */
export function naiveSimulate(links: NaiveLink[], flows: NaiveFlow[], options: NaiveOptions = {}): Array<[number, number]> {
  const n = flows.length;
  const start = new Array<number>(n).fill(NaN);
  const end = new Array<number>(n).fill(NaN);
  const remaining = flows.map((f) => f.bytes);
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  flows.forEach((f, i) => {
    if (f.after === undefined) roots.push(i);
    else {
      const list = children.get(f.after) ?? [];
      list.push(i);
      children.set(f.after, list);
    }
  });
  const concurrency = options.concurrency ?? Infinity;
  let nextRoot = 0;
  let activeRoots = 0;
  const active = new Set<number>();
  let now = 0;
  const begin = (i: number) => {
    start[i] = now;
    active.add(i);
  };
  while (nextRoot < roots.length && activeRoots < concurrency) {
    begin(roots[nextRoot++]);
    activeRoots++;
  }

  while (active.size > 0) {
    const rate = waterFill(links, flows, [...active]);
    let dt = Infinity;
    for (const i of active) dt = Math.min(dt, remaining[i] / rate.get(i)!);
    now += dt;
    const finished: number[] = [];
    for (const i of active) {
      remaining[i] -= rate.get(i)! * dt;
      if (remaining[i] <= 1e-9 * flows[i].bytes) finished.push(i);
    }
    finished.sort((a, b) => a - b);
    for (const i of finished) {
      active.delete(i);
      end[i] = now;
      for (const c of children.get(i) ?? []) begin(c);
      if (flows[i].after === undefined) {
        activeRoots--;
        if (nextRoot < roots.length) {
          begin(roots[nextRoot++]);
          activeRoots++;
        }
      }
    }
  }
  return flows.map((_, i) => [start[i], end[i]]);
}

function waterFill(links: NaiveLink[], flows: NaiveFlow[], active: number[]): Map<number, number> {
  const rate = new Map<number, number>();
  const rem = links.map((l) => l.capacity);
  let unfrozen = new Set(active);
  while (unfrozen.size > 0) {
    const count = new Array<number>(links.length).fill(0);
    for (const i of unfrozen) for (const l of flows[i].links) count[l]++;
    let share = Infinity;
    for (let l = 0; l < links.length; l++) if (count[l] > 0) share = Math.min(share, rem[l] / count[l]);
    const saturated = new Set<number>();
    for (let l = 0; l < links.length; l++) if (count[l] > 0 && rem[l] / count[l] <= share * (1 + 1e-12)) saturated.add(l);
    const next = new Set<number>();
    for (const i of unfrozen) {
      if (flows[i].links.some((l) => saturated.has(l))) {
        rate.set(i, share);
        for (const l of flows[i].links) rem[l] -= share;
      } else next.add(i);
    }
    unfrozen = next;
  }
  return rate;
}
