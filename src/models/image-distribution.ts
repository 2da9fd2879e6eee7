/**
 * Distributing one image from a server to every node of a rack topology, the two plans of the
 * reference scenarios:
 * - flat: every node downloads from the server, at most `concurrency` at once; when one download
 *   ends the next node (in node order) starts;
 * - relay (two-level, BCM style): the server sends the image to K relays at once; the racks are
 *   split into K groups of whole, contiguous racks (group g gets racks floor(g*R/K) to
 *   floor((g+1)*R/K)-1); each group's relay is its first node, and as soon as it has the image it
 *   serves the rest of its group all at once.
 *
 * Both are callback-driven (no processes), so they run at the engine's full speed.
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import type { Flow } from '../engine/network/flow.ts';
import type { RackTopology } from './topology.ts';

/**
 * Every node's download, as columns (one entry per node) rather than an object per node: a
 * 100,000-node run would otherwise allocate 100,000 short-lived records for the collector.
 * Times in simulated seconds; NaN until the download has ended.
 */
export class TransferLog {
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Node the bytes came from, or -1 for the server. */
  readonly source: Int32Array;

  constructor(readonly nodes: number) {
    this.start = new Float64Array(nodes).fill(NaN);
    this.end = new Float64Array(nodes).fill(NaN);
    this.source = new Int32Array(nodes).fill(-1);
  }

  record(node: number, source: number, start: number, end: number): void {
    this.source[node] = source;
    this.start[node] = start;
    this.end[node] = end;
  }
}

export interface RelayGroup {
  firstRack: number;
  /** One past the last rack. */
  endRack: number;
  relay: number;
  /** Nodes of the group: [firstNode, endNode). */
  firstNode: number;
  endNode: number;
}

/** Splits R racks into K groups of whole, contiguous racks, the relay being each group's first node. */
export function relayGroups(topology: RackTopology, relays: number): RelayGroup[] {
  const R = topology.racks;
  if (!(Number.isInteger(relays) && relays >= 1 && relays <= R)) {
    throw new UsageError(ErrorCodes.SCENARIO_INVALID, `relays must be an integer from 1 to the number of racks (${R}), got ${relays}`);
  }
  const groups: RelayGroup[] = [];
  for (let g = 0; g < relays; g++) {
    const firstRack = Math.floor((g * R) / relays);
    const endRack = Math.floor(((g + 1) * R) / relays);
    const firstNode = topology.rackNodes(firstRack).first;
    const endNode = topology.rackNodes(endRack - 1).end;
    groups.push({ firstRack, endRack, relay: firstNode, firstNode, endNode });
  }
  return groups;
}

/** Schedules the flat plan; records fill in as downloads finish. `concurrency` may be Infinity. */
export function startFlatDistribution(topology: RackTopology, bytes: number, concurrency: number): TransferLog {
  if (!(concurrency >= 1)) throw new UsageError(ErrorCodes.SCENARIO_INVALID, `concurrency must be >= 1, got ${concurrency}`);
  const net = topology.network;
  const log = new TransferLog(topology.nodes);
  let next = 0;
  // One shared completion handler (not a closure per flow): the flow's data is its node.
  function downloaded(f: Flow): void {
    log.record(f.data as number, -1, f.requestedAt, f.finishedAt);
    if (next < topology.nodes) startNext();
  }
  function startNext(): void {
    const node = next++;
    net.transfer(topology.serverToNode(node), bytes, { data: node, onComplete: downloaded });
  }
  const first = Math.min(concurrency, topology.nodes);
  for (let i = 0; i < first; i++) startNext();
  return log;
}

/** Schedules the two-level relay plan; records fill in as downloads finish. */
export function startRelayDistribution(topology: RackTopology, bytes: number, relays: number): TransferLog {
  const net = topology.network;
  const log = new TransferLog(topology.nodes);
  const groups = relayGroups(topology, relays);
  // Shared completion handlers (not a closure per flow): a flow's data is its node or group.
  const relayOf = new Int32Array(topology.nodes);
  function childDownloaded(f: Flow): void {
    const node = f.data as number;
    log.record(node, relayOf[node], f.requestedAt, f.finishedAt);
  }
  function relayDownloaded(f: Flow): void {
    const group = groups[f.data as number];
    const relay = group.relay;
    log.record(relay, -1, f.requestedAt, f.finishedAt);
    for (let node = group.firstNode; node < group.endNode; node++) {
      if (node === relay) continue;
      relayOf[node] = relay;
      net.transfer(topology.nodeToNode(relay, node), bytes, { data: node, onComplete: childDownloaded });
    }
  }
  groups.forEach((group, g) => net.transfer(topology.serverToNode(group.relay), bytes, { data: g, onComplete: relayDownloaded }));
  return log;
}
