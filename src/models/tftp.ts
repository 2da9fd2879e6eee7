/**
 * A TFTP server sending files (boot loaders, PXE kernels) over the flow network.
 *
 * A transfer is a flow capped at the lockstep bound tftpRateBound(params, rtt), so it also shares
 * links max-min with everything else. Each run of windows between losses is one segment:
 * - a segment of n windows lasts the route latency plus max(its bytes at the flow's rate, n round
 *   trips): lockstep never sends the next window before the ACK, and the final short (possibly
 *   empty) block still costs a full round trip;
 * - after a lost window nothing moves for `retransmitTimeout` per consecutive loss, then the next
 *   segment starts with that window (paying the route latency again, like the resent packet);
 * - a window lost more than `maxRetries` times in a row ends the transfer with TftpTimeoutError
 *   after the last timeout.
 * Without block-number rollover a file of 65535 * blksize bytes or more is refused at once
 * (TftpFileTooLargeError), before it queues for a slot.
 *
 * At most `maxTransfers` transfers run at once (a Resource: later requests wait FIFO).
 *
 * Randomness: loss plans are drawn when download() is called, from `<name>.loss` (default
 * `tftp.loss`), or `<name>.loss.<node>` when the caller passes `node`; nothing is drawn when
 * lossRate is 0.
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { FlowNetwork } from '../engine/network/flow-network.ts';
import type { Route } from '../engine/network/link.ts';
import { Resource } from '../engine/resource.ts';
import { planLosses } from './tftp-loss.ts';
import {
  DEFAULT_TFTP_PARAMS,
  TFTP_MAX_BLOCKS,
  TftpFileTooLargeError,
  TftpTimeoutError,
  tftpBlocks,
  tftpRateBound,
  tftpWindows,
  validateTftpParams,
  type TftpParams,
} from './tftp-params.ts';

export * from './tftp-params.ts';
export { sampleBinomial, planLosses, type WindowLoss } from './tftp-loss.ts';

export interface TftpDownloadOptions {
  /** Round-trip time, seconds. Default: twice the route's one-way latency. */
  rtt?: number;
  /** Node index: gives the transfer its own loss stream (`<name>.loss.<node>`). */
  node?: number;
  /** Label of the flows, for reports. */
  label?: string;
  /** Aborting it frees the slot, cancels the flow and rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface TftpDownloadResult {
  /** When the transfer got a server slot (seconds; requests may wait for one before). */
  start: number;
  /** When the last byte (and final round trip) completed, seconds. */
  end: number;
  /** Window transmissions lost (each cost retransmitTimeout of dead time). */
  lostWindows: number;
}

export class TftpServer {
  readonly params: TftpParams;
  private readonly slots: Resource;

  constructor(
    readonly engine: Engine,
    readonly network: FlowNetwork,
    params: Partial<TftpParams> = {},
    readonly name = 'tftp',
  ) {
    this.params = { ...DEFAULT_TFTP_PARAMS, ...params };
    validateTftpParams(this.params);
    this.slots = new Resource(engine, this.params.maxTransfers, name);
  }

  /** Transfers completed so far. */
  completed = 0;

  /** Transfers running right now. */
  get active(): number {
    return this.slots.count;
  }

  /** Highest number of transfers that ran at once. */
  get peakActive(): number {
    return this.slots.peak;
  }

  /** Transfers waiting for a slot right now. */
  get waiting(): number {
    return this.slots.waiting;
  }

  /** Sends a file of `bytes` bytes over `route`. */
  async download(route: Route, bytes: number, options: TftpDownloadOptions = {}): Promise<TftpDownloadResult> {
    const p = this.params;
    if (!(bytes >= 0 && Number.isFinite(bytes))) throw new UsageError(ErrorCodes.TFTP_BAD_PARAMS, `${this.name}: file size must be a finite number of bytes >= 0, got ${bytes}`);
    if (!p.rollover && tftpBlocks(p, bytes) > TFTP_MAX_BLOCKS) throw new TftpFileTooLargeError(bytes, p.blksize);
    const rtt = options.rtt ?? 2 * this.network.routeLatency(route);
    if (!(rtt >= 0 && rtt < Infinity)) throw new UsageError(ErrorCodes.TFTP_BAD_PARAMS, `${this.name}: rtt must be a finite number of seconds >= 0, got ${rtt}`);
    const windows = tftpWindows(p, bytes);
    const losses = p.lossRate > 0 ? planLosses(this.engine.stream(options.node === undefined ? `${this.name}.loss` : `${this.name}.loss.${options.node}`), windows, p.lossRate, p.maxRetries) : [];
    const { signal } = options;

    const release = await this.slots.acquire(signal);
    const start = this.engine.now;
    try {
      const seg: Segment = { route, bytes, cap: tftpRateBound(p, rtt), roundTrip: rtt + p.turnaround, label: options.label ?? this.name, signal };
      let from = 0;
      let lost = 0;
      for (const loss of losses) {
        await this.segment(seg, from, loss.window);
        if (loss.losses > p.maxRetries) {
          await this.engine.timeout(loss.losses * p.retransmitTimeout, signal);
          throw new TftpTimeoutError(loss.window, loss.losses, this.offset(loss.window, bytes));
        }
        lost += loss.losses;
        await this.engine.timeout(loss.losses * p.retransmitTimeout, signal);
        from = loss.window;
      }
      await this.segment(seg, from, windows);
      this.completed++;
      return { start, end: this.engine.now, lostWindows: lost };
    } finally {
      release();
    }
  }

  /** Byte offset of the start of window `w`. */
  private offset(w: number, bytes: number): number {
    return Math.min(bytes, w * this.params.windowsize * this.params.blksize);
  }

  /** Windows [from, to): one flow at the lockstep cap, never shorter than its round trips. */
  private async segment(s: Segment, from: number, to: number): Promise<void> {
    if (to <= from) return;
    const size = this.offset(to, s.bytes) - this.offset(from, s.bytes);
    const flow = await this.network.transferAsync(s.route, size, { cap: s.cap, label: s.label, signal: s.signal });
    const lockstepEnd = flow.startedAt + (to - from) * s.roundTrip;
    if (this.engine.now < lockstepEnd) await this.engine.until(lockstepEnd, s.signal);
  }
}

interface Segment {
  route: Route;
  bytes: number;
  /** bytes/s */
  cap: number;
  /** Seconds per window: rtt + turnaround. */
  roundTrip: number;
  label: string;
  signal: AbortSignal | undefined;
}
