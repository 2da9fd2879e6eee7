/**
 * What a simulation produces: every node's phase intervals plus the figures of the run.
 */

/** One phase of one node: times in seconds of simulated time. */
export interface PhaseRecord {
  /** 0-based node index, rack-major. */
  node: number;
  phase: string;
  start: number;
  end: number;
}

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

export interface SimulationResult {
  scenario: string;
  seed: string;
  nodes: number;
  racks: number;
  /** Sorted by node, then by phase start. */
  records: PhaseRecord[];
  /** Time the last node finished, seconds. */
  makespan: number;
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
