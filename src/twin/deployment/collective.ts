/**
 * Root filesystems that travel to many nodes at once (multicast, chain, peer-to-peer): nodes that
 * reach their rootfs phase join a session at their source (deployment server or relay). A session
 * starts when every node expected at that source has joined, or `sessionWait` seconds after the
 * first joiner (udp-sender's --max-wait, Kadeploy's and a tracker's start policies); nodes that
 * come later form the next session. Each node's rootfs phase ends when its own copy is complete.
 */
import type { ScheduledEvent } from '../../engine/calendar.ts';
import type { BroadcastRoutes } from '../../models/broadcast-routes.ts';
import { startChainBroadcast } from '../../models/chain.ts';
import { startMulticastSession } from '../../models/multicast.ts';
import { startSwarm } from '../../models/peer-to-peer.ts';
import { constant } from '../../models/sampler.ts';
import type { RackTopology } from '../../models/topology.ts';
import type { DeploymentTwin } from './cluster.ts';

interface Waiter {
  node: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface SourceState {
  /** Nodes still expected to join at this source. */
  expected: number;
  waiting: Waiter[];
  timer: ScheduledEvent | null;
}

/** Routes as seen from a relay: the relay plays the image server's part. */
function routesFrom(fabric: RackTopology, relay: number, server: number): BroadcastRoutes {
  if (relay < 0) {
    return {
      network: fabric.network,
      nodes: fabric.nodes,
      serverToNode: (n) => fabric.serverToNode(n, server),
      nodeToNode: (a, b) => fabric.nodeToNode(a, b),
      rackOf: (n) => fabric.rackOf(n),
    };
  }
  return {
    network: fabric.network,
    nodes: fabric.nodes,
    serverToNode: (n) => fabric.nodeToNode(relay, n),
    nodeToNode: (a, b) => fabric.nodeToNode(a, b),
    rackOf: (n) => fabric.rackOf(n),
  };
}

export class CollectiveSessions {
  private readonly sources = new Map<string, SourceState>();
  private readonly joined = new Set<number>();

  constructor(private readonly twin: DeploymentTwin) {
    for (let n = 0; n < twin.nodes; n++) {
      const state = this.stateOf(n);
      state.expected++;
    }
  }

  private keyOf(node: number): string {
    const relay = this.twin.rootfsSource[node];
    return relay >= 0 ? `relay:${relay}` : `server:${this.twin.serverOf(node)}`;
  }

  private stateOf(node: number): SourceState {
    const key = this.keyOf(node);
    let s = this.sources.get(key);
    if (s === undefined) this.sources.set(key, (s = { expected: 0, waiting: [], timer: null }));
    return s;
  }

  /** Called by the driver when a node will never join (it failed before its rootfs phase). */
  forget(node: number): void {
    if (this.joined.has(node)) return;
    this.joined.add(node);
    const s = this.stateOf(node);
    s.expected--;
    if (s.waiting.length > 0 && s.expected === 0) this.launch(node, s);
  }

  /** The node's rootfs arrives through a session; resolves when its copy is complete. */
  join(node: number, signal: AbortSignal): Promise<void> {
    const engine = this.twin.engine;
    const s = this.stateOf(node);
    this.joined.add(node);
    return new Promise<void>((resolve, reject) => {
      s.waiting.push({ node, resolve, reject });
      s.expected--;
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      if (s.expected <= 0) {
        this.launch(node, s);
      } else if (s.timer === null) {
        s.timer = engine.after(this.twin.scenario.boot.rootfs.sessionWait, () => this.launch(node, s));
      }
    });
  }

  private launch(anyNode: number, s: SourceState): void {
    if (s.timer !== null) this.twin.engine.cancel(s.timer);
    s.timer = null;
    const members = s.waiting;
    s.waiting = [];
    if (members.length === 0) return;
    const rootfs = this.twin.scenario.boot.rootfs;
    const relay = this.twin.rootfsSource[anyNode];
    const routes = routesFrom(this.twin.fabric(rootfs.network), relay, this.twin.serverOf(anyNode));
    const byNode = new Map(members.map((w) => [w.node, w]));
    const done = (node: number) => byNode.get(node)?.resolve();
    const nodes = members.map((w) => w.node);
    const bytes = rootfs.image.size;
    let run: Promise<unknown>;
    switch (rootfs.method) {
      case 'multicast': {
        // udp-receiver writes to disk as it receives: a disk target paces the session (--pipe).
        const image = rootfs.image;
        const receiveRate = rootfs.target === 'disk' && image.format === 'disk' ? constant(image.writeRate) : null;
        run = startMulticastSession(routes, relay < 0 ? 'server' : relay, nodes, bytes, { receiveRate, onReceiverDone: (r) => done(r.node) });
        break;
      }
      case 'chain':
        run = startChainBroadcast(routes, nodes, bytes, { onNodeDone: (r) => done(r.node) }).done;
        break;
      default:
        run = startSwarm(routes, nodes, bytes, { onPeerDone: (r) => done(r.node) });
    }
    run.catch((e: unknown) => members.forEach((w) => w.reject(e)));
  }
}
