/**
 * What an operator enters in the cluster configuration stage (KiERA seed, "Cluster Configuration
 * Stage": cluster name, group name, nodes per rack, node name prefix, head nodes, SSH keys, and
 * the Ethernet and OPA networks, addressed sequentially from an initial address).
 */
import type { NetworkConfig } from './addresses.ts';
import type { GroupRule } from './groups.ts';
import type { NodeNaming } from './names.ts';
import type { RelaySelection } from './roles.ts';
import type { SshKeyPolicy } from './ssh-key.ts';

export type { NetworkConfig } from './addresses.ts';
export type { GroupRule } from './groups.ts';
export type { NodeNaming } from './names.ts';
export type { RelaySelection } from './roles.ts';
export type { SshKeyPolicy } from './ssh-key.ts';

export interface ClusterConfig {
  /** Cluster name: letters, digits, ".", "_", "-". Also the default group name. */
  name: string;
  /** How nodes are named: { prefix: "node", width: 3 } gives node001, node002, ... */
  naming: NodeNaming;
  /** Number of nodes, heads and relays included (169 in the KiERA seed). */
  nodes: number;
  /**
   * Nodes per rack: node i (0-based, in node order) is in rack floor(i / nodesPerRack); the last
   * rack may be partly filled. Same convention as the twin's RackTopology.
   */
  nodesPerRack: number;
  /** Groups; default: one group named after the cluster. */
  groups?: GroupRule;
  /** Hostlist of the head nodes, which must be nodes of the cluster; default: none. */
  heads?: string;
  /** Relay selection; default: none (every node downloads from the deployment server). */
  relays?: RelaySelection;
  /** Networks whose addresses are assigned sequentially in node order; names must differ. */
  networks: NetworkConfig[];
  /** Generate a new key pair for the cluster, or register an existing public key. */
  sshKey: SshKeyPolicy;
  /**
   * BMC address of each node in node order (as in BmcRecord.address, e.g. the discovery stage's
   * scan results, sorted), one per node and all different. Default: unknown, recorded as "".
   */
  bmcs?: readonly string[];
}

/** Upper bound on `nodes`: the hostlist code's limit, far beyond any machine built. */
export { HOSTLIST_MAX_NAMES as MAX_CLUSTER_NODES } from '../../scenario/hostlist.ts';
