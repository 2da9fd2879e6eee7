/**
 * Links of the flow-level network. A link joins two ends, A and B. Full duplex (the default) gives
 * each direction its own capacity; half duplex makes both directions share one.
 *
 * Convention used by the topology builders: end A is the device farther from the core (a node, an
 * edge switch), end B the one nearer to it, so direction "up" (A to B) is towards the core and
 * "down" (B to A) is towards the nodes.
 */
import type { Flow } from './flow.ts';

/** Units: capacity in bytes per second, latency in seconds. */
export interface LinkSpec {
  /** Unique, human-readable name, used in reports ("rack3.uplink"). */
  name: string;
  /** Capacity of each direction (or of the shared medium, for half duplex), bytes/s. */
  capacity: number;
  /** One-way propagation latency, seconds. Default 0. */
  latency?: number;
  /** Default "full". */
  duplex?: 'full' | 'half';
}

export type Direction = 'up' | 'down';

/**
 * A capacity constraint of the max-min problem: one direction of a full-duplex link, or a whole
 * half-duplex link. Holds the flows crossing it so that a change can find its neighbours.
 */
export class Constraint {
  /** Active flows crossing this constraint; a flow knows its index here for O(1) removal. */
  readonly flows: Flow[] = [];
  /** Sum of the rates of the flows crossing it, bytes/s. */
  load = 0;
  /** Flows crossing it without a rate cap of their own. */
  uncapped = 0;
  /** Sum of the caps of the capped flows crossing it, bytes/s (kept incrementally; reset when solved). */
  cappedSum = 0;
  /** Highest load seen, bytes/s. */
  peakLoad = 0;
  /** Bytes carried, integrated as load x time between recomputations. */
  bytesCarried = 0;
  /** Time of the last load change, seconds. */
  loadSince = 0;
  // Scratch fields of the solver and of the component search (epoch stamps avoid clearing sets).
  visit = 0;
  dirtyEpoch = 0;
  rem = 0;
  unfrozen = 0;
  /** Current fair share rem / unfrozen (solver scratch). */
  share = 0;
  /** Position in the solver's heap, -1 when absent (solver scratch). */
  heapIndex = -1;

  constructor(
    /** Dense index, unique within a network. */
    readonly id: number,
    /** Which direction of the link this is; "both" for a half-duplex link. */
    readonly direction: 'up' | 'down' | 'both',
    /** bytes/s (changed only through FlowNetwork.setCapacity) */
    public capacity: number,
    readonly link: Link,
  ) {}

  /** "link name" for half duplex, else "link name:up" / "link name:down" (built on demand: networks have 1e5 links). */
  get name(): string {
    return this.direction === 'both' ? this.link.name : `${this.link.name}:${this.direction}`;
  }

  /** Peak load divided by capacity (0..1). */
  get peakUtilisation(): number {
    return this.capacity > 0 ? this.peakLoad / this.capacity : 0;
  }
}

export class Link {
  readonly up: Constraint;
  readonly down: Constraint;
  /** The hop crossing this link towards the core (A to B). */
  readonly hopUp: Hop;
  /** The hop crossing this link away from the core (B to A). */
  readonly hopDown: Hop;

  constructor(
    /** The network this link belongs to (routes may only use links of their own network). */
    readonly owner: object,
    readonly spec: Required<LinkSpec>,
    nextId: () => number,
  ) {
    if (spec.duplex === 'half') {
      this.up = this.down = new Constraint(nextId(), 'both', spec.capacity, this);
    } else {
      this.up = new Constraint(nextId(), 'up', spec.capacity, this);
      this.down = new Constraint(nextId(), 'down', spec.capacity, this);
    }
    this.hopUp = { link: this, direction: 'up' };
    this.hopDown = { link: this, direction: 'down' };
  }

  get name(): string {
    return this.spec.name;
  }

  get capacity(): number {
    return this.spec.capacity;
  }

  get latency(): number {
    return this.spec.latency;
  }

  /** The hop crossing this link in `direction`. */
  dir(direction: Direction): Hop {
    return direction === 'up' ? this.hopUp : this.hopDown;
  }
}

/** One step of a route: a link crossed in a direction. */
export interface Hop {
  readonly link: Link;
  readonly direction: Direction;
}

/** A route is the list of hops from source to destination. */
export type Route = readonly Hop[];

/** Internal state of a flow, shared between the network and the solver. */
export interface FlowState {
  readonly id: number;
  readonly constraints: Constraint[];
  /** Position of this flow in constraints[k].flows, for O(1) removal. */
  readonly slots: number[];
  /** Own rate cap, bytes/s (Infinity when none). */
  cap: number;
  /** Current rate, bytes/s. */
  rate: number;
  /** Rate computed by the solver in progress. */
  newRate: number;
  visit: number;
  frozen: number;
}
