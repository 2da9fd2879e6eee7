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

/** One node's download: times in simulated seconds. */
export interface TransferRecord {
  node: number;
  /** Where the bytes came from: "server" or the relay's node index. */
  source: 'server' | number;
  role: 'relay' | 'node';
  start: number;
  end: number;
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
export function startFlatDistribution(topology: RackTopology, bytes: number, concurrency: number): TransferRecord[] {
  if (!(concurrency >= 1)) throw new UsageError(ErrorCodes.SCENARIO_INVALID, `concurrency must be >= 1, got ${concurrency}`);
  const net = topology.network;
  const records: TransferRecord[] = new Array(topology.nodes);
  let next = 0;
  // One shared completion handler (not a closure per flow): the flow's data is its node.
  function downloaded(f: Flow): void {
    const node = f.data as number;
    records[node] = { node, source: 'server', role: 'node', start: f.requestedAt, end: f.finishedAt };
    if (next < topology.nodes) startNext();
  }
  function startNext(): void {
    const node = next++;
    net.transfer(topology.serverToNode(node), bytes, { data: node, onComplete: downloaded });
  }
  const first = Math.min(concurrency, topology.nodes);
  for (let i = 0; i < first; i++) startNext();
  return records;
}

/** Schedules the two-level relay plan; records fill in as downloads finish. */
export function startRelayDistribution(topology: RackTopology, bytes: number, relays: number): TransferRecord[] {
  const net = topology.network;
  const records: TransferRecord[] = new Array(topology.nodes);
  const groups = relayGroups(topology, relays);
  // Shared completion handlers (not a closure per flow): a flow's data is its node or group.
  const sourceOf = new Int32Array(topology.nodes);
  function childDownloaded(f: Flow): void {
    const node = f.data as number;
    records[node] = { node, source: sourceOf[node], role: 'node', start: f.requestedAt, end: f.finishedAt };
  }
  function relayDownloaded(f: Flow): void {
    const group = groups[f.data as number];
    const relay = group.relay;
    records[relay] = { node: relay, source: 'server', role: 'relay', start: f.requestedAt, end: f.finishedAt };
    for (let node = group.firstNode; node < group.endNode; node++) {
      if (node === relay) continue;
      sourceOf[node] = relay;
      net.transfer(topology.nodeToNode(relay, node), bytes, { data: node, onComplete: childDownloaded });
    }
  }
  groups.forEach((group, g) => net.transfer(topology.serverToNode(group.relay), bytes, { data: g, onComplete: relayDownloaded }));
  return records;
}
