/**
 * What a simulation produces: every node's phase intervals plus the figures of the run.
 */

import type { PhaseRecord } from '../models/phase-log.ts';

export type { PhaseRecord };

export interface LinkUsage {
  /** Constraint name: "link:up", "link:down" or "link" for half duplex. */
  name: string;
  /** bytes/s */
  capacity: number;
  /** Highest sum of flow rates seen, bytes/s. */
  peakLoad: number;
  /** peakLoad / capacity */
  peakUtilisation: number;
  /** Bytes carried over the run. */
  bytesCarried: number;
}

/** What one service did over a run. */
export interface ServiceUsage {
  /** e.g. "server.http", "dhcp", "relay42.http". */
  name: string;
  kind: 'http' | 'dhcp' | 'tftp' | 'rsync' | 'nfs';
  /** Highest number of requests in service at once (DHCP: longest queue). */
  peak: number;
  /** Its cap (connections, transfers, backlog); Infinity when none. */
  limit: number;
  /** Requests served to the end. */
  served: number;
  /** Requests refused or dropped. */
  refused: number;
}

/** A node that did not deploy, and why. */
export interface NodeFailure {
  node: number;
  /** Error code and message. */
  reason: string;
  /** Simulated time of the failure, seconds. */
  at: number;
}

export interface SimulationResult {
  scenario: string;
  seed: string;
  nodes: number;
  racks: number;
  /** Sorted by node, then by phase start. */
  records: PhaseRecord[];
  /** Time the last node finished, seconds. */
  makespan: number;
  /** Nodes that did not deploy (empty when all did). */
  failures: NodeFailure[];
  /** Relay nodes (deployed first, then serving their group); empty without relays. */
  relays: number[];
  /** The deployment services (empty for transfer scenarios), in the order they were created. */
  services: ServiceUsage[];
  /** Every link direction that carried traffic, in the order the topology created them. */
  links: LinkUsage[];
  engine: {
    events: number;
    flows: number;
    /** Per-instant rate recomputations of the flow network. */
    recomputations: number;
    /** Flows re-solved, summed over recomputations. */
    flowsResolved: number;
  };
}
