/**
 * The NodeEvents port's bookkeeping for real hardware: the status endpoint hands each accepted
 * report to `deliver`; the orchestrator waits with `waitFor`. Reports are kept per node until
 * `forget`, so a wait never misses one that arrived before it was called.
 *
 * Same contracts as the twin's hub: reports are delivered in arrival order; a repeat (same node,
 * phase and boot, an absent boot equal to an absent boot) is delivered once, the first copy
 * winning; "first" means first to arrive; a wait that times out or is aborted leaves no waiter,
 * abort listener or clock timer behind.
 */
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import { NODE_PHASES, type Clock, type NodeEvents, type NodePhase, type PhaseReport } from '../../ports/index.ts';
import { deepFreeze } from '../store/json-data.ts';

export interface WaitOptions {
  /** Only reports with `at` >= since (clock seconds) count. */
  since: number;
  /** Clock seconds to wait from the call; Infinity waits until a report or an abort. */
  timeout: number;
  signal?: AbortSignal;
}

interface Waiter {
  phase: NodePhase;
  since: number;
  wake(report: PhaseReport): void;
}

function answers(phase: NodePhase, since: number, r: PhaseReport): boolean {
  return (r.phase === phase || r.phase === 'failed') && r.at >= since;
}

function badArgument(why: string): UsageError {
  return new UsageError(ErrorCodes.EVENTS_BAD_ARGUMENT, why);
}

export class ReportHub implements NodeEvents {
  private readonly kept = new Map<string, PhaseReport[]>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  /** `clock` times the waits (the same clock that stamps the reports' `at`). */
  constructor(private readonly clock: Clock) {}

  /** Waits not yet resolved, timed out or aborted (for leak checks). */
  get pendingWaiters(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  /** True when a report with this node, phase and boot is kept (it would be a repeat). */
  has(node: string, phase: string, boot: number | undefined): boolean {
    return this.kept.get(node)?.some((k) => k.phase === phase && k.boot === boot) ?? false;
  }

  /**
   * Keeps a frozen copy of `report` (validated by the endpoint) and wakes the waits it
   * answers, in the order they were made. Returns false and changes nothing for a repeat.
   */
  deliver(report: PhaseReport): boolean {
    if (this.has(report.node, report.phase, report.boot)) return false;
    const stored = deepFreeze(structuredClone(report));
    const list = this.kept.get(report.node) ?? [];
    list.push(stored);
    this.kept.set(report.node, list);
    const set = this.waiters.get(report.node);
    if (set !== undefined) for (const w of [...set]) if (answers(w.phase, w.since, stored)) w.wake(stored);
    return true;
  }

  /**
   * The first kept report (in arrival order) of `phase` or 'failed' for `node` with at >= since,
   * at once if one is kept, else the first such report to arrive. Rejects with a retryable
   * EVENTS_TIMEOUT after `timeout` clock seconds, with the signal's reason on abort.
   */
  waitFor(node: string, phase: NodePhase, options: WaitOptions): Promise<PhaseReport> {
    const { since, timeout, signal } = options;
    if (typeof node !== 'string' || node === '') return Promise.reject(badArgument(`waitFor: node must be a non-empty string, got ${JSON.stringify(node)}`));
    if (!NODE_PHASES.includes(phase)) return Promise.reject(badArgument(`waitFor ${node}: unknown phase ${JSON.stringify(phase)}`));
    if (typeof since !== 'number' || Number.isNaN(since)) return Promise.reject(badArgument(`waitFor ${node}: since must be a number, got ${String(since)}`));
    if (typeof timeout !== 'number' || !(timeout >= 0)) return Promise.reject(badArgument(`waitFor ${node}: timeout must be a number of seconds >= 0, got ${String(timeout)}`));
    if (signal?.aborted) return Promise.reject(signal.reason);

    const found = this.kept.get(node)?.find((r) => answers(phase, since, r));
    if (found !== undefined) return Promise.resolve(found);

    return new Promise<PhaseReport>((resolve, reject) => {
      const timer = new AbortController();
      let settled = false;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        this.removeWaiter(node, waiter);
        timer.abort();
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const waiter: Waiter = { phase, since, wake: (r) => finish() && resolve(r) };
      const onAbort = (): void => {
        if (finish()) reject(signal!.reason);
      };
      let set = this.waiters.get(node);
      if (set === undefined) this.waiters.set(node, (set = new Set()));
      set.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeout === Infinity) return;
      this.clock.sleep(timeout, timer.signal).then(
        () => {
          const why = `node ${node}: no "${phase}" (or "failed") report at or after t=${since}s within ${timeout}s`;
          if (finish()) reject(new DeployTwinError(ErrorCodes.EVENTS_TIMEOUT, why, 'retryable'));
        },
        (error: unknown) => {
          // Our own abort (the wait ended) is expected; anything else is the clock failing.
          if (!timer.signal.aborted && finish()) reject(error);
        },
      );
    });
  }

  /** Every report kept for a node, oldest first (frozen; a fresh array each call). */
  history(node: string): readonly PhaseReport[] {
    return [...(this.kept.get(node) ?? [])];
  }

  /** Drops the node's kept reports; waits already made keep waiting for new ones. */
  forget(node: string): void {
    this.kept.delete(node);
  }

  private removeWaiter(node: string, waiter: Waiter): void {
    const set = this.waiters.get(node);
    if (set === undefined) return;
    set.delete(waiter);
    if (set.size === 0) this.waiters.delete(node);
  }
}
