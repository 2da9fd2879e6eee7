/**
 * What the deployment stage (deploy.ts) is asked to do: the plan (nodes in power-on order, relays
 * and their children, each node's boot entry) and the controls (waves, stagger, caps, timeouts,
 * retries, escalation).
 */
import type { BootEntry, NodeRole } from '../ports/index.ts';

export interface DeployOptions {
  /** Most nodes between power-on and a terminal state at once. */
  wave: number;
  /** Seconds between two power-ons. */
  stagger: number;
  /**
   * Extra seconds (>= 0) before a node's power-on slot. The orchestrator has no randomness of its
   * own: the caller gives a deterministic function (the twin draws from a seeded stream; a real
   * run can hash the node name). Default none.
   */
  jitter?: (node: string) => number;
  /** Seconds a node may take from power-on to "booted" before the attempt counts as failed. */
  bootTimeout: number;
  /** Attempts per node in all (power-on plus retries). */
  attempts: number;
  /** Seconds to wait before attempt n (n >= 2). */
  backoff: (attempt: number) => number;
  /**
   * Escalation on a retry: ask the OS to shut down (ACPI soft off) and give it this many seconds
   * before a hard power-off. 0 skips the soft step (hard off at once).
   */
  softOffGrace: number;
  /** Most nodes in flight per rack (needs `plan.rackOf`); default no cap. */
  perRack?: number;
  /** Most nodes in flight per rootfs source (the deployment server, each relay); default no cap. */
  perSource?: number;
  /** Most BMC commands in flight over the BMC network; default no cap. */
  bmcCommands?: number;
  /** A relay whose group is done gets a compute boot entry and inventory role (BCM). */
  relaysBecomeCompute?: boolean;
  /**
   * Before a node's first power-on, ask its power state and power-cycle it if it is on (a node
   * still running its old OS, or left on by hand, must reboot into PXE to take the new image).
   * One more BMC command per node; default false (nodes are known to be off, as in the twin).
   */
  cycleIfOn?: boolean;
}

export interface DeployPlan {
  /** Every node to deploy, in power-on order. */
  nodes: readonly string[];
  /** Relay -> the nodes it serves. Relays are deployed before their children. */
  relays: ReadonlyMap<string, readonly string[]>;
  /** The boot entry of a node whose rootfs comes from `source` ("server" or a relay's name). */
  entry(node: string, source: string, role: NodeRole): BootEntry;
  /** Rack of a node, for the per-rack cap. */
  rackOf?(node: string): number;
}
