/**
 * A store: a FIFO queue of items between processes, with an optional capacity (puts wait when it is
 * full). Models a server's request queue or a relay's list of children to serve.
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import type { Engine } from './engine.ts';

interface Pending<V, I = undefined> {
  settle: (value: V) => void;
  reject: (reason: unknown) => void;
  cancelled: boolean;
  /** For a waiting put: the item it carries. */
  item: I;
}

function waitWithSignal<V, I>(queue: Pending<V, I>[], signal: AbortSignal | undefined, item: I): Promise<V> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<V>((resolve, reject) => {
    const p: Pending<V, I> = { settle: resolve, reject, cancelled: false, item };
    if (signal) {
      const onAbort = () => {
        p.cancelled = true;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      p.settle = (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      };
    }
    queue.push(p);
  });
}

function takeLive<V, I>(queue: Pending<V, I>[]): Pending<V, I> | undefined {
  while (queue.length > 0) {
    const p = queue.shift()!;
    if (!p.cancelled) return p;
  }
  return undefined;
}

export class Store<T> {
  private readonly items: T[] = [];
  private readonly getters: Pending<T>[] = [];
  private readonly putters: Pending<void, T>[] = [];

  constructor(
    readonly engine: Engine,
    readonly capacity = Infinity,
    readonly name = 'store',
  ) {
    if (!(capacity >= 1)) throw new UsageError(ErrorCodes.ENGINE_BAD_ARGUMENT, `${name}: capacity must be >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds an item, waiting while the store is full. */
  put(item: T, signal?: AbortSignal): Promise<void> {
    const getter = takeLive(this.getters);
    if (getter) {
      getter.settle(item);
      return Promise.resolve();
    }
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return Promise.resolve();
    }
    return waitWithSignal<void, T>(this.putters, signal, item);
  }

  /** Takes the oldest item, waiting while the store is empty. */
  get(signal?: AbortSignal): Promise<T> {
    if (this.items.length > 0) {
      const item = this.items.shift()!;
      const putter = takeLive(this.putters);
      if (putter) {
        this.items.push(putter.item);
        putter.settle();
      }
      return Promise.resolve(item);
    }
    return waitWithSignal<T, undefined>(this.getters, signal, undefined);
  }
}
