/**
 * Admission of downloads into a congested bottleneck by TCP's retransmission timeout: a lockout in
 * which only a few transfers make progress while the rest sit in RTO backoff.
 *
 * Morris, "TCP Behavior with Many Flows" (ICNP 1997): when a bottleneck carries more flows than it
 * holds packets, "a few flows send too fast while the rest wait in re-transmission time-out". The
 * model keeps that mechanism and nothing else:
 * - at most `flows` transfers move at once (each a place);
 * - a transfer that finds every place taken waits its retransmission timeout (`first`, then
 *   doubling, capped at `max`, as Linux's tcp_retransmit_timer does) and tries again;
 * - a freed place is not handed to anyone: it goes to whichever client tries first after it is
 *   freed (a new arrival or a timer firing), not FIFO, so clients that have waited longest, whose
 *   timers are longest, are the least likely to get it;
 * - after `giveUpAfter` seconds of backoff the sender gives up (tcp_retries2), a retryable
 *   HttpTimedOutError; the client (wget) may then retry with a fresh connection.
 * A transfer that has a place keeps it until it ends (its RTO resets once data flows).
 */
import { DeployTwinError, ErrorCodes, UsageError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { RandomStream } from '../engine/random.ts';
import { constant, type Sampler } from './sampler.ts';

/** Parameters of an admission lockout. Units: seconds. */
export interface HttpAdmissionParams {
  /**
   * Transfers that make progress at once (integer >= 1, or Infinity: no lockout). Default Infinity.
   * Calibrated per site: the packets the bottleneck queue holds divided by a flow's window (Morris
   * 1997); KiERA Fig. 4 needs 3 (docs/calibration/kiera-fig4.md).
   */
  flows: number;
  /**
   * First retransmission timeout of a connection, seconds, drawn per connection from the stream
   * `http-admission.<name>.rto`. Default constant 0.2: Linux TCP_RTO_MIN (include/net/tcp.h). A
   * connection's RTO is SRTT + max(4 RTTVAR, TCP_RTO_MIN) (RFC 6298, Linux tcp_set_rto), so a
   * congested queue's delay puts it somewhat above 0.2 s, differently for each connection.
   */
  first: Sampler;
  /** Longest retransmission timeout, seconds; the timeout doubles up to it. Default 120: Linux TCP_RTO_MAX. */
  max: number;
  /**
   * Seconds of backoff after which the sender gives up (Infinity: never). Default 924.6:
   * tcpRetriesTimeout(15), Linux's tcp_retries2 = 15 (Documentation/networking/ip-sysctl.rst:
   * "a hypothetical timeout of 924.6 seconds").
   */
  giveUpAfter: number;
}

/**
 * The time Linux allows `retries2` retransmissions before it gives up (tcp_model_timeout): the
 * timeout doubles from `rtoBase` until it reaches `rtoMax`, then stays there. Seconds.
 */
export function tcpRetriesTimeout(retries2 = 15, rtoBase = 0.2, rtoMax = 120): number {
  const doublings = Math.floor(Math.log2(rtoMax / rtoBase) + 1e-9);
  if (retries2 <= doublings) return (2 ** (retries2 + 1) - 1) * rtoBase;
  return (2 ** (doublings + 1) - 1) * rtoBase + (retries2 - doublings) * rtoMax;
}

export const DEFAULT_HTTP_ADMISSION_PARAMS: Readonly<HttpAdmissionParams> = Object.freeze({
  flows: Infinity,
  first: constant(0.2),
  max: 120,
  giveUpAfter: tcpRetriesTimeout(15),
});

/** The sender gave up after tcp_retries2 worth of retransmission timeouts. A new connection may succeed. */
export class HttpTimedOutError extends DeployTwinError {
  constructor(name: string, waited: number) {
    super(ErrorCodes.HTTP_TIMED_OUT, `${name}: connection timed out after ${waited.toFixed(1)} s of retransmission timeouts`, 'retryable');
    this.name = 'HttpTimedOutError';
  }
}

/** A place held by one transfer. */
export interface AdmissionTicket {
  /** Frees the place (further calls are ignored). */
  release(): void;
  /** Seconds spent in backoff before the place was taken. */
  waited: number;
  /** Retransmission timeouts that fired before the place was taken. */
  retries: number;
}

export class HttpAdmission {
  readonly params: Readonly<HttpAdmissionParams>;
  /** Transfers holding a place right now. */
  moving = 0;
  /** Most transfers ever holding a place at once. */
  peak = 0;
  /** Retransmission timeouts that fired, over all clients. */
  retransmissions = 0;
  /** Clients that gave up (HttpTimedOutError). */
  gaveUp = 0;
  private readonly rtoStream: RandomStream;

  constructor(
    readonly engine: Engine,
    readonly name: string,
    params: Partial<HttpAdmissionParams> = {},
  ) {
    const p = { ...DEFAULT_HTTP_ADMISSION_PARAMS, ...params };
    const bad = (what: string) => new UsageError(ErrorCodes.HTTP_BAD_PARAMS, `HTTP admission "${name}": ${what}`);
    if (!((Number.isInteger(p.flows) && p.flows >= 1) || p.flows === Infinity)) throw bad(`flows must be an integer >= 1 or Infinity, got ${p.flows}`);
    if (!(p.first.mean() > 0 && Number.isFinite(p.first.mean()))) throw bad(`first must have a finite mean > 0 seconds, got ${p.first.mean()}`);
    if (!(p.max > 0 && Number.isFinite(p.max))) throw bad(`max must be a finite number > 0 seconds, got ${p.max}`);
    if (!(p.giveUpAfter > 0)) throw bad(`giveUpAfter must be > 0 seconds (Infinity: never), got ${p.giveUpAfter}`);
    this.params = Object.freeze(p);
    this.rtoStream = engine.stream(`http-admission.${name}.rto`);
  }

  /**
   * Takes a place, backing off while none is free. Rejects with HttpTimedOutError once the backoff
   * reaches `giveUpAfter`, or with the signal's reason if it aborts (holding nothing either way).
   */
  async enter(signal?: AbortSignal): Promise<AdmissionTicket> {
    const { max, giveUpAfter } = this.params;
    // A draw of 0 would spin at one instant; TCP's timer granularity is a jiffy (1 ms at HZ=1000).
    let rto = Math.min(max, Math.max(0.001, this.params.first.sample(this.rtoStream.fn)));
    let waited = 0;
    for (let retries = 0; ; retries++) {
      if (this.moving < this.params.flows) return this.take(waited, retries);
      await this.engine.timeout(rto, signal);
      waited += rto;
      rto = Math.min(2 * rto, max);
      // Linux checks the give-up bound when the timer fires, before it retransmits.
      if (waited >= giveUpAfter * (1 - 1e-12)) {
        this.gaveUp++;
        throw new HttpTimedOutError(this.name, waited);
      }
      this.retransmissions++;
    }
  }

  private take(waited: number, retries: number): AdmissionTicket {
    this.moving++;
    if (this.moving > this.peak) this.peak = this.moving;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.moving--;
    };
    return { release, waited, retries };
  }
}
