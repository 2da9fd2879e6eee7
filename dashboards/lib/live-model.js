// What the live page knows about a run, rebuilt from its event stream (src/server/run-events.ts):
// nodes per orchestrator state over time, every node's phase intervals (open ones too), the
// failures, and the load samples. Applying the same events in the same order gives the same model.

export const STATES = ['pending', 'powering-on', 'booting', 'deployed', 'failed'];

export class LiveModel {
  /** nodes: node count; nodesPerRack: for grouping; names: node names by index. */
  constructor({ nodes, nodesPerRack, names = [] }) {
    this.nodes = nodes;
    this.nodesPerRack = nodesPerRack;
    this.names = names;
    this.t = 0;
    this.state = new Array(nodes).fill('pending');
    this.counts = Object.fromEntries(STATES.map((s) => [s, s === 'pending' ? nodes : 0]));
    /** Per state: points {x: t, y: nodes from t on} at each change (a step-after line), then one at the current time. */
    this.stateSeries = Object.fromEntries(STATES.map((s) => [s, [{ x: 0, y: this.counts[s] }]]));
    /** node -> [{phase, start, end}] (end null while open), in start order. */
    this.phases = new Map();
    this.phaseNames = [];
    this.failures = [];
    this.samples = [];
    /** Link loads measured in the twin (kind "load"), in time order. */
    this.loads = [];
    this.events = 0;
  }

  nameOf(node) {
    return this.names[node] ?? `node ${node}`;
  }

  rackOf(node) {
    return Math.floor(node / this.nodesPerRack);
  }

  /** Applies one batch of events (live, a phase recorded after the fact may start in the past). */
  apply(batch) {
    for (const e of batch) this.applyOne(e);
    this.events += batch.length;
    // Each series ends at the current time, so a count that has not changed for a while still shows.
    for (const s of STATES) {
      const series = this.stateSeries[s];
      if (series[series.length - 1].trailer) series.pop();
      series.push({ x: this.t, y: this.counts[s], trailer: true });
    }
  }

  /** Records that `state`'s count changed at time t (one point per instant: the last count wins). */
  mark(state, t) {
    const series = this.stateSeries[state];
    if (series[series.length - 1].trailer) series.pop();
    const last = series[series.length - 1];
    if (last.x === t) last.y = this.counts[state];
    else series.push({ x: t, y: this.counts[state] });
  }

  /** Room for nodes up to index `node` (a real run's inventory can grow while it is followed): new ones are pending. */
  grow(node) {
    for (let n = this.nodes; n <= node; n++) {
      this.state.push('pending');
      this.counts.pending++;
    }
    this.nodes = Math.max(this.nodes, node + 1);
  }

  applyOne(e) {
    if (e.t > this.t) this.t = e.t;
    if (e.node !== undefined && e.node >= this.nodes) this.grow(e.node);
    switch (e.kind) {
      case 'state': {
        const before = this.state[e.node];
        this.counts[before]--;
        this.counts[e.state]++;
        this.state[e.node] = e.state;
        this.mark(before, e.t);
        this.mark(e.state, e.t);
        break;
      }
      case 'failure':
        this.failures.push({ t: e.t, node: e.node, reason: e.reason });
        break;
      case 'phase-start': {
        if (!this.phaseNames.includes(e.phase)) this.phaseNames.push(e.phase);
        let list = this.phases.get(e.node);
        if (!list) this.phases.set(e.node, (list = []));
        list.push({ phase: e.phase, start: e.t, end: null });
        break;
      }
      case 'phase-end': {
        if (!this.phaseNames.includes(e.phase)) this.phaseNames.push(e.phase);
        let list = this.phases.get(e.node);
        if (!list) this.phases.set(e.node, (list = []));
        const open = list.find((p) => p.phase === e.phase && p.end === null && p.start === e.start);
        if (open) open.end = e.t;
        else list.push({ phase: e.phase, start: e.start, end: e.t });
        // "rootfs:failed" ends the "rootfs" that began at the same time: it is not open any more.
        const failed = e.phase.endsWith(':failed') ? e.phase.slice(0, -':failed'.length) : null;
        if (failed !== null) {
          const i = list.findIndex((p) => p.phase === failed && p.end === null && p.start === e.start);
          if (i >= 0) list.splice(i, 1);
        }
        break;
      }
      case 'sample':
        this.samples.push(e);
        break;
      case 'load':
        this.loads.push(e);
        break;
    }
  }
}

/**
 * Nodes in each phase over time, from the phases seen so far (open ones still count at `now`):
 * {phase -> [{x: t, y: nodes}]} as step points, for the live chart before the run's samples come.
 */
export function phaseCounts(model, now) {
  const deltas = new Map();
  for (const list of model.phases.values()) {
    for (const p of list) {
      let d = deltas.get(p.phase);
      if (!d) deltas.set(p.phase, (d = []));
      d.push([p.start, 1]);
      if (p.end !== null) d.push([p.end, -1]);
    }
  }
  const out = {};
  for (const [phase, d] of deltas) {
    d.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const points = [{ x: 0, y: 0 }];
    let n = 0;
    for (const [t, delta] of d) {
      n += delta;
      if (points[points.length - 1].x === t) points[points.length - 1].y = n;
      else points.push({ x: t, y: n });
    }
    points.push({ x: Math.max(now, points[points.length - 1].x), y: n });
    out[phase] = points;
  }
  return out;
}

/**
 * Gantt rows for the phase timeline: one row per node (of one rack, or all), or per group of
 * `group` racks, where each phase spans the group's mean start to mean end of that phase over
 * its nodes that began it. Open phases end at `now`. Returns {labels, rows: [{phase -> [start, end]}]}.
 */
export function ganttRows(model, { perRack, now, rack = null, group = 1 }) {
  const labels = [];
  const rows = [];
  if (!perRack) {
    for (let node = 0; node < model.nodes; node++) {
      if (rack !== null && model.rackOf(node) !== rack) continue;
      labels.push(model.nameOf(node));
      const row = {};
      for (const p of model.phases.get(node) ?? []) row[p.phase] = [p.start, p.end ?? now];
      rows.push(row);
    }
    return { labels, rows };
  }
  const racks = Math.ceil(model.nodes / model.nodesPerRack);
  for (let first = 0; first < racks; first += group) {
    const last = Math.min(racks, first + group) - 1;
    const sums = {};
    for (let node = first * model.nodesPerRack; node < Math.min(model.nodes, (last + 1) * model.nodesPerRack); node++) {
      for (const p of model.phases.get(node) ?? []) {
        const s = (sums[p.phase] ??= { start: 0, end: 0, n: 0 });
        s.start += p.start;
        s.end += p.end ?? now;
        s.n++;
      }
    }
    labels.push(first === last ? `rack ${first}` : `racks ${first}-${last}`);
    rows.push(Object.fromEntries(Object.entries(sums).map(([phase, s]) => [phase, [s.start / s.n, s.end / s.n]])));
  }
  return { labels, rows };
}

/** Racks per row so that the per-rack timeline has at most `maxRows` rows. */
export function racksPerRow(racks, maxRows = 100) {
  return Math.max(1, Math.ceil(racks / maxRows));
}
