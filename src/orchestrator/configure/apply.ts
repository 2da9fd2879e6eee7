/**
 * applyClusterPlan: writes a plan's networks and nodes to the inventory and records the cluster's
 * SSH key, journalling each write before doing it ("configure.network", "configure.node",
 * "configure.ssh-key"), so that a resumed run can tell from the journal what was attempted.
 *
 * Idempotent: everything is compared with the inventory first (inventory-diff.ts), records that
 * are already right are neither written nor journalled, and a key already recorded for the
 * cluster is reused rather than generated again (with the 'generate' policy a key recorded
 * earlier, generated or registered, is kept; registering a different key is a conflict). Conflicts are all reported at once, before the
 * first write, in one CONFIGURE_INVENTORY_CONFLICT error: nothing is half-applied because of them.
 * A run interrupted between a journal entry and its write simply writes that record on the next
 * run (the entry then appears twice, the record once).
 *
 * The inventory port has no place for keys, so the "configure.ssh-key" entry is where the
 * cluster's public key and fingerprint are recorded; only public halves ever reach the journal.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { Ports } from '../../ports/index.ts';
import {
  CONFIGURE_NETWORK_ENTRY,
  CONFIGURE_NODE_ENTRY,
  CONFIGURE_SSH_KEY_ENTRY,
  diffPlan,
  recordedKey,
  type RecordedKey,
} from './inventory-diff.ts';
import type { ClusterPlan } from './plan.ts';
import { checkGeneratedKey, type SshKeyGenerator } from './ssh-key.ts';

export interface ApplyResult {
  networks: { written: number; unchanged: number };
  nodes: { created: number; updated: number; unchanged: number };
  sshKey: RecordedKey & { written: boolean };
}

/** How many conflict lines the error carries; the rest are counted. */
const MAX_CONFLICT_DETAILS = 50;

export async function applyClusterPlan(
  plan: ClusterPlan,
  ports: Pick<Ports, 'inventory' | 'journal' | 'clock'>,
  keys: SshKeyGenerator,
): Promise<ApplyResult> {
  const { inventory, journal, clock } = ports;
  const diff = diffPlan(plan, await inventory.networks(), await inventory.nodes());
  const known = recordedKey(await journal.entries(), plan.cluster);
  const conflicts = [...diff.conflicts];
  if (plan.sshKey.kind === 'register' && known !== undefined && known.fingerprint !== plan.sshKey.fingerprint) {
    conflicts.push(`SSH key: cluster ${plan.cluster} already has key ${known.fingerprint}, plan registers ${plan.sshKey.fingerprint}`);
  }
  if (conflicts.length > 0) {
    const details = conflicts.slice(0, MAX_CONFLICT_DETAILS);
    if (conflicts.length > details.length) details.push(`... and ${conflicts.length - details.length} more`);
    throw new UsageError(
      ErrorCodes.CONFIGURE_INVENTORY_CONFLICT,
      `${conflicts.length} conflict(s) between the plan of cluster ${plan.cluster} and the inventory; nothing was written`,
      { details },
    );
  }

  const cluster = plan.cluster;
  for (const network of diff.networks) {
    const planned = plan.networks.find((p) => p.name === network.name);
    const gateway = planned?.gateway === undefined ? {} : { gateway: planned.gateway };
    await journal.append({ at: clock.now(), type: CONFIGURE_NETWORK_ENTRY, data: { cluster, action: 'create', ...network, ...gateway } });
    await inventory.putNetwork(network);
  }
  for (const { action, record } of diff.nodes) {
    const { name, rack, group, role, bmc, addresses } = record;
    await journal.append({ at: clock.now(), type: CONFIGURE_NODE_ENTRY, node: name, data: { cluster, action, rack, group, role, bmc, addresses } });
    await inventory.putNode(record);
  }

  let key = known;
  let written = false;
  if (key === undefined) {
    if (plan.sshKey.kind === 'register') {
      key = { publicKey: plan.sshKey.publicKey, fingerprint: plan.sshKey.fingerprint };
    } else {
      const generated = checkGeneratedKey(await keys.generate());
      key = { publicKey: generated.publicKey, fingerprint: generated.fingerprint };
    }
    const source = plan.sshKey.kind === 'register' ? 'registered' : 'generated';
    await journal.append({ at: clock.now(), type: CONFIGURE_SSH_KEY_ENTRY, data: { cluster, source, ...key } });
    written = true;
  }

  const created = diff.nodes.filter((c) => c.action === 'create').length;
  return {
    networks: { written: diff.networks.length, unchanged: diff.unchangedNetworks },
    nodes: { created, updated: diff.nodes.length - created, unchanged: diff.unchangedNodes },
    sshKey: { ...key, written },
  };
}
