/**
 * The Inventory port in memory, for the twin and for tests. Every record goes in and comes out as
 * a copy, so a caller that edits a record it read (or keeps editing the one it stored) changes
 * nothing until it calls put again: the same behaviour as the SQLite inventory.
 */
import type { BmcRecord, Inventory, NetworkRecord, NodeRecord } from '../../ports/index.ts';
import { expandHostlist } from '../../scenario/hostlist.ts';

/** BMCs are identified by where they answer: one address may carry several ports (e.g. a chassis manager). */
function bmcKey(bmc: { address: string; port: number }): string {
  return `${bmc.address}:${bmc.port}`;
}

export class MemoryInventory implements Inventory {
  // Maps keep insertion order, and replacing a key keeps its place: listings stay stable.
  private readonly bmcTable = new Map<string, BmcRecord>();
  private readonly nodeTable = new Map<string, NodeRecord>();
  private readonly networkTable = new Map<string, NetworkRecord>();

  /** Adds a BMC or replaces the one at the same address:port. */
  async putBmc(bmc: BmcRecord): Promise<void> {
    this.bmcTable.set(bmcKey(bmc), structuredClone(bmc));
  }

  /** Every BMC, in the order first stored. */
  async bmcs(): Promise<BmcRecord[]> {
    return [...this.bmcTable.values()].map((b) => structuredClone(b));
  }

  /** Adds a node or replaces the one with the same name. */
  async putNode(node: NodeRecord): Promise<void> {
    this.nodeTable.set(node.name, structuredClone(node));
  }

  async node(name: string): Promise<NodeRecord | undefined> {
    const n = this.nodeTable.get(name);
    return n === undefined ? undefined : structuredClone(n);
  }

  /**
   * The stored nodes named by `hostlist`, in hostlist order (names with no record are left out);
   * every node in the order first stored when no hostlist is given. A malformed hostlist rejects
   * with HOSTLIST_INVALID.
   */
  async nodes(hostlist?: string): Promise<NodeRecord[]> {
    if (hostlist === undefined) return [...this.nodeTable.values()].map((n) => structuredClone(n));
    const out: NodeRecord[] = [];
    for (const name of expandHostlist(hostlist)) {
      const n = this.nodeTable.get(name);
      if (n !== undefined) out.push(structuredClone(n));
    }
    return out;
  }

  /** Adds a network or replaces the one with the same name. */
  async putNetwork(network: NetworkRecord): Promise<void> {
    this.networkTable.set(network.name, structuredClone(network));
  }

  /** Every network, in the order first stored. */
  async networks(): Promise<NetworkRecord[]> {
    return [...this.networkTable.values()].map((n) => structuredClone(n));
  }
}
