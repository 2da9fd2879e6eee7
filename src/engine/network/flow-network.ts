/**
 * The flow-level network: links, routes and transfers whose rates follow the sharing model.
 *
 * Incremental by design: starting, ending or re-capping a flow only marks the constraints it
 * crosses as dirty. Once per simulated instant (Engine.atEndOfInstant), the connected components
 * of the flow/constraint graph that contain a dirty constraint are found by a breadth-first walk,
 * re-solved, and only flows whose rate actually changed get a new completion event. Flows elsewhere
 * are not touched, so the cost of an event grows with the size of its component, not of the network.
 */
import { UsageError, ErrorCodes } from '../../errors.ts';
import type { Engine } from '../engine.ts';
import { BYTES_FLOOR, BYTES_PRECISION } from '../precision.ts';
import { Flow } from './flow.ts';
import { Link, type Constraint, type LinkSpec, type Route } from './link.ts';
import { MaxMinSolver } from './maxmin.ts';
import { SHARING_MODELS, type SharingModel } from './sharing.ts';

export interface TransferOptions {
  /** Own rate cap of the flow, bytes/s (e.g. a TFTP lockstep bound). Default: none. */
  cap?: number;
  /** Label for reports. */
  label?: string;
  /**
   * Called at the instant the last byte arrives. Hot loops should pass one shared function and
   * tell flows apart by `data`, rather than allocate a closure per flow.
   */
  onComplete?: (flow: Flow) => void;
  /** Anything the caller wants to find again on the flow (e.g. the destination node). */
  data?: unknown;
}

export interface NetworkStats {
  flowsStarted: number;
  flowsCompleted: number;
  /** Number of per-instant recomputations. */
  recomputations: number;
  /** Sum over recomputations of the flows re-solved (work done by the solver). */
  flowsResolved: number;
}

export class FlowNetwork {
  readonly links: Link[] = [];
  readonly constraints: Constraint[] = [];
  readonly stats: NetworkStats = { flowsStarted: 0, flowsCompleted: 0, recomputations: 0, flowsResolved: 0 };
  private readonly linksByName = new Map<string, Link>();
  private readonly solver = new MaxMinSolver();
  private dirty: Constraint[] = [];
  private dirtyFlows: Flow[] = [];
  private dirtyRound = 1;
  private recomputeScheduled = false;
  private visitEpoch = 0;
  private nextFlowId = 0;
  private active = 0;
  // Scratch arrays reused by every recomputation.
  private readonly compConstraints: Constraint[] = [];
  private readonly compFlows: Flow[] = [];

  constructor(
    readonly engine: Engine,
    readonly model: SharingModel = SHARING_MODELS.maxmin,
  ) {}

  /** True while some rates are stale until the end of the current instant (see recompute). */
  get recomputePending(): boolean {
    return this.recomputeScheduled;
  }

  /** Flows that have started moving bytes and not finished. */
  get activeFlows(): number {
    return this.active;
  }

  addLink(spec: LinkSpec): Link {
    const where = `link "${spec.name}"`;
    if (this.linksByName.has(spec.name)) throw new UsageError(ErrorCodes.NETWORK_BAD_LINK, `${where} is defined twice`);
    if (!(spec.capacity >= 0) || spec.capacity === Infinity) {
      throw new UsageError(ErrorCodes.NETWORK_BAD_LINK, `${where}: capacity must be a finite number of bytes/s >= 0, got ${spec.capacity}`);
    }
    const latency = spec.latency ?? 0;
    if (!(latency >= 0) || latency === Infinity) {
      throw new UsageError(ErrorCodes.NETWORK_BAD_LINK, `${where}: latency must be a finite number of seconds >= 0, got ${latency}`);
    }
    let nextConstraintId = this.constraints.length;
    const link = new Link(this, { name: spec.name, capacity: spec.capacity, latency, duplex: spec.duplex ?? 'full' }, () => nextConstraintId++);
    this.constraints.push(link.up);
    if (link.down !== link.up) this.constraints.push(link.down);
    this.links.push(link);
    this.linksByName.set(spec.name, link);
    return link;
  }

  link(name: string): Link {
    const l = this.linksByName.get(name);
    if (l === undefined) throw new UsageError(ErrorCodes.NETWORK_BAD_ROUTE, `no link named "${name}"`);
    return l;
  }

  /** Sum of the one-way latencies of a route, before the sharing model's latency factor. */
  routeLatency(route: Route): number {
    let lat = 0;
    for (const hop of route) lat += hop.link.spec.latency;
    return lat;
  }

  /**
   * Starts a transfer of `bytes` over `route`. The route's latency (times the model's latency
   * factor) is paid once before the first byte moves; then the flow shares bandwidth with the others.
   */
  transfer(route: Route, bytes: number, options: TransferOptions = {}): Flow {
    if (!(bytes >= 0) || bytes === Infinity) {
      throw new UsageError(ErrorCodes.NETWORK_BAD_FLOW, `a transfer needs a finite number of bytes >= 0, got ${bytes}`);
    }
    let cap = options.cap ?? Infinity;
    if (!(cap > 0)) throw new UsageError(ErrorCodes.NETWORK_BAD_FLOW, `a flow's rate cap must be > 0 bytes/s, got ${cap}`);
    const constraints: Constraint[] = [];
    for (let k = 0; k < route.length; k++) {
      const hop = route[k];
      if (hop.link.owner !== this) {
        throw new UsageError(ErrorCodes.NETWORK_BAD_ROUTE, `route uses link "${hop.link.name}", which is not part of this network`);
      }
      const c = hop.direction === 'up' ? hop.link.up : hop.link.down;
      for (let j = 0; j < k; j++) if (constraints[j] === c) throw new UsageError(ErrorCodes.NETWORK_BAD_ROUTE, `route crosses "${c.name}" twice`);
      constraints.push(c);
    }
    const latency = this.routeLatency(route);
    if (this.model.tcpWindow < Infinity && latency > 0) cap = Math.min(cap, this.model.tcpWindow / (2 * latency));
    const now = this.engine.now;
    const flow = new Flow(this.nextFlowId++, constraints, bytes, cap, now, options.label ?? '', options.data);
    flow.onComplete = options.onComplete;
    this.stats.flowsStarted++;
    const delay = latency * this.model.latencyFactor;
    if (delay > 0) flow.event = this.engine.after(delay, () => this.activate(flow));
    else this.activate(flow);
    return flow;
  }

  /** Promise form of transfer() for processes; aborting `signal` cancels the flow and rejects. */
  transferAsync(route: Route, bytes: number, options: Omit<TransferOptions, 'onComplete'> & { signal?: AbortSignal } = {}): Promise<Flow> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.cancel(flow);
        reject(signal!.reason);
      };
      const flow = this.transfer(route, bytes, {
        ...options,
        onComplete: (f) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(f);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops a transfer now. Returns the bytes it had delivered. No-op on a finished flow. */
  cancel(flow: Flow): number {
    if (flow.status === 'done' || flow.status === 'cancelled') return flow.bytesDone(this.engine.now);
    const now = this.engine.now;
    const delivered = flow.bytesDone(now);
    if (flow.event) this.engine.cancel(flow.event);
    flow.event = null;
    if (flow.status === 'active') this.detach(flow);
    flow.remaining = flow.size - delivered;
    flow.lastUpdate = now;
    flow.status = 'cancelled';
    flow.rate = 0;
    flow.finishedAt = now;
    return delivered;
  }

  /**
   * Changes a link's capacity (bytes/s), e.g. a link degrading or failing (0), or a server whose
   * useful throughput depends on its load. Flows crossing it are re-shared at the end of the instant.
   */
  setCapacity(link: Link, capacity: number): void {
    if (!(capacity >= 0) || capacity === Infinity) {
      throw new UsageError(ErrorCodes.NETWORK_BAD_LINK, `link "${link.name}": capacity must be a finite number of bytes/s >= 0, got ${capacity}`);
    }
    if (link.owner !== this) throw new UsageError(ErrorCodes.NETWORK_BAD_LINK, `link "${link.name}" is not part of this network`);
    link.spec.capacity = capacity;
    link.up.capacity = capacity;
    link.down.capacity = capacity;
    this.markDirty(link.up);
    if (link.down !== link.up) this.markDirty(link.down);
  }

  /** Changes a flow's own rate cap (bytes/s); takes effect at the end of the current instant. */
  setCap(flow: Flow, cap: number): void {
    if (!(cap > 0)) throw new UsageError(ErrorCodes.NETWORK_BAD_FLOW, `a flow's rate cap must be > 0 bytes/s, got ${cap}`);
    if (flow.status === 'active') {
      for (const c of flow.constraints) {
        if (flow.cap < Infinity) c.cappedSum -= flow.cap;
        else c.uncapped--;
        if (cap < Infinity) c.cappedSum += cap;
        else c.uncapped++;
      }
      this.markFlowDirty(flow);
    }
    flow.cap = cap;
  }

  /**
   * True when every flow on `c` has a cap and the caps together (plus `extra`) fit in its usable
   * capacity: then c cannot saturate, so it is nobody's bottleneck and flows can come and go on
   * it without changing anyone else's rate. A small margin keeps rounding from ever making a
   * saturated constraint look free (the incremental sum is reset whenever c is solved).
   */
  private unsaturated(c: Constraint, extra: number): boolean {
    return c.uncapped === 0 && c.cappedSum + extra <= c.capacity * this.model.bandwidthFactor * (1 - 1e-9);
  }

  private activate(flow: Flow): void {
    const now = this.engine.now;
    flow.event = null;
    flow.status = 'active';
    flow.startedAt = now;
    flow.lastUpdate = now;
    this.active++;
    const cs = flow.constraints;
    const capped = flow.cap < Infinity;
    // Fast path: a capped flow whose links all stay unsaturated runs at its cap and changes no
    // one else's rate, so no component needs re-solving (boot loaders, TFTP, wget streams).
    let fast = capped && cs.length > 0;
    for (let k = 0; k < cs.length && fast; k++) if (!this.unsaturated(cs[k], flow.cap)) fast = false;
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k];
      flow.slots[k] = c.flows.length;
      c.flows.push(flow);
      if (capped) c.cappedSum += flow.cap;
      else c.uncapped++;
    }
    if (!fast) {
      this.markFlowDirty(flow);
      return;
    }
    for (let k = 0; k < cs.length; k++) this.changeLoad(cs[k], flow.cap, now);
    flow.rate = flow.cap;
    this.scheduleCompletion(flow, now);
  }

  /** Adds `delta` bytes/s to a constraint's load, keeping its byte count and peak. */
  private changeLoad(c: Constraint, delta: number, now: number): void {
    c.bytesCarried += c.load * (now - c.loadSince);
    c.loadSince = now;
    c.load += delta;
    if (c.load < 0) c.load = 0;
    if (c.load > c.peakLoad) c.peakLoad = c.load;
  }

  /** Removes an active flow from its constraints (swap-remove, O(route length)). */
  private detach(flow: Flow): void {
    this.active--;
    const now = this.engine.now;
    const cs = flow.constraints;
    const capped = flow.cap < Infinity;
    // Leaving only unsaturated links frees capacity nobody was short of: no re-solve needed.
    let fast = capped && cs.length > 0;
    for (let k = 0; k < cs.length && fast; k++) if (!this.unsaturated(cs[k], 0)) fast = false;
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k];
      const idx = flow.slots[k];
      const last = c.flows.pop()!;
      if (last !== flow) {
        c.flows[idx] = last;
        last.slots[last.constraints.indexOf(c)] = idx;
      }
      if (capped) c.cappedSum -= flow.cap;
      else c.uncapped--;
      if (fast) this.changeLoad(c, -flow.rate, now);
      else this.markDirty(c);
    }
    if (cs.length === 0) this.scheduleRecompute();
  }

  private markFlowDirty(flow: Flow): void {
    if (flow.constraints.length === 0) this.dirtyFlows.push(flow);
    for (const c of flow.constraints) this.markDirty(c);
    this.scheduleRecompute();
  }

  private markDirty(c: Constraint): void {
    if (c.dirtyEpoch !== this.dirtyRound) {
      c.dirtyEpoch = this.dirtyRound;
      this.dirty.push(c);
    }
    this.scheduleRecompute();
  }

  private scheduleRecompute(): void {
    if (this.recomputeScheduled) return;
    this.recomputeScheduled = true;
    this.engine.atEndOfInstant(() => this.recompute());
  }

  /**
   * Re-solves every component touched during this instant, one component at a time (a small heap
   * per component, and work proportional to what changed), and reschedules changed completions.
   */
  private recompute(): void {
    this.recomputeScheduled = false;
    this.dirtyRound++;
    const epoch = ++this.visitEpoch;
    const dirty = this.dirty;
    const dirtyFlows = this.dirtyFlows;
    this.dirty = [];
    this.dirtyFlows = [];
    this.stats.recomputations++;
    for (let i = 0; i < dirty.length; i++) {
      if (dirty[i].visit !== epoch) this.solveComponent(dirty[i], null, epoch);
    }
    for (let i = 0; i < dirtyFlows.length; i++) {
      const f = dirtyFlows[i];
      if (f.status === 'active' && f.visit !== epoch) this.solveComponent(null, f, epoch);
    }
  }

  /** Finds the component of a constraint (or of a constraint-less flow), solves it, applies it. */
  private solveComponent(seed: Constraint | null, seedFlow: Flow | null, epoch: number): void {
    const now = this.engine.now;
    const cs = this.compConstraints;
    const fs = this.compFlows;
    cs.length = 0;
    fs.length = 0;
    if (seed !== null) {
      seed.visit = epoch;
      cs.push(seed);
    } else {
      seedFlow!.visit = epoch;
      fs.push(seedFlow!);
    }
    // Breadth-first walk: constraints -> their flows -> those flows' constraints ...
    for (let i = 0; i < cs.length; i++) {
      const onC = cs[i].flows;
      for (let j = 0; j < onC.length; j++) {
        const f = onC[j];
        if (f.visit === epoch) continue;
        f.visit = epoch;
        fs.push(f);
        const fcs = f.constraints;
        for (let k = 0; k < fcs.length; k++) {
          const c2 = fcs[k];
          if (c2.visit !== epoch) {
            c2.visit = epoch;
            cs.push(c2);
          }
        }
      }
    }
    this.stats.flowsResolved += fs.length;

    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      c.bytesCarried += c.load * (now - c.loadSince);
      c.loadSince = now;
      // Recount the capped sum from scratch so incremental rounding never accumulates.
      let sum = 0;
      for (const f of c.flows) if (f.cap < Infinity) sum += f.cap;
      c.cappedSum = sum;
    }
    this.solver.solve(cs, fs, this.model.bandwidthFactor);
    for (let i = 0; i < cs.length; i++) if (cs[i].load > cs[i].peakLoad) cs[i].peakLoad = cs[i].load;

    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      if (f.newRate === f.rate) continue;
      if (f.rate > 0) f.remaining = Math.max(0, f.remaining - f.rate * (now - f.lastUpdate));
      f.lastUpdate = now;
      f.rate = f.newRate;
      if (f.event) this.engine.cancel(f.event);
      f.event = null;
      this.scheduleCompletion(f, now);
    }
  }

  /** Puts the flow's completion in the calendar at the absolute time its remaining bytes run out. */
  private scheduleCompletion(f: Flow, now: number): void {
    if (f.remaining <= f.size * BYTES_PRECISION + BYTES_FLOOR || f.rate === Infinity) {
      f.event = this.engine.schedule(now, () => this.complete(f));
    } else if (f.rate > 0) {
      f.event = this.engine.schedule(now + f.remaining / f.rate, () => this.complete(f));
    }
  }

  private complete(flow: Flow): void {
    flow.event = null;
    this.detach(flow);
    flow.status = 'done';
    flow.remaining = 0;
    flow.lastUpdate = this.engine.now;
    flow.finishedAt = this.engine.now;
    flow.rate = 0;
    this.stats.flowsCompleted++;
    const cb = flow.onComplete;
    flow.onComplete = undefined;
    if (cb) cb(flow);
  }
}
