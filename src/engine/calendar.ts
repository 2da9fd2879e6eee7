/**
 * The event calendar: a binary min-heap of events ordered by (time, seq). seq is a counter that
 * grows with every scheduling, so events at equal times fire in the order they were scheduled
 * (FIFO), whatever their insertion pattern. Cancellation is lazy: a cancelled event stays in the
 * heap, marked, and is skipped when it reaches the top; the heap compacts itself when cancelled
 * entries outnumber live ones, so memory stays proportional to live events.
 */

/** A scheduled action. Returned by Engine.schedule so that it can be cancelled. */
export interface ScheduledEvent {
  /** Absolute simulated time in seconds at which the action runs. */
  readonly time: number;
  /** Scheduling order; breaks ties between equal times. */
  readonly seq: number;
  /** True once cancelled or fired. */
  readonly done: boolean;
}

/** Internal, mutable form of a ScheduledEvent. */
export class CalendarEntry implements ScheduledEvent {
  done = false;
  constructor(
    readonly time: number,
    readonly seq: number,
    public action: (() => void) | null,
  ) {}
}

function before(a: CalendarEntry, b: CalendarEntry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export class Calendar {
  private heap: CalendarEntry[] = [];
  private nextSeq = 0;
  private cancelled = 0;

  /** Number of live (not cancelled) events. */
  get size(): number {
    return this.heap.length - this.cancelled;
  }

  /** Total events ever scheduled (a cheap work counter for benchmarks). */
  get scheduledCount(): number {
    return this.nextSeq;
  }

  push(time: number, action: () => void): CalendarEntry {
    const entry = new CalendarEntry(time, this.nextSeq++, action);
    const heap = this.heap;
    heap.push(entry);
    this.siftUp(heap.length - 1);
    return entry;
  }

  /** Marks an event cancelled. Returns false if it had already fired or been cancelled. */
  cancel(entry: ScheduledEvent): boolean {
    const e = entry as CalendarEntry;
    if (e.done) return false;
    e.done = true;
    e.action = null;
    this.cancelled++;
    if (this.cancelled > 64 && this.cancelled * 2 > this.heap.length) this.compact();
    return true;
  }

  /** Time of the earliest live event, or Infinity when none is left. */
  peekTime(): number {
    this.dropCancelledTop();
    return this.heap.length > 0 ? this.heap[0].time : Infinity;
  }

  /** Removes and returns the earliest live event, or undefined. The caller runs its action. */
  pop(): CalendarEntry | undefined {
    this.dropCancelledTop();
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    top.done = true;
    return top;
  }

  private dropCancelledTop(): void {
    const heap = this.heap;
    while (heap.length > 0 && heap[0].done) {
      const last = heap.pop()!;
      this.cancelled--;
      if (heap.length > 0) {
        heap[0] = last;
        this.siftDown(0);
      }
    }
  }

  /** Rebuilds the heap without cancelled entries (Floyd's bottom-up heapify, O(n)). */
  private compact(): void {
    this.heap = this.heap.filter((e) => !e.done);
    this.cancelled = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (!before(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i];
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(heap[r], heap[l]) ? r : l;
      if (!before(heap[child], item)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = item;
  }
}
