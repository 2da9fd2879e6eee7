/**
 * The status endpoint booting nodes call as each boot phase completes, and the NodeEvents port
 * the orchestrator reads them through.
 *
 *   GET  /status?node=cn001&phase=kernel&boot=3&token=T[&detail=text]     (busybox wget)
 *   POST /status   {"node":"cn001","phase":"booted","boot":3,"token":"T","hardware":{...}}
 *                  (token in the body or as "Authorization: Bearer T"; any Content-Type)
 *
 * Answers: 200 {"accepted":true,"repeat":false} for a new report, 200 {"accepted":false,
 * "repeat":true} for a repeat (same node, phase, boot; safe to re-send); 401 without the right
 * token; 400 for bad JSON, an unknown node or phase, a bad field; 413 for a body over the limit;
 * 503 (Retry-After) if the journal could not record the report. Errors are {error:{code,message}}.
 *
 * A report's `at` is its arrival time on the port's clock (nodes' clocks are not trusted). A new
 * report is appended to the journal ("phase.report") before it is delivered, so the journal
 * holds every report the orchestrator acted on.
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { ErrorCodes } from '../../errors.ts';
import type { Clock, Journal, NodeEvents, NodePhase, PhaseReport } from '../../ports/index.ts';
import { expandHostlist } from '../../scenario/hostlist.ts';
import { WallClock } from '../clock.ts';
import { NodeEventsHub, type WaitOptions } from '../../ports/node-events-hub.ts';
import { isProblem, reportFromBody, reportFromQuery, type ReceivedReport } from './status-request.ts';
import { checkToken, tokenMatches } from './token.ts';

export interface StatusServerOptions {
  /** The deployment's secret (see newDeploymentToken); at least 16 base64url characters. */
  token: string;
  /** The nodes that may report: a hostlist expression, a list of names, or a predicate. */
  nodes: string | Iterable<string> | ((node: string) => boolean | Promise<boolean>);
  /** Stamps reports and times waits. Default: a WallClock. */
  clock?: Clock;
  /** Where every new report is appended (type "phase.report"). Default: none. */
  journal?: Journal;
  /** Listen address. Default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 (the default) picks a free one. */
  port?: number;
  /** Base URL nodes reach the endpoint at, when it differs from the listen address (NAT, proxy). */
  publicUrl?: string;
  /** Largest POST body accepted, bytes. Default 1 MiB (a hardware report is a few kB). */
  bodyLimit?: number;
  /** Seconds a node is told to wait (Retry-After) when the journal failed. Default 5. */
  retryAfter?: number;
  /**
   * Reports received before (by an earlier process on the same journal: its "phase.report"
   * entries), kept as if just received but not journalled again, so a restarted orchestrator
   * still sees a report that came in before it died, and a node re-sending it gets "repeat".
   */
  history?: readonly PhaseReport[];
}

export interface StatusCounters {
  accepted: number;
  repeats: number;
  unauthorized: number;
  badRequests: number;
}

type Answer = { status: number; code?: string; message?: string };

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

export class StatusServer implements NodeEvents {
  readonly counters: StatusCounters = { accepted: 0, repeats: 0, unauthorized: 0, badRequests: 0 };
  private readonly hub: NodeEventsHub;
  private readonly clock: Clock;
  private readonly known: (node: string) => boolean | Promise<boolean>;
  /** Reports being journalled: a repeat arriving meanwhile is a repeat, not a second entry. */
  private readonly inflight = new Set<string>();
  private baseUrl = '';

  private constructor(
    private readonly app: FastifyInstance,
    private readonly options: StatusServerOptions,
  ) {
    checkToken(options.token);
    this.clock = options.clock ?? new WallClock();
    this.hub = new NodeEventsHub(this.clock);
    for (const report of options.history ?? []) this.hub.report(report);
    const { nodes } = options;
    if (typeof nodes === 'function') this.known = nodes;
    else {
      const set = new Set(typeof nodes === 'string' ? expandHostlist(nodes) : nodes);
      this.known = (n) => set.has(n);
    }
  }

  /** Starts listening; resolves once the endpoint answers. Throws STATUS_WEAK_TOKEN for a weak token. */
  static async start(options: StatusServerOptions): Promise<StatusServer> {
    const app = Fastify({
      logger: false,
      bodyLimit: options.bodyLimit ?? 1024 * 1024,
      forceCloseConnections: true,
      frameworkErrors: (err, _req, reply) => sendError(reply, 400, ErrorCodes.STATUS_BAD_REQUEST, err.message),
    });
    const server = new StatusServer(app, options);
    // Nodes send JSON with whatever Content-Type their tool puts (busybox wget: form-urlencoded).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.get('/status', async (req, reply) => server.answer(reply, req.query as Record<string, unknown>, undefined));
    app.post('/status', async (req, reply) => server.answer(reply, undefined, req.body, req.headers.authorization));
    app.setNotFoundHandler((req, reply) => sendError(reply, 404, ErrorCodes.STATUS_BAD_REQUEST, `no such endpoint: ${req.method} ${req.url.split('?')[0]} (use GET or POST /status)`));
    app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
      if (err.statusCode === 413) return sendError(reply, 413, ErrorCodes.STATUS_BODY_TOO_LARGE, `report body over ${options.bodyLimit ?? 1048576} bytes`);
      if (err.statusCode !== undefined && err.statusCode < 500) return sendError(reply, err.statusCode, ErrorCodes.STATUS_BAD_REQUEST, err.message);
      return sendError(reply, 500, ErrorCodes.STATUS_SERVER_ERROR, `internal error: ${err.message}`);
    });
    const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    server.baseUrl = (options.publicUrl ?? address).replace(/\/+$/, '');
    return server;
  }

  /** Base URL of the endpoint, e.g. "http://127.0.0.1:40123". */
  get url(): string {
    return this.baseUrl;
  }

  /**
   * The URL a node's boot scripts call, up to the phase: append the phase name, e.g.
   * `wget -q -O /dev/null "${url}kernel"`. Node names are URL-encoded; the token needs none.
   */
  statusUrl(node: string, boot: number): string {
    return `${this.baseUrl}/status?node=${encodeURIComponent(node)}&boot=${boot}&token=${this.options.token}&phase=`;
  }

  waitFor(node: string, phase: NodePhase, options: WaitOptions): Promise<PhaseReport> {
    return this.hub.waitFor(node, phase, options);
  }

  history(node: string): readonly PhaseReport[] {
    return this.hub.history(node);
  }

  forget(node: string): void {
    this.hub.forget(node);
  }

  /** Waits not yet ended (for leak checks). */
  get pendingWaiters(): number {
    return this.hub.pendingWaiters;
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    await this.app.close();
  }

  private async answer(reply: FastifyReply, query: Record<string, unknown> | undefined, rawBody: unknown, authorization?: string): Promise<FastifyReply> {
    const result = await this.accept(query, rawBody, authorization);
    if (result.status === 200) return reply.send({ accepted: result.code === undefined, repeat: result.code !== undefined });
    if (result.status === 401) {
      this.counters.unauthorized++;
      reply.header('www-authenticate', 'Bearer realm="deploytwin status"');
    } else if (result.status === 400) this.counters.badRequests++;
    else if (result.status === 503) reply.header('retry-after', String(this.options.retryAfter ?? 5));
    return sendError(reply, result.status, result.code!, result.message!);
  }

  /** Authenticates, checks and records one report; `code` on a 200 marks a repeat. */
  private async accept(query: Record<string, unknown> | undefined, rawBody: unknown, authorization?: string): Promise<Answer> {
    let body: unknown;
    if (query === undefined) {
      try {
        body = JSON.parse(typeof rawBody === 'string' ? rawBody : '');
      } catch (e) {
        return { status: 400, code: ErrorCodes.STATUS_BAD_JSON, message: `the report body is not JSON: ${(e as Error).message}` };
      }
    }
    const bodyToken = typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined;
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    const token = query?.token ?? bodyToken ?? bearer;
    if (!tokenMatches(token, this.options.token)) {
      const why = token === undefined ? 'no token: send token=... (query or body) or Authorization: Bearer' : 'wrong token for this deployment';
      return { status: 401, code: ErrorCodes.STATUS_UNAUTHORIZED, message: why };
    }
    const report = query !== undefined ? reportFromQuery(query) : reportFromBody(body);
    if (isProblem(report)) return { status: 400, code: ErrorCodes[report.code], message: report.message };
    if (!(await this.known(report.node))) {
      return { status: 400, code: ErrorCodes.STATUS_UNKNOWN_NODE, message: `unknown node ${JSON.stringify(report.node)}: not part of this deployment` };
    }
    return this.record(report);
  }

  private async record(received: ReceivedReport): Promise<Answer> {
    const key = JSON.stringify([received.node, received.phase, received.boot ?? null]);
    if (this.inflight.has(key) || this.hub.has(received.node, received.phase, received.boot)) {
      this.counters.repeats++;
      return { status: 200, code: 'repeat' };
    }
    const report: PhaseReport = { ...received, at: this.clock.now() };
    this.inflight.add(key);
    try {
      const { node, at, ...data } = report;
      await this.options.journal?.append({ type: 'phase.report', node, at, data: data as Record<string, unknown> });
    } catch (e) {
      return { status: 503, code: ErrorCodes.STATUS_JOURNAL_FAILED, message: `the report could not be recorded, send it again: ${(e as Error).message}` };
    } finally {
      this.inflight.delete(key);
    }
    this.hub.report(report);
    this.counters.accepted++;
    return { status: 200 };
  }
}
