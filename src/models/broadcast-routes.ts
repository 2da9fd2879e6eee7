/**
 * What the broadcast models (multicast.ts, chain.ts, peer-to-peer.ts) need from a network: the
 * route from the server to a node and from one node to another. A RackTopology is one as it is
 * (its serverToNode, nodeToNode, nodes and rackOf match); any other network can hand the models
 * an object literal with explicit routes.
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import type { FlowNetwork } from '../engine/network/flow-network.ts';
import type { Constraint, Hop, Route } from '../engine/network/link.ts';

export interface BroadcastRoutes {
  /** The network the routes' links belong to (its engine drives the model). */
  readonly network: FlowNetwork;
  /** Number of nodes; nodes are numbered 0 .. nodes-1. */
  readonly nodes: number;
  /** Route of the bytes from the image server to `node`. */
  serverToNode(node: number): Route;
  /** Route of the bytes from node `src` to node `dst`. */
  nodeToNode(src: number, dst: number): Route;
  /** Rack of a node, used for rack-major ordering and rack-local preference; absent = one rack. */
  rackOf?(node: number): number;
}

/** The capacity constraint a hop loads: one direction of a full-duplex link, or a whole half-duplex link. */
export function hopConstraint(hop: Hop): Constraint {
  return hop.direction === 'up' ? hop.link.up : hop.link.down;
}

export interface UnionRoute {
  /** Every constraint crossed by any of the routes, once, in first-seen order. */
  route: Hop[];
  /**
   * The lowest `usable capacity / m` over constraints that the routes cross m > 1 times (bytes/s);
   * Infinity when no constraint is crossed twice. A chain whose hops cross one link direction m
   * times carries m copies of its stream there, which a single flow cannot express: this cap is
   * the stand-in (exact when nothing else uses that constraint).
   */
  multiplicityCap: number;
}

/**
 * The union of several routes as one route, each constraint kept once (a tree, or a chain of
 * hops, as the FlowNetwork accepts any list of distinct hops). A half-duplex link crossed in both
 * directions is one shared medium and is kept once too.
 */
export function unionRoute(routes: Iterable<Route>, bandwidthFactor: number): UnionRoute {
  const seen = new Map<Constraint, number>();
  const route: Hop[] = [];
  for (const r of routes) {
    for (const hop of r) {
      const c = hopConstraint(hop);
      const m = seen.get(c);
      if (m === undefined) route.push(hop);
      seen.set(c, (m ?? 0) + 1);
    }
  }
  let multiplicityCap = Infinity;
  for (const [c, m] of seen) if (m > 1) multiplicityCap = Math.min(multiplicityCap, (c.capacity * bandwidthFactor) / m);
  return { route, multiplicityCap };
}

/** Throws unless `nodes` is a non-empty list of distinct node numbers of `routes`. */
export function checkNodeList(routes: BroadcastRoutes, nodes: readonly number[], what: string): void {
  if (nodes.length === 0) throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `${what}: the list of nodes is empty`);
  const seen = new Set<number>();
  for (const n of nodes) {
    if (!(Number.isInteger(n) && n >= 0 && n < routes.nodes)) {
      throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `${what}: node ${n} is not a node number from 0 to ${routes.nodes - 1}`);
    }
    if (seen.has(n)) throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `${what}: node ${n} is listed twice`);
    seen.add(n);
  }
}

/** Throws unless `bytes` is a finite number >= 0. */
export function checkBytes(bytes: number, what: string): void {
  if (!(bytes >= 0 && bytes < Infinity)) throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `${what}: image size must be a finite number of bytes >= 0, got ${bytes}`);
}

/** Throws unless lo <= x <= hi (bounds inclusive unless said otherwise). */
export function checkRange(x: number, lo: number, hi: number, what: string, open: { lo?: boolean; hi?: boolean } = {}): void {
  const okLo = open.lo ? x > lo : x >= lo;
  const okHi = open.hi ? x < hi : x <= hi;
  if (!(okLo && okHi)) {
    const range = `${open.lo ? '(' : '['}${lo}, ${hi}${open.hi ? ')' : ']'}`;
    throw new UsageError(ErrorCodes.BROADCAST_BAD_PARAMS, `${what} must be in ${range}, got ${x}`);
  }
}

/** The nodes sorted by rack (stable: the given order within a rack); unchanged without rackOf. */
export function rackMajor(routes: BroadcastRoutes, nodes: readonly number[]): number[] {
  const rackOf = routes.rackOf?.bind(routes);
  if (rackOf === undefined) return [...nodes];
  return nodes.map((n, i) => ({ n, i, r: rackOf(n) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.n);
}
