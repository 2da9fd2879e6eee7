/**
 * The DHCP phase of a PXE or iPXE client: broadcast a DISCOVER, wait for the answer up to the
 * current timeout, and on silence retransmit (new xid) with the next, longer timeout. After the
 * last timeout the firmware prints "No DHCP offers received" and gives up.
 *
 * Retransmission schedules, quoted in iPXE's src/config/dhcp.h: "The PXE spec indicates discover
 * request are sent 4 times, with timeouts of 4, 8, 16, 32 seconds. iPXE by default uses 1, 2, 4,
 * 8." (DHCP_DISC_START_TIMEOUT_SEC 1 doubling up to DHCP_DISC_END_TIMEOUT_SEC 10; also facts.md).
 *
 * Packet loss: each attempt's DISCOVER and its OFFER/ACK are lost independently with probability
 * `lossRate`. A lost DISCOVER never reaches the server; a lost answer costs the server its work.
 * Draws come from the stream `pxe.loss.<node>` (two per attempt: DISCOVER, then answer) and only
 * when lossRate > 0, so lossless runs do not touch it.
 */
import { DeployTwinError, ErrorCodes, UsageError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { DhcpRequest, DhcpServer } from './dhcp.ts';

/** DISCOVER timeouts of the PXE specification, seconds (4 attempts). */
export const PXE_DISCOVER_TIMEOUTS: readonly number[] = Object.freeze([4, 8, 16, 32]);
/** DISCOVER timeouts of iPXE, seconds (src/config/dhcp.h: 1 s doubling while <= 10 s). */
export const IPXE_DISCOVER_TIMEOUTS: readonly number[] = Object.freeze([1, 2, 4, 8]);

export interface PxeDhcpOptions {
  /** Timeout of each attempt, seconds. Default PXE_DISCOVER_TIMEOUTS. */
  schedule?: readonly number[];
  /** Probability in [0, 1] that one packet (a DISCOVER or an answer) is lost. Default 0. */
  lossRate?: number;
  /** Aborting it stops the client at once (rejects with the signal's reason). */
  signal?: AbortSignal;
}

export interface PxeDhcpResult {
  /** DISCOVERs sent, the successful one included (1 = first try). */
  attempts: number;
  /** Seconds from the first DISCOVER to the lease. */
  elapsed: number;
}

/** Every DISCOVER timed out. Retryable: powering the node on again later may work. */
export class PxeNoOfferError extends DeployTwinError {
  constructor(
    readonly node: number,
    readonly attempts: number,
    readonly elapsed: number,
  ) {
    super(ErrorCodes.PXE_NO_OFFER, `node ${node}: No DHCP offers received (${attempts} DISCOVERs over ${elapsed}s)`, 'retryable');
    this.name = 'PxeNoOfferError';
  }
}

/** Runs the client's DHCP phase against `server`; resolves once a lease is acknowledged. */
export async function pxeDhcp(engine: Engine, server: DhcpServer, node: number, options: PxeDhcpOptions = {}): Promise<PxeDhcpResult> {
  const schedule = options.schedule ?? PXE_DISCOVER_TIMEOUTS;
  const lossRate = options.lossRate ?? 0;
  if (schedule.length === 0 || !schedule.every((t) => t > 0 && t < Infinity)) {
    throw new UsageError(ErrorCodes.DHCP_BAD_PARAMS, `pxe: schedule must be a non-empty list of finite timeouts > 0 s, got [${schedule.join(', ')}]`);
  }
  if (!(lossRate >= 0 && lossRate <= 1)) throw new UsageError(ErrorCodes.DHCP_BAD_PARAMS, `pxe: lossRate must be a probability in [0, 1], got ${lossRate}`);
  const rng = lossRate > 0 ? engine.stream(`pxe.loss.${node}`) : null;
  const start = engine.now;
  for (let k = 0; k < schedule.length; k++) {
    const discoverLost = rng !== null && rng.next() < lossRate;
    const answerLost = rng !== null && rng.next() < lossRate;
    if (await discover(engine, server, node, schedule[k], discoverLost, answerLost, options.signal)) {
      return { attempts: k + 1, elapsed: engine.now - start };
    }
  }
  throw new PxeNoOfferError(node, schedule.length, engine.now - start);
}

/** One attempt: true if the answer came within `timeout` seconds, false at the timeout. */
function discover(engine: Engine, server: DhcpServer, node: number, timeout: number, discoverLost: boolean, answerLost: boolean, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<boolean>((resolve, reject) => {
    // After its timer fires the server recognises the request as stale by its deadline.
    const settle = (answered: boolean) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(answered);
    };
    const req: DhcpRequest = {
      node,
      deadline: engine.now + timeout,
      answerLost,
      abandoned: false,
      onAnswer: () => {
        engine.cancel(timer);
        settle(true);
      },
    };
    // The timer is scheduled before the request is submitted, so at an exact tie the timeout wins.
    const timer = engine.schedule(req.deadline, () => settle(false));
    const onAbort = () => {
      engine.cancel(timer);
      req.abandoned = true;
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (!discoverLost) server.submit(req);
  });
}
