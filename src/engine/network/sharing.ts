/**
 * How flows share bandwidth. The policy is explicit (as in SimGrid): today max-min fairness solved
 * by progressive filling, optionally with the corrections of SimGrid's LV08 model fitted to
 * packet-level TCP simulation (Velho & Legrand, SIMUTools 2009; see shared/design/facts.md).
 */
export interface SharingModel {
  /** Only "maxmin" for now: every flow is at its own cap or crosses a saturated link on which no flow has a higher rate. */
  readonly policy: 'maxmin';
  /** Fraction of nominal capacity that flows can use (LV08: 0.97). Pure max-min: 1. */
  readonly bandwidthFactor: number;
  /** Multiplier on route latency paid at the start of a transfer (LV08: 13.01, slow start). Pure: 1. */
  readonly latencyFactor: number;
  /**
   * TCP window in bytes, bounding a flow at window / (2 x route latency) (SimGrid CM02's gamma,
   * 4 MiB by default there). Infinity disables the bound (pure max-min).
   */
  readonly tcpWindow: number;
}

export const SHARING_MODELS = {
  /** Exact max-min over nominal capacities: what the reference scenarios and closed forms use. */
  maxmin: { policy: 'maxmin', bandwidthFactor: 1, latencyFactor: 1, tcpWindow: Infinity },
  /** SimGrid's default LV08 corrections, for realistic TCP. */
  lv08: { policy: 'maxmin', bandwidthFactor: 0.97, latencyFactor: 13.01, tcpWindow: 4 * 1024 * 1024 },
} as const satisfies Record<string, SharingModel>;

export type SharingModelName = keyof typeof SHARING_MODELS;
