/**
 * Time, as the orchestrator sees it. In the twin it is the engine's virtual clock; on real
 * hardware the wall clock. Every wait of the orchestrator (backoff, timeouts, stagger) goes
 * through it, so tests and the twin run with zero real waiting.
 */
export interface Clock {
  /** Seconds since an arbitrary origin (the twin: simulated time; real: Unix time). */
  now(): number;
  /**
   * Resolves after `seconds` (>= 0). Rejects with `signal.reason` if the signal aborts first, and
   * then holds no timer or event.
   */
  sleep(seconds: number, signal?: AbortSignal): Promise<void>;
}
