/**
 * A counting semaphore built on promises only (no engine, no timers), so the orchestrator can cap
 * nodes in flight the same way in the twin and for real. FIFO: waiters get slots in arrival order.
 */
export class Semaphore {
  private inUse = 0;
  private readonly waiters: Array<() => void> = [];
  /** Highest number of holders at once. */
  peak = 0;

  constructor(readonly capacity: number) {}

  async acquire(): Promise<() => void> {
    if (this.inUse >= this.capacity) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.inUse++;
    if (this.inUse > this.peak) this.peak = this.inUse;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // Hand the slot straight to the next waiter, so no later arrival can take it first.
      if (next) next();
      else this.inUse--;
    };
  }
}

/** A semaphore per key, made on first use; `undefined` capacity means no cap. */
export function keyedSlots(capacity: number | undefined): (key: string) => Promise<() => void> {
  const slots = new Map<string, Semaphore>();
  return async (key) => {
    if (capacity === undefined || capacity === Infinity) return () => {};
    let s = slots.get(key);
    if (s === undefined) slots.set(key, (s = new Semaphore(capacity)));
    return s.acquire();
  };
}
