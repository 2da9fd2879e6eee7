/**
 * udpcast / Clonezilla multicast: one sender (the image server or a relay node) sends one stream
 * to a session of receivers. Every packet crosses each link of the multicast tree once: the
 * sender's NIC once, each rack uplink that leads to a receiver once, each receiver's access link
 * once. So a session is ONE flow whose route is the union of the sender-to-receiver routes (the
 * FlowNetwork accepts any list of distinct hops, so a tree is fine): it shares every link of the
 * tree max-min with the rest of the traffic, like a single TCP flow would.
 *
 * The stream is paced by the slowest receiver: its own rate cap is efficiency x min over the
 * session's receivers of their receive rate (drawn once per session). All receivers of a session
 * finish together. Receivers join at given times; a session starts when minReceivers wait or
 * maxWait seconds after its first receiver joined (udp-sender --min-receivers / --max-wait); a
 * receiver that joins while a session runs waits for the next one. Loss adds 1/(1-p) of
 * retransmissions to the stream.
 *
 * Latency: the FlowNetwork charges a route its summed hop latencies before the first byte, which
 * for a tree is the sum over the whole tree rather than its depth: a conservative stand-in for
 * udpcast's session handshake, negligible with LAN latencies (microseconds per hop).
 *
 * Streams: `multicast.receive-rate.<node>` (one per receiver, so adding a receiver never shifts
 * another's draw).
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import type { Flow } from '../engine/network/flow.ts';
import type { Route } from '../engine/network/link.ts';
import { checkBytes, checkNodeList, checkRange, unionRoute, type BroadcastRoutes } from './broadcast-routes.ts';
import { DEFAULT_MULTICAST_PARAMS, type MulticastParams, type MulticastReceiver, type MulticastRecord, type MulticastResult, type MulticastSession } from './multicast-params.ts';
import type { Sampler } from './sampler.ts';

export * from './multicast-params.ts';

/** Who sends: the image server, or a node acting as relay. */
export type BroadcastSender = 'server' | number;

/** Route from the sender to a receiver. */
export function senderRoute(routes: BroadcastRoutes, sender: BroadcastSender, node: number): Route {
  return sender === 'server' ? routes.serverToNode(node) : routes.nodeToNode(sender, node);
}

/**
 * Serves `receivers` (node numbers, or receivers with join times and rates) with `bytes` from
 * `sender`, in as many sessions as the join times and minReceivers/maxWait make necessary.
 * Resolves once every receiver has the image (run the engine to get there). Throws a UsageError
 * (DT_BROADCAST_BAD_PARAMS) at once on bad arguments.
 */
export function startMulticastSession(
  routes: BroadcastRoutes,
  sender: BroadcastSender,
  receivers: readonly (number | MulticastReceiver)[],
  bytes: number,
  params: Partial<MulticastParams> = {},
): Promise<MulticastResult> {
  const p: MulticastParams = { ...DEFAULT_MULTICAST_PARAMS, ...params };
  const engine = routes.network.engine;
  const list = receivers.map((r) => (typeof r === 'number' ? { node: r } : r));
  validate(routes, sender, list, bytes, p);
  const records: MulticastRecord[] = list.map((r) => ({ node: r.node, joinAt: r.joinAt ?? engine.now, session: -1, start: NaN, end: NaN, receiveRate: NaN }));
  const sessions: MulticastSession[] = [];
  const bytesOnWire = bytes / (1 - p.lossRate);

  return new Promise((resolve) => {
    let waiting: number[] = []; // indices into records, in join order
    let served = 0;
    let busy = false;
    let startPending = false;
    let timer: ReturnType<typeof engine.schedule> | null = null;

    // Starts at the end of the instant, so that every receiver joining at this instant is in.
    const requestStart = (): void => {
      if (startPending) return;
      startPending = true;
      if (timer !== null) engine.cancel(timer);
      timer = null;
      engine.atEndOfInstant(startSession);
    };

    const consider = (): void => {
      if (busy || startPending || waiting.length === 0) return;
      const threshold = Math.min(p.minReceivers, records.length - served);
      if (waiting.length >= threshold) requestStart();
      else if (timer === null && p.maxWait < Infinity) {
        // --max-wait counts from the first receiver of the session to have joined.
        const at = Math.max(engine.now, records[waiting[0]].joinAt + p.maxWait);
        timer = engine.schedule(at, () => {
          timer = null;
          requestStart();
        });
      }
    };

    const startSession = (): void => {
      startPending = false;
      busy = true;
      const members = waiting;
      waiting = [];
      served += members.length;
      const id = sessions.length;
      const now = engine.now;
      let slowest = Infinity;
      for (const i of members) {
        const rec = records[i];
        const rate = drawRate(list[i].receiveRate ?? p.receiveRate, rec.node);
        rec.session = id;
        rec.start = now;
        rec.receiveRate = rate;
        slowest = Math.min(slowest, rate);
      }
      const tree = unionRoute(
        members.map((i) => senderRoute(routes, sender, records[i].node)),
        routes.network.model.bandwidthFactor,
      );
      const cap = p.efficiency * slowest;
      sessions.push({ start: now, end: NaN, receivers: members.map((i) => records[i].node), cap, bytesOnWire });
      routes.network.transfer(tree.route, bytesOnWire, { cap, label: `multicast session ${id}`, data: members, onComplete: endSession });
    };

    const endSession = (flow: Flow): void => {
      const members = flow.data as number[];
      sessions[sessions.length - 1].end = flow.finishedAt;
      for (const i of members) {
        records[i].end = flow.finishedAt;
        p.onReceiverDone?.(records[i]);
      }
      busy = false;
      if (served === records.length) resolve({ records, sessions });
      else consider();
    };

    const drawRate = (sampler: Sampler | null, node: number): number => {
      let rate: number;
      if (sampler === null) {
        const route = senderRoute(routes, sender, node);
        rate = route.length > 0 ? route[route.length - 1].link.capacity : Infinity;
      } else {
        // The stream is created on first draw only, so constant samplers cost nothing.
        rate = sampler.sample(() => engine.stream(`multicast.receive-rate.${node}`).next());
      }
      if (!(rate > 0)) throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `multicast: receiver ${node} drew a receive rate of ${rate} bytes/s (must be > 0)`);
      return rate;
    };

    records.forEach((rec, i) =>
      engine.schedule(rec.joinAt, () => {
        waiting.push(i);
        consider();
      }),
    );
  });
}

function validate(routes: BroadcastRoutes, sender: BroadcastSender, list: readonly MulticastReceiver[], bytes: number, p: MulticastParams): void {
  const what = 'multicast';
  checkNodeList(
    routes,
    list.map((r) => r.node),
    `${what} receivers`,
  );
  if (sender !== 'server') {
    checkNodeList(routes, [sender], `${what} sender`);
    if (list.some((r) => r.node === sender)) throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `${what}: the sender (node ${sender}) cannot also be a receiver`);
  }
  checkBytes(bytes, what);
  checkRange(p.efficiency, 0, 1, `${what}: efficiency`, { lo: true });
  checkRange(p.lossRate, 0, 1, `${what}: lossRate`, { hi: true });
  checkRange(p.maxWait, 0, Infinity, `${what}: maxWait (seconds)`);
  if (!(p.minReceivers >= 1)) throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `${what}: minReceivers must be >= 1, got ${p.minReceivers}`);
  const now = routes.network.engine.now;
  for (const r of list) {
    if (r.joinAt !== undefined && !(r.joinAt >= now && r.joinAt < Infinity)) {
      throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `${what}: receiver ${r.node} joins at t=${r.joinAt}s, before the clock (${now}s) or never`);
    }
  }
}
