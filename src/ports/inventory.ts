/**
 * What the orchestrator knows about the cluster: BMCs found by discovery, nodes and their
 * hardware, networks and address assignments, roles. Implementations: in memory (the twin),
 * SQLite (real). Writes are durable when the promise resolves.
 */
import type { HardwareReport } from './node-events.ts';

export interface BmcRecord {
  address: string;
  port: number;
  /** Name of the credentials entry (never the password itself). */
  credentials: string;
  /** Node name once the BMC is registered as a node (temporary name after discovery). */
  node: string;
}

export type NodeRole = 'head' | 'relay' | 'compute';

export interface NodeRecord {
  name: string;
  rack: number;
  group: string;
  role: NodeRole;
  bmc: string;
  hardware?: HardwareReport;
  /** Address per network name ("ethernet", "opa"). */
  addresses: Record<string, string>;
}

export interface NetworkRecord {
  name: string;
  /** First address of the sequential assignment. */
  start: string;
  prefixLength: number;
}

export interface Inventory {
  putBmc(bmc: BmcRecord): Promise<void>;
  bmcs(): Promise<BmcRecord[]>;
  putNode(node: NodeRecord): Promise<void>;
  node(name: string): Promise<NodeRecord | undefined>;
  /** Nodes whose names are in the hostlist expression, in hostlist order. */
  nodes(hostlist?: string): Promise<NodeRecord[]>;
  putNetwork(network: NetworkRecord): Promise<void>;
  networks(): Promise<NetworkRecord[]>;
}
