/**
 * Node groups (KiERA's "group name"): labels an operator targets commands and images at. Every
 * node is in exactly one group: a single group, one group per N whole racks, or named hostlists.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import { compressHostlist } from '../../scenario/hostlist.ts';
import { memberIndices } from './names.ts';
import { bad, checkCount, checkName } from './validate.ts';

export type GroupRule =
  /** Every node in one group. */
  | { kind: 'single'; name: string }
  /**
   * Group g holds racks g*racksPerGroup .. (g+1)*racksPerGroup-1 and is named prefix + g (g from
   * 0, like racks). Prefix defaults to "rack" for one rack per group ("rack0".."rack12"),
   * "group" otherwise.
   */
  | { kind: 'racks'; racksPerGroup: number; prefix?: string }
  /**
   * Named hostlists that must not overlap; nodes in none of them go to `others`, and without
   * `others` every node must be listed.
   */
  | { kind: 'explicit'; groups: Record<string, string>; others?: string };

/** The group of each node, by node index. Throws CONFIGURE_BAD_GROUPS on overlap or gaps. */
export function assignGroups(names: readonly string[], index: ReadonlyMap<string, number>, rackOf: ArrayLike<number>, rule: GroupRule): string[] {
  const n = names.length;
  switch (rule.kind) {
    case 'single':
      checkName(rule.name, 'group name');
      return new Array<string>(n).fill(rule.name);
    case 'racks': {
      checkCount(rule.racksPerGroup, 'racks per group', 1);
      const prefix = rule.prefix ?? (rule.racksPerGroup === 1 ? 'rack' : 'group');
      checkName(prefix, 'group prefix');
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = prefix + Math.floor(rackOf[i] / rule.racksPerGroup);
      return out;
    }
    case 'explicit':
      return explicitGroups(names, index, rule.groups, rule.others);
    default:
      return bad(`groups.kind must be single, racks or explicit, got ${JSON.stringify((rule as { kind: unknown }).kind)}`);
  }
}

function explicitGroups(names: readonly string[], index: ReadonlyMap<string, number>, groups: Record<string, string>, others: string | undefined): string[] {
  if (typeof groups !== 'object' || groups === null) bad('groups.groups must map group names to hostlists');
  const out = new Array<string | undefined>(names.length).fill(undefined);
  for (const [group, expr] of Object.entries(groups)) {
    checkName(group, 'group name');
    for (const i of memberIndices(expr, index, `group "${group}"`)) {
      const previous = out[i];
      if (previous !== undefined) {
        throw new UsageError(ErrorCodes.CONFIGURE_BAD_GROUPS, `node ${names[i]} is in both group "${previous}" and group "${group}"; groups must not overlap`);
      }
      out[i] = group;
    }
  }
  if (others !== undefined) checkName(others, 'groups.others');
  const missing = names.filter((_, i) => out[i] === undefined);
  if (missing.length > 0) {
    if (others === undefined) {
      throw new UsageError(ErrorCodes.CONFIGURE_BAD_GROUPS, `${missing.length} node(s) are in no group: ${compressHostlist(missing)} (list them, or name a group for the rest with "others")`);
    }
    for (let i = 0; i < out.length; i++) out[i] ??= others;
  }
  return out as string[];
}
