/**
 * Parameters, errors and closed forms of the TFTP model (src/models/tftp.ts).
 *
 * TFTP is lockstep: the server sends a window of `windowsize` blocks of `blksize` bytes and waits
 * for the ACK before the next window, so a transfer moves at most windowsize * blksize bytes per
 * round trip plus per-window turnaround (facts.md; RFC 1350, RFC 2348, RFC 7440).
 */
import { DeployTwinError, ErrorCodes, UsageError } from '../errors.ts';

/** Units: bytes, seconds, probabilities, counts. */
export interface TftpParams {
  /**
   * Block size, bytes: RFC 2348 allows 8..65464. Default 512 (RFC 1350, no blksize option).
   * 1468 fills a 1500-byte MTU without IP fragmentation.
   */
  blksize: number;
  /** Blocks sent per ACK (RFC 7440 windowsize option), 1..65535. Default 1 (plain lockstep). */
  windowsize: number;
  /**
   * Seconds the server and client spend per window beyond the wire (packet handling, disk read,
   * scheduling). Default 100 us, calibrated.
   */
  turnaround: number;
  /** Probability in [0, 1] that one window transmission is lost (data or its ACK). Default 0. */
  lossRate: number;
  /**
   * Seconds of silence before a lost window is sent again. Default 1 s (tftp-hpa's tftpd
   * --retransmit default, 1000000 us).
   */
  retransmitTimeout: number;
  /**
   * Retransmissions of one window before the transfer is abandoned: a window lost more than this
   * many times in a row fails the transfer (TftpTimeoutError). Default 5, calibrated.
   */
  maxRetries: number;
  /**
   * Transfers the server runs at once; later requests wait FIFO for a slot. Default 64,
   * calibrated (facts.md: common TFTP servers top out near 40-128 simultaneous boots).
   */
  maxTransfers: number;
  /**
   * Whether client and server roll the 16-bit block number over. Without it a file needs at most
   * 65535 data packets, i.e. under 65535 * blksize bytes (~32 MB at 512 B, facts.md). Default false.
   */
  rollover: boolean;
}

export const DEFAULT_TFTP_PARAMS: Readonly<TftpParams> = Object.freeze({
  blksize: 512,
  windowsize: 1,
  turnaround: 100e-6,
  lossRate: 0,
  retransmitTimeout: 1,
  maxRetries: 5,
  maxTransfers: 64,
  rollover: false,
});

/** RFC 2348 limits of the blksize option, bytes. */
export const TFTP_MIN_BLKSIZE = 8;
export const TFTP_MAX_BLKSIZE = 65464;
/** Highest 16-bit block number: the packet limit of a transfer without rollover. */
export const TFTP_MAX_BLOCKS = 65535;

/** Lockstep rate bound, bytes/s: windowsize * blksize / (rtt + turnaround); rtt in seconds. */
export function tftpRateBound(params: Pick<TftpParams, 'blksize' | 'windowsize' | 'turnaround'>, rtt: number): number {
  return (params.windowsize * params.blksize) / (rtt + params.turnaround);
}

/**
 * DATA packets of a file: every full block, plus the final short one that ends the transfer, which
 * is empty when the size is an exact multiple of blksize (RFC 1350 section 6).
 */
export function tftpBlocks(params: Pick<TftpParams, 'blksize'>, bytes: number): number {
  return Math.floor(bytes / params.blksize) + 1;
}

/** Windows (round trips) of a file. */
export function tftpWindows(params: Pick<TftpParams, 'blksize' | 'windowsize'>, bytes: number): number {
  return Math.ceil(tftpBlocks(params, bytes) / params.windowsize);
}

export function validateTftpParams(p: TftpParams): void {
  const bad = (what: string, got: unknown): never => {
    throw new UsageError(ErrorCodes.TFTP_BAD_PARAMS, `tftp: ${what}, got ${String(got)}`);
  };
  const isInt = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;
  if (!isInt(p.blksize, TFTP_MIN_BLKSIZE, TFTP_MAX_BLKSIZE)) bad(`blksize must be an integer from ${TFTP_MIN_BLKSIZE} to ${TFTP_MAX_BLKSIZE} bytes (RFC 2348)`, p.blksize);
  if (!isInt(p.windowsize, 1, 65535)) bad('windowsize must be an integer from 1 to 65535 blocks (RFC 7440)', p.windowsize);
  if (!(p.turnaround >= 0 && p.turnaround < Infinity)) bad('turnaround must be a finite number of seconds >= 0', p.turnaround);
  if (!(p.lossRate >= 0 && p.lossRate <= 1)) bad('lossRate must be a probability in [0, 1]', p.lossRate);
  if (!(p.retransmitTimeout > 0 && p.retransmitTimeout < Infinity)) bad('retransmitTimeout must be a finite number of seconds > 0', p.retransmitTimeout);
  if (!isInt(p.maxRetries, 0, Number.MAX_SAFE_INTEGER)) bad('maxRetries must be an integer >= 0', p.maxRetries);
  if (!(isInt(p.maxTransfers, 1, Number.MAX_SAFE_INTEGER) || p.maxTransfers === Infinity)) bad('maxTransfers must be an integer >= 1 or Infinity', p.maxTransfers);
  if (typeof p.rollover !== 'boolean') bad('rollover must be true or false', p.rollover);
}

/** The file needs more block numbers than exist and the peers do not roll over. Fatal. */
export class TftpFileTooLargeError extends DeployTwinError {
  constructor(
    readonly bytes: number,
    readonly blksize: number,
  ) {
    super(
      ErrorCodes.TFTP_FILE_TOO_LARGE,
      `TFTP cannot send ${bytes} bytes at blksize ${blksize} without block-number rollover (limit: under ${TFTP_MAX_BLOCKS * blksize} bytes); raise blksize, enable rollover or use HTTP`,
      'fatal',
    );
    this.name = 'TftpFileTooLargeError';
  }
}

/** One window was lost more than maxRetries times in a row: this transfer failed; a new one may work. */
export class TftpTimeoutError extends DeployTwinError {
  constructor(
    readonly window: number,
    readonly attempts: number,
    readonly bytesDelivered: number,
  ) {
    super(ErrorCodes.TFTP_TIMEOUT, `TFTP transfer timed out: window ${window} was sent ${attempts} times without an ACK (${bytesDelivered} bytes delivered)`, 'retryable');
    this.name = 'TftpTimeoutError';
  }
}
