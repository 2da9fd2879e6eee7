/**
 * The cluster configuration stage (KiERA seed, "Cluster Configuration Stage"): planCluster turns
 * the operator's input into a checked, deterministic plan; applyClusterPlan writes it to the
 * inventory through the ports, journalled and idempotent.
 */
export type { ClusterConfig, GroupRule, NetworkConfig, NodeNaming, RelaySelection, SshKeyPolicy } from './config.ts';
export { MAX_CLUSTER_NODES } from './config.ts';
export { planCluster } from './plan.ts';
export type { ClusterPlan, PlannedNode, RelayPlan } from './plan.ts';
export type { PlannedNetwork } from './addresses.ts';
export { applyClusterPlan } from './apply.ts';
export type { ApplyResult } from './apply.ts';
export { CONFIGURE_NETWORK_ENTRY, CONFIGURE_NODE_ENTRY, CONFIGURE_SSH_KEY_ENTRY } from './inventory-diff.ts';
export { ed25519PublicKey, fingerprintOf, parseSshPublicKey } from './ssh-key.ts';
export type { PlannedSshKey, SshKeyGenerator, SshPublicKey } from './ssh-key.ts';
export { formatIpv4, parseIpv4 } from './ipv4.ts';
