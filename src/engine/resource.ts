/**
 * A resource with a capacity (a counting semaphore): at most `capacity` holders at once, the rest
 * wait in FIFO order. Models a DHCP server's worker pool, a BMC that runs one command at a time,
 * an HTTP server's connection cap.
 *
 * Grants happen synchronously inside release(), so a released slot can never be stolen by a
 * request made later at the same instant (FIFO is strict).
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import type { Engine } from './engine.ts';

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (reason: unknown) => void;
  cancelled: boolean;
}

export class Resource {
  private inUse = 0;
  private readonly queue: Waiter[] = [];
  private head = 0;
  /** Highest number of simultaneous holders seen. */
  peak = 0;

  constructor(
    readonly engine: Engine,
    readonly capacity: number,
    readonly name = 'resource',
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1) && capacity !== Infinity) {
      throw new UsageError(ErrorCodes.ENGINE_BAD_ARGUMENT, `${name}: capacity must be an integer >= 1 or Infinity, got ${capacity}`);
    }
  }

  /** Holders right now. */
  get count(): number {
    return this.inUse;
  }

  /** Requests waiting right now. */
  get waiting(): number {
    let n = 0;
    for (let i = this.head; i < this.queue.length; i++) if (!this.queue[i].cancelled) n++;
    return n;
  }

  /** Takes a slot without waiting if one is free; returns its release function or null. */
  tryAcquire(): (() => void) | null {
    if (this.inUse >= this.capacity || this.hasWaiters()) return null;
    return this.grant();
  }

  /**
   * Waits for a slot. Resolves with a release function that must be called exactly once (further
   * calls are ignored). If `signal` aborts first, the request leaves the queue and rejects.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const immediate = this.tryAcquire();
    if (immediate) return Promise.resolve(immediate);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, cancelled: false };
      if (signal) {
        const onAbort = () => {
          waiter.cancelled = true;
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.resolve = (release) => {
          signal.removeEventListener('abort', onAbort);
          resolve(release);
        };
      }
      this.queue.push(waiter);
    });
  }

  /** Acquires, runs `body`, and releases even if the body throws. */
  async use<T>(body: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await body();
    } finally {
      release();
    }
  }

  private hasWaiters(): boolean {
    while (this.head < this.queue.length && this.queue[this.head].cancelled) this.head++;
    return this.head < this.queue.length;
  }

  private grant(): () => void {
    this.inUse++;
    if (this.inUse > this.peak) this.peak = this.inUse;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse--;
      this.serveQueue();
    };
  }

  private serveQueue(): void {
    while (this.inUse < this.capacity && this.hasWaiters()) {
      const w = this.queue[this.head++];
      w.resolve(this.grant());
    }
    // Drop the consumed prefix now and then so the queue array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
