/**
 * planCluster: the whole cluster configuration computed from the operator's input, before anything
 * is written. Pure and deterministic (the same config gives a deep-equal plan), so a plan can be
 * shown, diffed and property-tested, and applying it is a separate, journalled step (apply.ts).
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { NodeRecord, NodeRole } from '../../ports/index.ts';
import { compressHostlist } from '../../scenario/hostlist.ts';
import { assignAddresses, checkDisjoint, checkNetwork, plannedNetwork, type PlannedNetwork } from './addresses.ts';
import { MAX_CLUSTER_NODES, type ClusterConfig } from './config.ts';
import { assignGroups } from './groups.ts';
import { formatIpv4 } from './ipv4.ts';
import { nodeNames } from './names.ts';
import { assignRoles } from './roles.ts';
import { planSshKey, type PlannedSshKey } from './ssh-key.ts';
import { bad, checkCount, checkName } from './validate.ts';

/** A node as the inventory will hold it (hardware is the commissioning stage's, never planned). */
export type PlannedNode = Omit<NodeRecord, 'hardware'>;

export interface RelayPlan {
  relay: string;
  /** The compute nodes this relay serves, in node order. */
  children: string[];
  /** The same children as a compressed hostlist ("" when none). */
  hostlist: string;
}

export interface ClusterPlan {
  cluster: string;
  nodesPerRack: number;
  /** Number of racks, ceil(nodes / nodesPerRack); racks are numbered from 0. */
  racks: number;
  /** Every node, in node order. */
  nodes: PlannedNode[];
  networks: PlannedNetwork[];
  /** Compressed hostlist of each role ("" when no node has it). */
  roles: Record<NodeRole, string>;
  /** Each group and its compressed hostlist, in order of the group's first node. */
  groups: Array<{ name: string; hostlist: string }>;
  /** Each relay (in node order) and the nodes it serves; the children partition the compute nodes. */
  relays: RelayPlan[];
  sshKey: PlannedSshKey;
}

/**
 * Checks the configuration and computes the plan. Throws UsageError with a CONFIGURE_* code (or
 * HOSTLIST_INVALID for a malformed hostlist) naming the field that is wrong.
 */
export function planCluster(config: ClusterConfig): ClusterPlan {
  if (typeof config !== 'object' || config === null) bad('the cluster configuration must be an object');
  checkName(config.name, 'cluster name');
  checkCount(config.nodesPerRack, 'nodesPerRack', 1);
  const names = nodeNames(config.naming, config.nodes, MAX_CLUSTER_NODES);
  const n = names.length;
  const index = new Map(names.map((name, i) => [name, i]));
  const perRack = config.nodesPerRack;
  const racks = Math.ceil(n / perRack);
  const rackOf = names.map((_, i) => Math.floor(i / perRack));

  const groupOf = assignGroups(names, index, rackOf, config.groups ?? { kind: 'single', name: config.name });
  const { roles, relays } = assignRoles(names, index, racks, (r) => Math.min(r * perRack, n), config.heads, config.relays ?? { kind: 'none' });

  if (!Array.isArray(config.networks)) bad('networks must be a list of { name, start, prefixLength, gateway? }');
  const ranges = config.networks.map(checkNetwork);
  const networkNames = new Set<string>();
  for (const r of ranges) {
    if (networkNames.has(r.config.name)) throw new UsageError(ErrorCodes.CONFIGURE_DUPLICATE_NAME, `network "${r.config.name}" is defined twice`);
    networkNames.add(r.config.name);
  }
  const assigned = ranges.map((r) => assignAddresses(r, n));
  checkDisjoint(ranges, assigned);
  const bmcs = checkBmcs(config.bmcs, names);
  const sshKey = planSshKey(config.sshKey);

  const nodes: PlannedNode[] = names.map((name, i) => ({
    name,
    rack: rackOf[i],
    group: groupOf[i],
    role: roles[i],
    bmc: bmcs[i],
    addresses: Object.fromEntries(ranges.map((r, k) => [r.config.name, formatIpv4(assigned[k][i])])),
  }));

  const byGroup = new Map<string, string[]>();
  for (const node of nodes) {
    const members = byGroup.get(node.group);
    if (members) members.push(node.name);
    else byGroup.set(node.group, [node.name]);
  }
  const ofRole = (role: NodeRole) => compressHostlist(nodes.filter((node) => node.role === role).map((node) => node.name));

  return {
    cluster: config.name,
    nodesPerRack: perRack,
    racks,
    nodes,
    networks: ranges.map((r, k) => plannedNetwork(r, assigned[k])),
    roles: { head: ofRole('head'), relay: ofRole('relay'), compute: ofRole('compute') },
    groups: [...byGroup].map(([name, members]) => ({ name, hostlist: compressHostlist(members) })),
    relays: relays.map(({ relay, children }) => {
      const childNames = children.map((i) => names[i]);
      return { relay: names[relay], children: childNames, hostlist: compressHostlist(childNames) };
    }),
    sshKey,
  };
}

/** One BMC address per node, all different; "" for every node when not given. */
function checkBmcs(bmcs: readonly string[] | undefined, names: readonly string[]): string[] {
  if (bmcs === undefined) return names.map(() => '');
  if (!Array.isArray(bmcs) || bmcs.length !== names.length) {
    bad(`bmcs must list one BMC address per node (${names.length}), got ${Array.isArray(bmcs) ? bmcs.length : typeof bmcs}`);
  }
  const owner = new Map<string, string>();
  bmcs.forEach((address, i) => {
    if (typeof address !== 'string' || address.trim() === '') bad(`bmcs[${i}] (node ${names[i]}) must be a non-empty address, got ${JSON.stringify(address)}`);
    const other = owner.get(address);
    if (other !== undefined) throw new UsageError(ErrorCodes.CONFIGURE_DUPLICATE_NAME, `BMC address ${address} is given for both ${other} and ${names[i]}`);
    owner.set(address, names[i]);
  });
  return [...bmcs];
}
