/**
 * What the dashboard server streams about a run (WebSocket /api/runs/:id/events) and keeps for
 * replay. Every event carries `t`, seconds of simulated time; nodes are 0-based indices in
 * rack-major order (the index of `SimulationResult.records`), so rack = floor(node / nodesPerRack).
 *
 * Node state changes and failures (from the orchestrator's journal), per-node phase starts and
 * ends (from the twin's phase log) and link loads (read from the twin's network), streamed while
 * the twin simulates; and samples of phases and downloads over time, computed from the finished
 * result by run-source.ts.
 */

/** A node's orchestrator state changed (journal entry "node.state"). */
export interface StateEvent {
  kind: 'state';
  t: number;
  node: number;
  state: 'powering-on' | 'booting' | 'deployed' | 'failed';
  /** Attempt number (powering-on, booting). */
  attempt?: number;
}

/** A node did not deploy: the orchestrator's reason, or "never deployed" at the end of the run. */
export interface FailureEvent {
  kind: 'failure';
  t: number;
  node: number;
  reason: string;
}

/** A node entered a phase of its boot (power-on, post, dhcp, bootloader, kernel, initrd, rootfs, ...). */
export interface PhaseStartEvent {
  kind: 'phase-start';
  t: number;
  node: number;
  phase: string;
}

/** A node finished a phase; `start` repeats when it began, so a late subscriber can draw it. */
export interface PhaseEndEvent {
  kind: 'phase-end';
  t: number;
  node: number;
  phase: string;
  start: number;
}

/**
 * The load of the run at time `t` (one sample every `interval` seconds).
 * - `phases`: nodes in each phase at the instant `t` (exact: counted from the phase records).
 * - `downloads`: downloads in progress on each network at `t` (exact: nodes in a phase that
 *   fetches a file, bootloader, kernel, initrd, rootfs or image, by the file's network).
 * - `throughput`: bytes/s received by nodes over each network, averaged over [t, t + interval),
 *   estimated by spreading each download's bytes evenly over its phase (bytes of the file /
 *   duration of the phase). A mean-rate estimate that can exceed a link's capacity where a
 *   download's real rate varied (LoadEvent has the links' measured loads).
 */
export interface SampleEvent {
  kind: 'sample';
  t: number;
  interval: number;
  phases: Record<string, number>;
  downloads: Record<string, number>;
  throughput: Record<string, number>;
}

/**
 * Link utilisation measured in the twin while it ran, per kind of link (its name without the
 * numbers: "opa.server.nic:down", "ethernet.rack#.uplink:up", "server.disk:up"), over
 * (t - interval, t]: exact averages from the bytes the links carried, not estimates. A kind's
 * utilisation is its bytes over the summed capacity of its links (the mean over racks for an
 * uplink kind; the server NIC's own for a single link).
 */
export interface LoadEvent {
  kind: 'load';
  t: number;
  interval: number;
  /** 0..1 */
  utilisation: Record<string, number>;
  /** bytes/s */
  throughput: Record<string, number>;
}

export type RunEvent = StateEvent | FailureEvent | PhaseStartEvent | PhaseEndEvent | SampleEvent | LoadEvent;

/** Run states: running until the worker reports; then finished, failed (an error) or stopped (DELETE). */
export type RunState = 'running' | 'finished' | 'failed' | 'stopped';

/** Messages on the events WebSocket, one JSON object per WebSocket message. */
export type StreamMessage =
  /** First message: the run as GET /api/runs/:id shows it, and how events will come. */
  | { type: 'hello'; run: unknown; mode: 'live' | 'replay'; speed: number | null }
  /**
   * A batch of events. Once a run has ended they come in time order; live, a phase recorded after
   * the fact (power-on, a failed phase) brings its phase-start dated back to when it began.
   */
  | { type: 'events'; events: RunEvent[] }
  /** Last message: the run's final state; the server then closes the socket (code 1000). */
  | { type: 'end'; run: unknown };
