/**
 * What booting nodes report: each phase as it completes. Implementations: the twin's node
 * models; the HTTP status endpoint booting nodes call on real hardware.
 *
 * Contracts: reports are delivered in the order they arrived; a repeated report (same node,
 * phase and boot) is delivered once; `waitFor` never misses a report that arrived before it was
 * called (reports are kept per node until `forget`); "first" means first to arrive.
 */
export const NODE_PHASES = ['dhcp', 'bootloader', 'kernel', 'initrd', 'rootfs', 'mounted', 'booted'] as const;
export type NodePhase = (typeof NODE_PHASES)[number];

export interface PhaseReport {
  node: string;
  phase: NodePhase | 'failed';
  /** Clock time of the report (seconds). */
  at: number;
  /**
   * Which boot of the node this report belongs to (a counter the orchestrator writes into the
   * boot configuration): a reboot's reports are then never mistaken for repeats of the last boot's.
   */
  boot?: number;
  /** Free text the node sent (e.g. the failing step). */
  detail?: string;
  /** Hardware facts, on the commissioning environment's report. */
  hardware?: HardwareReport;
}

export interface HardwareReport {
  cpus: number;
  memoryBytes: number;
  disks: Array<{ name: string; bytes: number }>;
  gpus: string[];
  pciDevices: string[];
  macs: string[];
}

export interface NodeEvents {
  /**
   * Resolves with the first report of `phase` (or of 'failed') for `node` at or after `since`;
   * rejects with a retryable timeout error after `timeout` seconds of the port's clock.
   */
  waitFor(node: string, phase: NodePhase, options: { since: number; timeout: number; signal?: AbortSignal }): Promise<PhaseReport>;
  /** Every report kept for a node, oldest first. */
  history(node: string): readonly PhaseReport[];
  /** Drops the reports kept for a node (before it boots again). */
  forget(node: string): void;
}
