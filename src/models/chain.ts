/**
 * Kascade / Kadeploy pipelined chain broadcast. The nodes form a chain; the server sends the image
 * to the first node, which forwards each chunk of c bytes to the second as soon as it has it, and
 * so on. Every hop runs at once, and since a node can only forward what it has received (and a
 * full buffer holds its sender back), the whole chain moves at the rate of its slowest hop.
 *
 * Mechanism: the stream is ONE flow whose route is the union of every hop's route (each link
 * direction used by any hop, once), so it runs at the max-min rate of the tightest link of the
 * chain, shared fairly with any other traffic. A link direction that m hops cross carries m copies:
 * the flow is capped at its usable capacity / m (exact for rack-major order on full-duplex links,
 * where no direction is crossed twice). The network charges the union route the sum of every hop's
 * latency (times the sharing model's latency factor) before the first byte: that is the set-up of
 * the chain, each node connecting to the next.
 * Then node k (0-based, in the chain) lags the head by k chunks and by the propagation latency of
 * hops 1..k, so with a constant rate b:
 *
 *   end_k = T0 + L_setup + S/b + k*c/b + sum_{i=1..k} latency(hop i)
 *
 * (facts.md: T ~ S/b + (N-1)(c/b + hop latency)). Under a varying rate, b in the tail terms is the
 * stream's mean rate. The tail adds no bytes: every hop carries exactly S, already in the flow.
 *
 * Failures (`failNode`): the stream stops; every node keeps the bytes it had received; the failed
 * node leaves the chain and its successor is fed by its predecessor. After `rechainDelay` the
 * stream restarts from the first node still missing bytes, at the bytes that node had, and each
 * later node keeps its lag behind it (at least one chunk per place in the chain).
 */
import type { Flow } from '../engine/network/flow.ts';
import type { ScheduledEvent } from '../engine/calendar.ts';
import { checkBytes, checkNodeList, checkRange, rackMajor, unionRoute, type BroadcastRoutes } from './broadcast-routes.ts';
import { BroadcastNodeFailed, DEFAULT_CHAIN_PARAMS, type ChainParams, type ChainRecord, type ChainResult } from './chain-params.ts';
import { UsageError, ErrorCodes } from '../errors.ts';

export * from './chain-params.ts';

const RECEIVING = 0;
const COMPLETING = 1; // every byte has left upstream; its completion event is scheduled
const DONE = 2;
const FAILED = 3;

export class ChainBroadcast {
  /** Node numbers in chain order. */
  readonly order: readonly number[];
  /** One record per node, in chain order. */
  readonly records: ChainRecord[];
  /** Resolves when every node has the image or has failed. */
  readonly done: Promise<ChainResult>;
  /** Times the chain was re-formed after a failure. */
  rechains = 0;

  private readonly p: ChainParams;
  private readonly state: Uint8Array;
  private readonly lag: Float64Array; // bytes behind the head of the current stream
  private readonly prop: Float64Array; // propagation latency from the head of the current stream, s
  private readonly events: (ScheduledEvent | null)[];
  private readonly position = new Map<number, number>();
  private unsettled: number;
  private resolve!: (r: ChainResult) => void;
  // The current stream: its members (positions still receiving, in order), source, offset.
  private members: number[] = [];
  private source = -1;
  private offset = 0;
  private phase: 'paused' | 'flowing' | 'tail' | 'idle' = 'idle';
  private flow: Flow | null = null;
  private resume: ScheduledEvent | null = null;
  private tailStart = 0;
  private tailRate = Infinity;

  constructor(
    private readonly routes: BroadcastRoutes,
    nodes: readonly number[],
    private readonly bytes: number,
    params: Partial<ChainParams> = {},
  ) {
    this.p = { ...DEFAULT_CHAIN_PARAMS, ...params };
    checkNodeList(routes, nodes, 'chain');
    checkBytes(bytes, 'chain');
    checkRange(this.p.chunkSize, 0, Infinity, 'chain: chunkSize (bytes)', { lo: true, hi: true });
    checkRange(this.p.rechainDelay, 0, Infinity, 'chain: rechainDelay (seconds)', { hi: true });
    if (this.p.order !== 'rack-major' && this.p.order !== 'given') throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `chain: order must be "rack-major" or "given", got "${this.p.order}"`);
    this.order = this.p.order === 'rack-major' ? rackMajor(routes, nodes) : [...nodes];
    const n = this.order.length;
    const now = routes.network.engine.now;
    this.records = this.order.map((node, position) => ({ node, position, start: now, end: NaN, failedAt: NaN, error: null }));
    this.order.forEach((node, i) => this.position.set(node, i));
    this.state = new Uint8Array(n).fill(RECEIVING);
    this.lag = new Float64Array(n);
    this.prop = new Float64Array(n);
    this.events = new Array<ScheduledEvent | null>(n).fill(null);
    this.unsettled = n;
    this.done = new Promise((r) => (this.resolve = r));
    this.members = this.order.map((_, i) => i);
    this.phase = 'paused';
    this.rechain(0);
  }

  /**
   * Makes `node` (a node number) fail at absolute time `at` (default now). If it still feeds a node
   * that misses bytes, the chain is re-formed without it. A node that fails after it had the image
   * keeps its end time (failedAt and error are recorded all the same).
   */
  failNode(node: number, at = this.routes.network.engine.now): void {
    const pos = this.position.get(node);
    if (pos === undefined) throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `chain: node ${node} is not in the chain`);
    this.routes.network.engine.schedule(at, () => this.fail(pos));
  }

  private get engine() {
    return this.routes.network.engine;
  }

  private fail(pos: number): void {
    const st = this.state[pos];
    if (st === FAILED) return;
    const now = this.engine.now;
    const rec = this.records[pos];
    rec.failedAt = now;
    rec.error = new BroadcastNodeFailed(rec.node, now);
    this.state[pos] = FAILED;
    if (st !== DONE) {
      if (this.events[pos] !== null) this.engine.cancel(this.events[pos]);
      this.events[pos] = null;
      this.settle();
    }
    // It disturbs the stream only if it still feeds someone: its next surviving node is missing
    // bytes. (A last node dying just stops receiving; its links stay in the stream's route.)
    let next = pos + 1;
    while (next < this.state.length && this.state[next] === FAILED) next++;
    const feeds = next < this.state.length && this.state[next] !== DONE && this.members.includes(next) && this.received(next) < this.bytes;
    if (feeds) {
      this.rechains++;
      this.rechain(this.p.rechainDelay);
    }
  }

  /** Head position of the current stream, bytes (can exceed S in the tail phase). */
  private progress(now: number): number {
    if (this.phase === 'flowing') return this.offset + this.flow!.bytesDone(now);
    if (this.phase === 'tail') return this.tailRate === Infinity ? Infinity : this.bytes + this.tailRate * (now - this.tailStart);
    return this.offset;
  }

  /** Bytes a member of the current stream has received by now. */
  private received(pos: number): number {
    return Math.min(this.bytes, Math.max(0, this.progress(this.engine.now) - this.lag[pos]));
  }

  /** Stops the current stream and forms a new one from the nodes still missing bytes. */
  private rechain(delay: number): void {
    const engine = this.engine;
    const now = engine.now;
    const head = this.progress(now);
    if (this.flow !== null) this.routes.network.cancel(this.flow);
    if (this.resume !== null) engine.cancel(this.resume);
    this.flow = null;
    this.resume = null;
    const received = new Map<number, number>();
    const members: number[] = [];
    for (const pos of this.members) {
      if (this.state[pos] === FAILED || this.state[pos] === DONE) continue;
      const r = Math.min(this.bytes, Math.max(0, head - this.lag[pos]));
      // In the tail, a node that every byte has already reached keeps its completion.
      if (this.state[pos] === COMPLETING && r >= this.bytes) continue;
      if (this.events[pos] !== null) engine.cancel(this.events[pos]);
      this.events[pos] = null;
      this.state[pos] = RECEIVING;
      received.set(pos, r);
      members.push(pos);
    }
    this.members = members;
    if (members.length === 0) {
      this.phase = 'idle';
      return;
    }
    let source = members[0] - 1;
    while (source >= 0 && this.state[source] === FAILED) source--;
    this.source = source;
    const c = this.p.chunkSize;
    const first = received.get(members[0])!;
    this.offset = first;
    this.lag[members[0]] = 0;
    this.prop[members[0]] = 0;
    for (let i = 1; i < members.length; i++) {
      const [a, b] = [members[i - 1], members[i]];
      // A node keeps its lag behind the head, and lags its predecessor by one chunk at least.
      this.lag[b] = Math.max(first - received.get(b)!, this.lag[a] + c);
      this.prop[b] = this.prop[a] + this.routes.network.routeLatency(this.routes.nodeToNode(this.order[a], this.order[b]));
    }
    this.phase = 'paused';
    this.resume = engine.after(delay, () => this.startFlow());
  }

  private startFlow(): void {
    this.resume = null;
    const { routes, order, members } = this;
    const hops = [this.source < 0 ? routes.serverToNode(order[members[0]]) : routes.nodeToNode(order[this.source], order[members[0]])];
    for (let i = 1; i < members.length; i++) hops.push(routes.nodeToNode(order[members[i - 1]], order[members[i]]));
    const union = unionRoute(hops, routes.network.model.bandwidthFactor);
    this.phase = 'flowing';
    this.flow = routes.network.transfer(union.route, this.bytes - this.offset, {
      cap: union.multiplicityCap,
      label: 'chain stream',
      onComplete: (f) => this.streamDone(f),
    });
  }

  private streamDone(flow: Flow): void {
    const now = this.engine.now;
    const duration = flow.finishedAt - flow.startedAt;
    this.flow = null;
    this.phase = 'tail';
    this.tailStart = now;
    this.tailRate = flow.size > 0 && duration > 0 ? flow.size / duration : Infinity;
    for (const pos of this.members) {
      if (this.state[pos] !== RECEIVING) continue; // failed meanwhile
      this.state[pos] = COMPLETING;
      const at = now + this.lag[pos] / this.tailRate + this.prop[pos];
      this.events[pos] = this.engine.schedule(at, () => this.nodeDone(pos));
    }
  }

  private nodeDone(pos: number): void {
    this.events[pos] = null;
    this.state[pos] = DONE;
    this.records[pos].end = this.engine.now;
    this.p.onNodeDone?.(this.records[pos]);
    this.settle();
  }

  private settle(): void {
    if (--this.unsettled === 0) this.resolve({ records: this.records, order: [...this.order], rechains: this.rechains });
  }
}

/**
 * Starts broadcasting `bytes` to `nodes` along a pipelined chain. Throws a UsageError
 * (DT_BROADCAST_BAD_PARAMS) at once on bad arguments; `done` resolves once the engine has run.
 */
export function startChainBroadcast(routes: BroadcastRoutes, nodes: readonly number[], bytes: number, params: Partial<ChainParams> = {}): ChainBroadcast {
  return new ChainBroadcast(routes, nodes, bytes, params);
}
