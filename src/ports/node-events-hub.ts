/**
 * The NodeEvents port as a hub: whoever receives phase reports (the twin's node models, the real
 * HTTP status endpoint) calls `report`; the orchestrator waits with `waitFor`. Reports are kept
 * per node until `forget`, so a wait never misses one that came in before it was called.
 *
 * De-duplication: a report is a repeat, and is dropped, when the node's kept history already
 * holds a report with the same phase and the same `boot` (an absent boot equals an absent boot).
 * Repeats come from nodes re-sending a report whose acknowledgement they did not get, so the
 * first copy is the true one and a repeat's later `at` or other detail is ignored. Without boot
 * numbers a new boot's reports look like repeats of the old boot's, which is why the contract has
 * callers `forget` a node before booting it again.
 */
import { DeployTwinError, ErrorCodes, UsageError } from '../errors.ts';
import { deepFreeze } from './deep-freeze.ts';
import { NODE_PHASES, type Clock, type NodeEvents, type NodePhase, type PhaseReport } from './index.ts';

/** A report as the hub takes it (the port's PhaseReport, whose `boot` tells reboots from repeats). */
export type BootReport = PhaseReport;

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

const REPORT_PHASES: ReadonlySet<string> = new Set([...NODE_PHASES, 'failed']);

function answers(phase: NodePhase, since: number, r: PhaseReport): boolean {
  return (r.phase === phase || r.phase === 'failed') && r.at >= since;
}

function badArgument(why: string): UsageError {
  return new UsageError(ErrorCodes.EVENTS_BAD_ARGUMENT, why);
}

export class NodeEventsHub implements NodeEvents {
  private readonly kept = new Map<string, BootReport[]>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(private readonly clock: Clock) {}

  /** Waits not yet resolved, timed out or aborted (for leak checks). */
  get pendingWaiters(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  /** True when a report with this node, phase and boot is kept (a new one would be a repeat). */
  has(node: string, phase: string, boot: number | undefined): boolean {
    return this.kept.get(node)?.some((k) => k.phase === phase && k.boot === boot) ?? false;
  }

  /**
   * Keeps a frozen copy of `r` and wakes the waits it answers, in the order they were made.
   * Returns false (and changes nothing) for a repeat. Throws EVENTS_BAD_ARGUMENT for a malformed
   * report, since on real hardware it comes from outside.
   */
  report(r: BootReport): boolean {
    if (typeof r !== 'object' || r === null) throw badArgument('a phase report must be an object');
    if (typeof r.node !== 'string' || r.node === '') throw badArgument(`phase report: "node" must be a non-empty string, got ${JSON.stringify(r.node)}`);
    if (!REPORT_PHASES.has(r.phase)) throw badArgument(`phase report from ${r.node}: unknown phase ${JSON.stringify(r.phase)}`);
    if (typeof r.at !== 'number' || !Number.isFinite(r.at)) throw badArgument(`phase report from ${r.node}: "at" must be a finite number, got ${String(r.at)}`);
    if (r.boot !== undefined && !(Number.isSafeInteger(r.boot) && r.boot >= 0)) throw badArgument(`phase report from ${r.node}: "boot" must be an integer >= 0, got ${String(r.boot)}`);
    if (r.detail !== undefined && typeof r.detail !== 'string') throw badArgument(`phase report from ${r.node}: "detail" must be a string`);
    if (r.hardware !== undefined && (typeof r.hardware !== 'object' || r.hardware === null)) throw badArgument(`phase report from ${r.node}: "hardware" must be an object`);

    const list = this.kept.get(r.node) ?? [];
    if (list.some((k) => k.phase === r.phase && k.boot === r.boot)) return false;
    const stored: BootReport = { node: r.node, phase: r.phase, at: r.at };
    if (r.detail !== undefined) stored.detail = r.detail;
    if (r.hardware !== undefined) stored.hardware = structuredClone(r.hardware);
    if (r.boot !== undefined) stored.boot = r.boot;
    list.push(deepFreeze(stored));
    this.kept.set(r.node, list);

    const set = this.waiters.get(r.node);
    if (set !== undefined) for (const w of [...set]) if (answers(w.phase, w.since, stored)) w.wake(stored);
    return true;
  }

  /**
   * The first kept report (in arrival order) of `phase` or 'failed' for `node` with at >= since,
   * at once if one is kept, else the first such report to arrive. Rejects with a retryable
   * EVENTS_TIMEOUT after `timeout` clock seconds, with the signal's reason on abort; either way
   * the wait leaves no waiter, listener or clock event behind.
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
      const waiter: Waiter = {
        phase,
        since,
        wake: (r) => {
          if (finish()) resolve(r);
        },
      };
      const onAbort = () => {
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
