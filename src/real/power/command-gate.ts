/**
 * Admission of BMC commands, shared by the ipmitool and Redfish adapters (and by a scanner that
 * should share their budget):
 * - one lane per BMC (or per Redfish system): its commands run one at a time, first come first
 *   served, because a BMC serves its management session serially and many drop a second session;
 * - a global cap on commands in flight (child processes or HTTP requests), because a management
 *   network of 1G edge switches and small BMC CPUs loses packets when thousands arrive at once.
 *
 * A caller that aborts while it waits leaves the queue at once, without running, and gets the
 * signal's reason; the slot it would have taken goes to the next waiter.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';

/** A FIFO counting semaphore whose waiters can give up through an AbortSignal. */
export class AbortableSemaphore {
  private inUse = 0;
  private readonly waiters: Array<{ grant: () => void }> = [];
  /** Highest number of holders at once. */
  peak = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `a command cap must be an integer >= 1, got ${capacity}`);
    }
  }

  /** Holders right now. */
  get holders(): number {
    return this.inUse;
  }

  /** Callers waiting right now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason if aborted first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.inUse < this.capacity) {
      this.inUse++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    if (this.inUse > this.peak) this.peak = this.inUse;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so no later arrival can overtake it.
      if (next) next.grant();
      else this.inUse--;
    };
  }
}

export class CommandGate {
  private readonly global: AbortableSemaphore;
  private readonly lanes = new Map<string, AbortableSemaphore>();

  /** @param inFlight commands in flight at once over all BMCs (default 64). */
  constructor(readonly inFlight = 64) {
    this.global = new AbortableSemaphore(inFlight);
  }

  /** Highest number of commands in flight at once so far. */
  get peak(): number {
    return this.global.peak;
  }

  /** BMCs with a command running or queued right now. */
  get activeLanes(): number {
    return this.lanes.size;
  }

  /**
   * Runs `operation` alone on the lane `key` (one BMC or system). The operation may issue several
   * commands (a power cycle polls the status); each goes through `command`.
   */
  async lane<T>(key: string, signal: AbortSignal | undefined, operation: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = new AbortableSemaphore(1);
      this.lanes.set(key, lane);
    }
    let release: (() => void) | undefined;
    try {
      release = await lane.acquire(signal);
      return await operation();
    } finally {
      release?.();
      // An idle lane is forgotten, so scanning a /16 does not leave 65,536 entries behind.
      if (lane.holders === 0 && lane.waiting === 0) this.lanes.delete(key);
    }
  }

  /** Runs one command (a child process, an HTTP request) inside the global cap. */
  async command<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    const release = await this.global.acquire(signal);
    try {
      return await run();
    } finally {
      release();
    }
  }
}
