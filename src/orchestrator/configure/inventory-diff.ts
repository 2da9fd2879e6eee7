/**
 * What applying a plan would change in an inventory, computed before anything is written: the
 * records to create or update, the records already right, and the conflicts. A conflict is a
 * fact the plan contradicts (a network with other bounds, a node with another address or BMC,
 * an address held by another node, another registered key): it is reported, never overwritten,
 * because overwriting an address renumbers a live machine.
 *
 * Fields the configuration stage owns (rack, group, role) are updated when they differ: changing
 * them is what re-running the stage with a new configuration is for. Fields it does not set are
 * kept: hardware (commissioning's), addresses on networks outside the plan, a known BMC when the
 * plan has none.
 */
import type { JournalEntry, NetworkRecord, NodeRecord } from '../../ports/index.ts';
import type { ClusterPlan, PlannedNode } from './plan.ts';

export const CONFIGURE_NETWORK_ENTRY = 'configure.network';
export const CONFIGURE_NODE_ENTRY = 'configure.node';
export const CONFIGURE_SSH_KEY_ENTRY = 'configure.ssh-key';

export interface NodeChange {
  action: 'create' | 'update';
  record: NodeRecord;
}

/** The SSH key already recorded for a cluster in the journal (the last one wins). */
export interface RecordedKey {
  publicKey: string;
  fingerprint: string;
}

export interface PlanDiff {
  networks: NetworkRecord[];
  nodes: NodeChange[];
  unchangedNetworks: number;
  unchangedNodes: number;
  conflicts: string[];
}

/** The network record the inventory holds for a planned network (the port has no gateway field). */
export function networkRecord(plan: ClusterPlan['networks'][number]): NetworkRecord {
  return { name: plan.name, start: plan.start, prefixLength: plan.prefixLength };
}

export function diffPlan(plan: ClusterPlan, networks: readonly NetworkRecord[], nodes: readonly NodeRecord[]): PlanDiff {
  const diff: PlanDiff = { networks: [], nodes: [], unchangedNetworks: 0, unchangedNodes: 0, conflicts: [] };
  const knownNetworks = new Map(networks.map((r) => [r.name, r]));
  for (const planned of plan.networks) {
    const want = networkRecord(planned);
    const have = knownNetworks.get(want.name);
    if (have === undefined) diff.networks.push(want);
    else if (have.start === want.start && have.prefixLength === want.prefixLength) diff.unchangedNetworks += 1;
    else diff.conflicts.push(`network "${want.name}": inventory has ${have.start}/${have.prefixLength}, plan has ${want.start}/${want.prefixLength}`);
  }

  const byName = new Map(nodes.map((r) => [r.name, r]));
  const owner = new Map<string, string>();
  for (const r of nodes) for (const [net, address] of Object.entries(r.addresses)) owner.set(addressKey(net, address), r.name);

  for (const planned of plan.nodes) {
    const before = diff.conflicts.length;
    for (const [net, address] of Object.entries(planned.addresses)) {
      const holder = owner.get(addressKey(net, address));
      if (holder !== undefined && holder !== planned.name) diff.conflicts.push(`address ${address} on network "${net}", planned for ${planned.name}, is held by ${holder}`);
    }
    const have = byName.get(planned.name);
    if (have === undefined) {
      if (diff.conflicts.length === before) diff.nodes.push({ action: 'create', record: { ...planned, addresses: { ...planned.addresses } } });
      continue;
    }
    for (const [net, address] of Object.entries(planned.addresses)) {
      if (Object.hasOwn(have.addresses, net) && have.addresses[net] !== address) {
        diff.conflicts.push(`node ${planned.name}: inventory has ${have.addresses[net]} on network "${net}", plan has ${address}`);
      }
    }
    if (have.bmc !== '' && planned.bmc !== '' && have.bmc !== planned.bmc) diff.conflicts.push(`node ${planned.name}: inventory has BMC ${have.bmc}, plan has ${planned.bmc}`);
    if (diff.conflicts.length > before) continue;
    const merged = merge(have, planned);
    if (sameNode(have, merged)) diff.unchangedNodes += 1;
    else diff.nodes.push({ action: 'update', record: merged });
  }
  return diff;
}

/** The last key recorded for `cluster` in the journal, if any. */
export function recordedKey(entries: readonly JournalEntry[], cluster: string): RecordedKey | undefined {
  for (let k = entries.length - 1; k >= 0; k--) {
    const e = entries[k];
    if (e.type === CONFIGURE_SSH_KEY_ENTRY && e.data?.cluster === cluster) {
      return { publicKey: String(e.data.publicKey), fingerprint: String(e.data.fingerprint) };
    }
  }
  return undefined;
}

function addressKey(network: string, address: string): string {
  return `${network}\u0000${address}`;
}

function merge(have: NodeRecord, planned: PlannedNode): NodeRecord {
  return {
    ...have,
    rack: planned.rack,
    group: planned.group,
    role: planned.role,
    bmc: planned.bmc !== '' ? planned.bmc : have.bmc,
    addresses: { ...have.addresses, ...planned.addresses },
  };
}

function sameNode(a: NodeRecord, b: NodeRecord): boolean {
  if (a.rack !== b.rack || a.group !== b.group || a.role !== b.role || a.bmc !== b.bmc) return false;
  const keys = Object.keys(b.addresses);
  return keys.length === Object.keys(a.addresses).length && keys.every((k) => Object.hasOwn(a.addresses, k) && a.addresses[k] === b.addresses[k]);
}
