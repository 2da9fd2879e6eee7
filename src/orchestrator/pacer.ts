/**
 * Spaces power-ons at least `interval` seconds apart, whoever asks, through the Clock port: a
 * stagger that holds across relays, their groups and retries alike (a power-on storm is what
 * trips a PDU or floods the DHCP server, whichever node it comes from).
 */
import type { Clock } from '../ports/index.ts';

export class Pacer {
  private next = -Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly interval: number,
  ) {}

  /**
   * Resolves at this caller's slot: the first at once, each later one `interval` plus `jitter`
   * seconds after the one before (jitter >= 0 breaks the lockstep of thousands of identical
   * nodes, which would otherwise hit DHCP and TFTP in phase).
   */
  async slot(jitter = 0): Promise<void> {
    if (this.interval <= 0 && jitter <= 0) return;
    const now = this.clock.now();
    const at = Math.max(now, this.next) + jitter;
    this.next = at + this.interval;
    if (at > now) await this.clock.sleep(at - now);
  }
}
