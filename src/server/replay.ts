/**
 * Replays a finished run's events at `speed` simulated seconds per wall-clock second: at wall
 * time w after the start, every event with t <= w x speed has been sent, in order. A replay
 * checks the time every `tickMs` and sends what fell due as one batch.
 */
import type { RunEvent } from './run-events.ts';

/** Wall time and a repeating timer (real ones by default; tests pass a manual one). */
export interface Ticker {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
  /** Calls `tick` every `ms` milliseconds until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const wallTicker: Ticker = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const handle = setInterval(tick, ms);
    return () => clearInterval(handle);
  },
};

export interface ReplaySink {
  events(batch: RunEvent[]): void;
  end(): void;
}

/** Largest batch sent at once (a very fast replay of a big run would otherwise send it all in one message). */
export const MAX_BATCH = 5000;

/**
 * Starts a replay of `events` (sorted by t) and returns the function that cancels it. The first
 * batch (events at t <= 0) is sent at once; `end` is called after the last event, never after a
 * cancel.
 */
export function replay(events: readonly RunEvent[], speed: number, sink: ReplaySink, ticker: Ticker = wallTicker, tickMs = 50): () => void {
  const start = ticker.now();
  let next = 0;
  let cancelled = false;
  let cancelTimer = (): void => {};
  const tick = (): void => {
    if (cancelled) return;
    const due = ((ticker.now() - start) / 1000) * speed;
    let end = next;
    while (end < events.length && events[end].t <= due) end++;
    for (let i = next; i < end; i += MAX_BATCH) sink.events(events.slice(i, Math.min(end, i + MAX_BATCH)));
    next = end;
    if (next === events.length) {
      cancelled = true;
      cancelTimer();
      sink.end();
    }
  };
  tick();
  if (!cancelled) cancelTimer = ticker.every(tickMs, tick);
  return () => {
    cancelled = true;
    cancelTimer();
  };
}
