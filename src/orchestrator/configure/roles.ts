/**
 * Roles: head nodes (selected by name, as in KiERA's "the target and head nodes were selected"),
 * relays (which serve the image to the nodes of their racks) and compute nodes (the rest).
 *
 * Rack-group relays follow the rule of the twin's relayGroups (src/models/image-distribution.ts),
 * so a plan and a simulated relay deployment pick the same relays: R racks are split into K
 * groups of whole, contiguous racks, group g holding racks floor(g*R/K) .. floor((g+1)*R/K)-1,
 * and the relay is the group's first node. Here a head node is never a relay: the relay is the
 * group's first node that is not a head.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { NodeRole } from '../../ports/index.ts';
import { memberIndices } from './names.ts';
import { checkCount } from './validate.ts';

export type RelaySelection =
  | { kind: 'none' }
  /**
   * These nodes. Each other compute node is served by the nearest relay before it in node order
   * (nodes before the first relay by the first relay): with relays at rack-group starts this is
   * the rack-group rule.
   */
  | { kind: 'explicit'; hostlist: string }
  /** Exactly `relays` (K) groups of whole racks, 1 <= K <= racks: the twin's `relays` count. */
  | { kind: 'rack-groups'; relays: number }
  /** At most `racks` racks per relay: K = ceil(R / racks) groups, split as for 'rack-groups'. */
  | { kind: 'per-racks'; racks: number };

export interface RoleAssignment {
  /** Role of each node, by node index. */
  roles: NodeRole[];
  /** Each relay (node index, ascending) and the compute nodes it serves (ascending). */
  relays: Array<{ relay: number; children: number[] }>;
}

/**
 * Assigns roles. `rackStart(r)` is the index of rack r's first node; node indices run 0..n-1.
 * Throws CONFIGURE_ROLE_CONFLICT when a node would be both head and relay, or a rack group
 * holds only head nodes; CONFIGURE_UNKNOWN_NODE for names outside the cluster.
 */
export function assignRoles(
  names: readonly string[],
  index: ReadonlyMap<string, number>,
  racks: number,
  rackStart: (rack: number) => number,
  heads: string | undefined,
  relays: RelaySelection,
): RoleAssignment {
  const n = names.length;
  const roles = new Array<NodeRole>(n).fill('compute');
  for (const i of heads === undefined ? [] : memberIndices(heads, index, 'heads')) roles[i] = 'head';
  const selection = relays ?? { kind: 'none' };
  switch (selection.kind) {
    case 'none':
      return { roles, relays: [] };
    case 'explicit':
      return explicitRelays(names, roles, memberIndices(selection.hostlist, index, 'relays'));
    case 'rack-groups':
      checkCount(selection.relays, 'relays', 1, racks);
      return rackGroupRelays(roles, racks, selection.relays, rackStart);
    case 'per-racks':
      checkCount(selection.racks, 'racks per relay', 1);
      return rackGroupRelays(roles, racks, Math.ceil(racks / selection.racks), rackStart);
    default:
      throw new UsageError(ErrorCodes.CONFIGURE_BAD_CONFIG, `relays.kind must be none, explicit, rack-groups or per-racks, got ${JSON.stringify((selection as { kind: unknown }).kind)}`);
  }
}

function rackGroupRelays(roles: NodeRole[], R: number, K: number, rackStart: (rack: number) => number): RoleAssignment {
  const relays: RoleAssignment['relays'] = [];
  for (let g = 0; g < K; g++) {
    const firstRack = Math.floor((g * R) / K);
    const endRack = Math.floor(((g + 1) * R) / K);
    const [from, to] = [rackStart(firstRack), rackStart(endRack)];
    let relay = from;
    while (relay < to && roles[relay] === 'head') relay++;
    if (relay === to) {
      throw new UsageError(ErrorCodes.CONFIGURE_ROLE_CONFLICT, `relay group ${g} (racks ${firstRack}-${endRack - 1}) holds only head nodes, so it has no relay`);
    }
    roles[relay] = 'relay';
    const children: number[] = [];
    for (let i = from; i < to; i++) if (roles[i] === 'compute') children.push(i);
    relays.push({ relay, children });
  }
  return { roles, relays };
}

function explicitRelays(names: readonly string[], roles: NodeRole[], chosen: readonly number[]): RoleAssignment {
  const clash = chosen.filter((i) => roles[i] === 'head');
  if (clash.length > 0) {
    throw new UsageError(ErrorCodes.CONFIGURE_ROLE_CONFLICT, `node(s) ${clash.map((i) => names[i]).join(', ')} cannot be both head and relay`);
  }
  for (const i of chosen) roles[i] = 'relay';
  const relays = chosen.map((relay) => ({ relay, children: [] as number[] }));
  if (relays.length === 0) return { roles, relays };
  let k = 0;
  for (let i = 0; i < roles.length; i++) {
    while (k + 1 < relays.length && relays[k + 1].relay <= i) k++;
    if (roles[i] === 'compute') relays[k].children.push(i);
  }
  return { roles, relays };
}
