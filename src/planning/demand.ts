/**
 * What a scenario asks of its cluster, in the form the lower bound reasons about: for each kind of
 * node (role), the sequence of steps it must go through one after the other with the least time
 * each can take, and the transfers those steps make (bytes over which network, from the server or
 * from a relay, and the work they give the source's services). Built from a scenario by
 * deployment-demand.ts and transfer-demand.ts; turned into bounds by bound-terms.ts.
 *
 * Units: seconds, bytes, bytes/s; files, operations and slots as plain counts.
 */
import type { RelayGroup } from '../models/image-distribution.ts';
import { ErrorCodes, UsageError } from '../errors.ts';
import type { NetworkParams } from '../twin/scenario.ts';

/** node: served by the server (no relays); relay: served by the server, then serves its group; child: served by its relay. */
export type Role = 'node' | 'relay' | 'child';

export interface Step {
  name: string;
  /** The least time the step can take, seconds. */
  seconds: number;
}

export interface Transfer {
  /** The step that makes it. */
  step: string;
  network: string;
  source: 'server' | 'relay';
  /** Bytes the node receives over the network (all copies). */
  bytes: number;
  /** One stream feeds every node of a session (multicast, chain, p2p): the source sends `bytes` once, not once per node. */
  collective: boolean;
  /** Work on the source's services for this node: HTTP bytes read, rsync files, NFS operations. */
  httpBytes: number;
  rsyncFiles: number;
  nfsOps: number;
  /** TFTP: the least time this download holds one of the server's TFTP slots, seconds. */
  tftpSeconds: number;
}

export interface RoleDemand {
  role: Role;
  /** In the order the node goes through them. */
  steps: Step[];
  transfers: Transfer[];
}

/** Capacities of the services, shared by all the nodes a source serves (Infinity: no limit). */
export interface Capacities {
  /** Bytes/s each deployment server's HTTP disk or page cache delivers. */
  serverHttpRead: number;
  /** Bytes/s each relay's HTTP server delivers. */
  relayHttpRead: number;
  /** Files/s each rsync server (deployment server or relay) stats and opens. */
  rsyncFileRate: number;
  /** Operations/s each NFS server completes. */
  nfsOpsRate: number;
  /** Transfers the (single) TFTP server serves at once. */
  tftpSlots: number;
}

/** Groups of whole, contiguous racks, each served by its first node (the relay): the models' own. */
export type { RelayGroup };

export interface Demand {
  nodes: number;
  nodesPerRack: number;
  racks: number;
  /** Deployment servers, each with a NIC on every network. */
  servers: number;
  networks: ReadonlyMap<string, NetworkParams>;
  roles: RoleDemand[];
  /** The step that brings the image a relay serves ("rootfs" or "image"). */
  imageStep: string;
  /** Empty without relays. */
  groups: RelayGroup[];
  capacities: Capacities;
  /** Peer-to-peer rootfs: the image size and its network; null for other methods. */
  p2p: { network: string; bytes: number } | null;
}

/**
 * The split the twin uses for relays (models/image-distribution.ts and the orchestrator's
 * rack-groups relays): group g gets racks floor(g*R/K) to floor((g+1)*R/K)-1, its relay is its first
 * node. `where` names the setting in the error for more relays than racks.
 */
export function relayGroupsOf(nodes: number, nodesPerRack: number, relays: number, where: string): RelayGroup[] {
  const racks = Math.ceil(nodes / nodesPerRack);
  if (relays === 0) return [];
  if (!(Number.isInteger(relays) && relays >= 1 && relays <= racks)) {
    throw new UsageError(ErrorCodes.SCENARIO_INVALID, `${where}: ${relays} relays, but the cluster has ${racks} racks and a relay serves whole racks (at most ${racks})`);
  }
  const groups: RelayGroup[] = [];
  for (let g = 0; g < relays; g++) {
    const firstRack = Math.floor((g * racks) / relays);
    const endRack = Math.floor(((g + 1) * racks) / relays);
    const firstNode = firstRack * nodesPerRack;
    groups.push({ firstRack, endRack, relay: firstNode, firstNode, endNode: Math.min(endRack * nodesPerRack, nodes) });
  }
  return groups;
}

/** Seconds of the role's steps before `step` (the earliest the step can start). */
export function prefixSeconds(role: RoleDemand, step: string): number {
  let t = 0;
  for (const s of role.steps) {
    if (s.name === step) return t;
    t += s.seconds;
  }
  return t;
}

/** Seconds of the role's steps after `step` (the least time from its end to the node's end). */
export function suffixSeconds(role: RoleDemand, step: string): number {
  let t = 0;
  for (let i = role.steps.length - 1; i >= 0; i--) {
    if (role.steps[i].name === step) return t;
    t += role.steps[i].seconds;
  }
  return t;
}

export function stepSeconds(role: RoleDemand, step: string): number {
  return role.steps.find((s) => s.name === step)?.seconds ?? 0;
}

export function pathSeconds(role: RoleDemand): number {
  return role.steps.reduce((t, s) => t + s.seconds, 0);
}

/** How many nodes of each role a rack holds; children split by whether their relay is in the rack. */
export interface RackRoles {
  node: number;
  relay: number;
  childLocal: number;
  childRemote: number;
}

/** The roles in `rack`; `group` is the relay group holding it (undefined without relays). */
export function rackRoles(d: Demand, rack: number, group: RelayGroup | undefined): RackRoles {
  const first = rack * d.nodesPerRack;
  const end = Math.min(first + d.nodesPerRack, d.nodes);
  if (group === undefined) return { node: end - first, relay: 0, childLocal: 0, childRemote: 0 };
  return group.firstRack === rack
    ? { node: 0, relay: 1, childLocal: end - first - 1, childRemote: 0 }
    : { node: 0, relay: 0, childLocal: 0, childRemote: end - first };
}

/** Every rack with the relay group holding it, in rack order. */
export function* racksWithGroups(d: Demand): Generator<{ rack: number; group: RelayGroup | undefined }> {
  if (d.groups.length === 0) {
    for (let rack = 0; rack < d.racks; rack++) yield { rack, group: undefined };
    return;
  }
  for (const group of d.groups) for (let rack = group.firstRack; rack < group.endRack; rack++) yield { rack, group };
}

/** Number of nodes with each role. */
export function roleCount(d: Demand, role: Role): number {
  if (role === 'node') return d.groups.length === 0 ? d.nodes : 0;
  if (role === 'relay') return d.groups.length;
  return d.groups.length === 0 ? 0 : d.nodes - d.groups.length;
}
