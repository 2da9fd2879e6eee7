/**
 * Node names: generated from a prefix and a zero-padded number (KiERA's "node name prefix",
 * node001..node169), or listed as a hostlist. The order of the names is the node order: it
 * decides racks, relays and addresses.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import { compressHostlist, expandHostlist } from '../../scenario/hostlist.ts';
import { expandPattern, parseHostlist } from '../../scenario/hostlist-parse.ts';
import { bad, checkCount } from './validate.ts';

export type NodeNaming =
  /** prefix + number padded with zeros to `width` digits, numbers from `first` (default 1). */
  | { prefix: string; width: number; first?: number }
  /** Exactly these names, in the order written ("node[001-169]", "cn[1-4],gpu[1-2]"). */
  | { hostlist: string };

/** A prefix ending in a digit would glue onto the number ("n1" + "01" reads as n101). */
const PREFIX = /^[A-Za-z0-9._-]*[A-Za-z._-]$/;

/**
 * The node names in node order. Throws CONFIGURE_DUPLICATE_NAME when a hostlist names a node twice
 * (expansion alone would silently drop the repeat and shift every later node's address), and
 * CONFIGURE_BAD_CONFIG when the count does not match.
 */
export function nodeNames(naming: NodeNaming, nodes: number, maxNodes: number): string[] {
  checkCount(nodes, 'nodes', 1, maxNodes);
  if (typeof naming !== 'object' || naming === null) bad('naming must be { prefix, width } or { hostlist }');
  if ('hostlist' in naming) {
    const names: string[] = [];
    const seen = new Set<string>();
    const repeated = new Set<string>();
    for (const p of parseHostlist(naming.hostlist)) {
      for (const name of expandPattern(p)) {
        if (seen.has(name)) repeated.add(name);
        seen.add(name);
        names.push(name);
      }
    }
    if (repeated.size > 0) {
      const list = [...repeated];
      throw new UsageError(
        ErrorCodes.CONFIGURE_DUPLICATE_NAME,
        `node hostlist ${JSON.stringify(naming.hostlist)} names ${list.length} node(s) more than once: ${list.slice(0, 5).join(', ')}${list.length > 5 ? ', ...' : ''}`,
      );
    }
    if (names.length !== nodes) bad(`node hostlist ${JSON.stringify(naming.hostlist)} names ${names.length} nodes, but nodes is ${nodes}`);
    return names;
  }
  const { prefix, width, first = 1 } = naming;
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    bad(`node name prefix must be letters, digits, ".", "_" and "-", not ending in a digit, got ${JSON.stringify(prefix)}`);
  }
  checkCount(width, 'node name width', 1, 15);
  checkCount(first, 'first node number', 0, Number.MAX_SAFE_INTEGER - nodes);
  const names = new Array<string>(nodes);
  for (let i = 0; i < nodes; i++) names[i] = prefix + String(first + i).padStart(width, '0');
  return names;
}

/**
 * The node indices (ascending) named by a hostlist that must only name nodes of the cluster;
 * throws CONFIGURE_UNKNOWN_NODE listing the strangers, `what` naming the field.
 */
export function memberIndices(expr: string, index: ReadonlyMap<string, number>, what: string): number[] {
  const names = expandHostlist(expr);
  const unknown = names.filter((n) => !index.has(n));
  if (unknown.length > 0) {
    throw new UsageError(ErrorCodes.CONFIGURE_UNKNOWN_NODE, `${what} ${JSON.stringify(expr)} names ${unknown.length} node(s) not in the cluster: ${compressHostlist(unknown)}`);
  }
  return names.map((n) => index.get(n) as number).sort((a, b) => a - b);
}
