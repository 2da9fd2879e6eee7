/**
 * An HTTP artifact server (nginx, Apache, KiERA's web server) serving kernels, initrds and SquashFS
 * root images, and the client side of a download (wget with its retry loop).
 *
 * What limits a download, in order:
 * - a connection slot: the server serves at most `maxConnections` downloads at once; the rest wait
 *   FIFO (a listen backlog in front of Apache's workers) or are refused (a server or proxy that
 *   rejects beyond its limit, like Ironic's deploy cap);
 * - the request latency: accept, parse, open the file, before the first byte (drawn per request);
 * - the bytes: one flow over [`<server>.disk`, ...route], shared max-min with every other flow.
 *   The disk link stands for what the server's disk or page cache delivers to all its clients
 *   together; the flow's own cap is the client's limit (a boot loader's slow HTTP stack, a wget on
 *   a slow core).
 * A download may also pass an HttpAdmission (http-admission.ts): its bytes then move only once it
 * holds a place there, as when a congested bottleneck locks most flows out in TCP backoff.
 */
import { DeployTwinError, UsageError, ErrorCodes } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { FlowNetwork } from '../engine/network/flow-network.ts';
import type { Link, Route } from '../engine/network/link.ts';
import { Resource } from '../engine/resource.ts';
import type { HttpAdmission } from './http-admission.ts';
import type { RandomStream } from '../engine/random.ts';
import { constant, type Sampler } from './sampler.ts';

/** Parameters of an HTTP artifact server. Units: seconds, bytes, bytes/s. */
export interface HttpServerParams {
  /**
   * Downloads served at once (integer >= 1, or Infinity). Default 256: Apache prefork's default
   * MaxRequestWorkers (facts.md; xCAT raises it to 1000 for big service nodes).
   */
  maxConnections: number;
  /**
   * What happens to a client when every slot is busy: 'queue' (default) waits FIFO for a slot;
   * 'refuse' rejects it at once with a retryable HttpRefusedError (DT_HTTP_REFUSED).
   */
  overflow: 'queue' | 'refuse';
  /**
   * Bytes/s the server's disk or page cache delivers to all clients together, modelled as the link
   * `<server>.disk` that every download crosses. Default 2e9 (2 GB/s, calibrated: an image held in
   * page cache on a 2018-era server, above a 10 GbE NIC so the network binds first).
   */
  readBandwidth: number;
  /**
   * Seconds from connect to first byte spent in the server (accept, parse, open), drawn per request
   * from the stream `http.<server>.request-latency`. Default constant 1 ms (calibrated). The route's
   * own propagation latency is added by the flow network.
   */
  requestLatency: Sampler;
}

export const DEFAULT_HTTP_SERVER_PARAMS: Readonly<HttpServerParams> = Object.freeze({
  maxConnections: 256,
  overflow: 'queue',
  readBandwidth: 2e9,
  requestLatency: constant(0.001),
});

/** Times of one download, in simulated seconds. */
export interface HttpDownloadResult {
  /** The client asked. */
  start: number;
  /** The client got a connection slot (start, unless it queued). */
  granted: number;
  /** The first byte left the server (after the request latency, any admission backoff and the route's latency). */
  firstByte: number;
  /** The last byte arrived; the slot was released at this instant. */
  end: number;
}

export interface HttpDownloadOptions {
  /** The client's own rate limit, bytes/s. Default: none. */
  clientRate?: number;
  /**
   * A lockout the bytes must get a place in before they move (after the connection slot and the
   * request latency); the place is held until the last byte. Default: none.
   */
  admission?: HttpAdmission;
  signal?: AbortSignal;
}

/** Every slot was busy and the server refuses excess connections. Retrying later can help. */
export class HttpRefusedError extends DeployTwinError {
  constructor(server: string, maxConnections: number) {
    super(ErrorCodes.HTTP_REFUSED, `${server}: connection refused, all ${maxConnections} connection slots are busy`, 'retryable');
    this.name = 'HttpRefusedError';
  }
}

export class HttpServer {
  readonly params: Readonly<HttpServerParams>;
  /** The `<server>.disk` link; downloads cross it "up". */
  readonly disk: Link;
  /** Connections refused so far (overflow 'refuse' only). */
  refused = 0;
  /** Downloads completed so far. */
  completed = 0;
  private readonly slots: Resource;
  private readonly latencyStream: RandomStream;

  constructor(
    readonly engine: Engine,
    readonly network: FlowNetwork,
    readonly name: string,
    params: Partial<HttpServerParams> = {},
  ) {
    const p = { ...DEFAULT_HTTP_SERVER_PARAMS, ...params };
    const bad = (what: string) => new UsageError(ErrorCodes.HTTP_BAD_PARAMS, `HTTP server "${name}": ${what}`);
    if (!((Number.isInteger(p.maxConnections) && p.maxConnections >= 1) || p.maxConnections === Infinity)) {
      throw bad(`maxConnections must be an integer >= 1 or Infinity, got ${p.maxConnections}`);
    }
    if (p.overflow !== 'queue' && p.overflow !== 'refuse') throw bad(`overflow must be 'queue' or 'refuse', got ${String(p.overflow)}`);
    if (!(p.readBandwidth > 0) || p.readBandwidth === Infinity) throw bad(`readBandwidth must be a finite number > 0 bytes/s, got ${p.readBandwidth}`);
    this.params = Object.freeze(p);
    // The sharing model's bandwidth factor corrects TCP's share of a wire, not a disk: undo it.
    this.disk = network.addLink({ name: `${name}.disk`, capacity: p.readBandwidth / network.model.bandwidthFactor, latency: 0 });
    this.slots = new Resource(engine, p.maxConnections, `${name}.connections`);
    this.latencyStream = engine.stream(`http.${name}.request-latency`);
  }

  /** Highest number of downloads in flight at once so far. */
  get peakConnections(): number {
    return this.slots.peak;
  }

  /** Downloads holding a slot right now. */
  get inFlight(): number {
    return this.slots.count;
  }

  /** Clients queued for a slot right now (overflow 'queue'). */
  get waiting(): number {
    return this.slots.waiting;
  }

  /**
   * Downloads `bytes` over `route` (server to client; the disk hop is prepended): takes a slot,
   * waits the request latency, takes a place in `options.admission` if given (backing off, or
   * rejecting with HttpTimedOutError when the sender gives up), moves the bytes, releases the slot.
   * With overflow 'refuse' and no free slot it rejects with HttpRefusedError after one round trip
   * of the route (SYN, then RST).
   */
  async download(route: Route, bytes: number, options: HttpDownloadOptions = {}): Promise<HttpDownloadResult> {
    const { signal } = options;
    const start = this.engine.now;
    let release: () => void;
    if (this.params.overflow === 'queue') {
      release = await this.slots.acquire(signal);
    } else {
      const slot = this.slots.tryAcquire();
      if (slot === null) {
        this.refused++;
        await this.engine.timeout(2 * this.network.routeLatency(route), signal);
        throw new HttpRefusedError(this.name, this.params.maxConnections);
      }
      release = slot;
    }
    const granted = this.engine.now;
    let leave: (() => void) | undefined;
    try {
      await this.engine.timeout(this.params.requestLatency.sample(this.latencyStream.fn), signal);
      leave = (await options.admission?.enter(signal))?.release;
      const flow = await this.network.transferAsync([this.disk.hopUp, ...route], bytes, { cap: options.clientRate, signal, label: this.name });
      this.completed++;
      return { start, granted, firstByte: flow.startedAt, end: flow.finishedAt };
    } finally {
      leave?.();
      release();
    }
  }
}

/** wget's retry policy: `retries` more attempts after the first, waiting backoff(attempt) between. */
export interface HttpRetryOptions extends HttpDownloadOptions {
  /** Attempts after the first (wget --tries=N is retries = N - 1). Default 19 (wget's 20 tries). */
  retries?: number;
  /** Seconds to wait after failed attempt number `attempt` (1-based). Default wgetBackoff(10). */
  backoff?: (attempt: number) => number;
}

export interface HttpRetryResult extends HttpDownloadResult {
  /** Attempts made, including the one that succeeded (>= 1). */
  attempts: number;
  /** Time of the first attempt (`start` is that of the successful one). */
  firstAttempt: number;
}

/**
 * wget --waitretry=W: linear backoff, 1 s after the first failure, 2 s after the second, ... up to
 * W seconds (GNU Wget manual). W defaults to 10 s, as in wget.
 */
export function wgetBackoff(waitretry = 10): (attempt: number) => number {
  return (attempt) => Math.min(attempt, waitretry);
}

/**
 * A client that retries refused connections, like `wget --retry-connrefused --tries=N
 * --waitretry=W` (plain wget treats "connection refused" as fatal; boot scripts add the flag).
 * Only retryable errors are retried; anything else (an abort, a usage error) propagates at once.
 * After the last attempt it rejects with the last error.
 */
export async function httpDownloadWithRetry(server: HttpServer, route: Route, bytes: number, options: HttpRetryOptions = {}): Promise<HttpRetryResult> {
  const retries = options.retries ?? 19;
  const backoff = options.backoff ?? wgetBackoff();
  if (!(Number.isInteger(retries) && retries >= 0)) {
    throw new UsageError(ErrorCodes.HTTP_BAD_PARAMS, `retries must be an integer >= 0, got ${retries}`);
  }
  const firstAttempt = server.engine.now;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await server.download(route, bytes, options);
      return { ...result, attempts: attempt, firstAttempt };
    } catch (error) {
      const retryable = error instanceof DeployTwinError && error.retryable;
      if (!retryable || attempt > retries) throw error;
    }
    await server.engine.timeout(backoff(attempt), options.signal);
  }
}
