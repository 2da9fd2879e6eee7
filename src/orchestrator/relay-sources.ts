/**
 * Where each node's root filesystem comes from, as the deployment goes: its relay while the relay
 * is alive, the deployment server once the relay is lost (failed before serving, or found powered
 * off when a child's attempt failed). Rebuilt from the journal on resume, so a restarted
 * orchestrator never sends a child back to a relay it had given up on.
 */
import type { JournalEntry } from '../ports/index.ts';

export const BOOT_WRITE_ENTRY = 'boot.write';
export const RELAY_LOST_ENTRY = 'relay.lost';
export const RELAY_RELEASED_ENTRY = 'relay.released';

export class RelaySources {
  private readonly relayOf = new Map<string, string>();
  private readonly lost = new Set<string>();
  /**
   * The source of each node's boot entry as last written by this run. Not rebuilt from the
   * journal: a "boot.write" entry is appended before the write, so after a crash it may name a
   * write that never happened (the node would boot whatever entry it had before, e.g. its
   * commissioning one). A resumed run writes each entry once more; writes are idempotent.
   */
  private readonly written = new Map<string, string>();

  constructor(relays: ReadonlyMap<string, readonly string[]>, past: readonly JournalEntry[]) {
    for (const [relay, children] of relays) for (const c of children) this.relayOf.set(c, relay);
    for (const e of past) {
      if (e.node === undefined) continue;
      if (e.type === RELAY_LOST_ENTRY) this.lost.add(e.node);
    }
  }

  /** The relay planned for a node, if any (whether or not it is still alive). */
  plannedRelay(node: string): string | undefined {
    return this.relayOf.get(node);
  }

  /** Where the node should get its rootfs now. */
  sourceOf(node: string): string {
    const relay = this.relayOf.get(node);
    return relay === undefined || this.lost.has(relay) ? 'server' : relay;
  }

  isLost(relay: string): boolean {
    return this.lost.has(relay);
  }

  markLost(relay: string): void {
    this.lost.add(relay);
  }

  /** The source the node's entry was last written with, if it was. */
  writtenSource(node: string): string | undefined {
    return this.written.get(node);
  }

  recordWrite(node: string, source: string): void {
    this.written.set(node, source);
  }
}
