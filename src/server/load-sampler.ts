/**
 * Turns readings of the twin's link meter into load events (run-events.ts): at most one every
 * `interval` simulated seconds, each the exact mean over the time since the previous one.
 */
import type { KindTotal, LinkLoadMeter } from '../twin/link-load.ts';
import type { LoadEvent } from './run-events.ts';

export class LoadSampler {
  private last: { t: number; totals: Record<string, KindTotal> };

  constructor(
    private readonly meter: LinkLoadMeter,
    /** Simulated seconds between two load events (at least). */
    private readonly interval: number,
  ) {
    this.last = { t: 0, totals: meter.read(0) };
  }

  /** A load event if `interval` has passed since the last one (or `force`), else null. */
  at(t: number, force = false): LoadEvent | null {
    const dt = t - this.last.t;
    if (!(dt > 0) || (!force && dt < this.interval)) return null;
    const totals = this.meter.read(t);
    const event: LoadEvent = { kind: 'load', t, interval: dt, utilisation: {}, throughput: {} };
    for (const [kind, now] of Object.entries(totals)) {
      const rate = (now.bytes - (this.last.totals[kind]?.bytes ?? 0)) / dt;
      event.throughput[kind] = rate;
      event.utilisation[kind] = now.capacity > 0 ? rate / now.capacity : 0;
    }
    this.last = { t, totals };
    return event;
  }
}
