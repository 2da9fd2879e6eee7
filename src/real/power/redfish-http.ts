/**
 * One Redfish HTTP(S) exchange with node:http/https: JSON in, JSON out, an overall deadline, an
 * AbortSignal, and every way it can fail turned into a DeployTwinError with a stable code and a
 * retry verdict. Certificates are verified unless the caller explicitly asked for `insecure`
 * (BMCs ship self-signed certificates; accepting them is an operator's decision, never a default).
 */
import http from 'node:http';
import https from 'node:https';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { extendedInfo } from './redfish-json.ts';

export interface RedfishHttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Seconds for the whole exchange, connection to last byte. */
  timeout: number;
  agent: http.Agent;
  signal?: AbortSignal;
}

export interface RedfishHttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body; undefined when the body was empty. */
  json: unknown;
}

/** Bodies larger than this are not a Redfish resource we asked for. */
const MAX_BODY = 4 << 20;

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|EPROTO/;
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);

function where(req: RedfishHttpRequest): string {
  return `Redfish ${req.method} ${req.url.href}`;
}

function transportError(req: RedfishHttpRequest, e: NodeJS.ErrnoException): DeployTwinError {
  const code = e.code ?? '';
  if (TLS_CODES.test(code)) {
    return new DeployTwinError(
      ErrorCodes.REDFISH_TLS,
      `${where(req)}: TLS failed (${code}: ${e.message}); a BMC with a self-signed certificate needs its CA (ca) or an explicit insecure: true`,
      'fatal',
      { cause: e },
    );
  }
  if (UNREACHABLE_CODES.has(code) || code === 'ECONNABORTED' || e.message === 'socket hang up') {
    return new DeployTwinError(ErrorCodes.REDFISH_UNREACHABLE, `${where(req)}: connection failed (${code || e.message}); effect unknown`, 'retryable', { cause: e });
  }
  return new DeployTwinError(ErrorCodes.REDFISH_UNREACHABLE, `${where(req)}: ${e.message}`, 'retryable', { cause: e });
}

function parseBody(req: RedfishHttpRequest, status: number, text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const excerpt = text.length > 80 ? `${text.slice(0, 80)}...` : text;
    throw new DeployTwinError(ErrorCodes.REDFISH_BAD_RESPONSE, `${where(req)}: HTTP ${status} with a body that is not JSON: ${JSON.stringify(excerpt)}`, 'fatal');
  }
}

/** Sends the request; resolves with any HTTP status (the caller judges it), rejects on transport failures. */
export function redfishHttp(req: RedfishHttpRequest): Promise<RedfishHttpResponse> {
  if (req.signal?.aborted) return Promise.reject(req.signal.reason);
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  const headers: Record<string, string> = { Accept: 'application/json', 'OData-Version': '4.0', ...req.headers };
  if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) });
  const transport = req.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.signal?.removeEventListener('abort', onAbort);
      f();
    };
    const request = transport.request(req.url, { method: req.method, headers, agent: req.agent }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) request.destroy(new DeployTwinError(ErrorCodes.REDFISH_BAD_RESPONSE, `${where(req)}: response body over ${MAX_BODY} bytes`, 'fatal'));
        else chunks.push(c);
      });
      res.on('end', () =>
        finish(() => {
          try {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, json: parseBody(req, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')) });
          } catch (e) {
            reject(e);
          }
        }),
      );
      res.on('error', (e) => finish(() => reject(e instanceof DeployTwinError ? e : transportError(req, e))));
    });
    const onAbort = () => {
      request.destroy();
      finish(() => reject(req.signal!.reason));
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(() => {
      request.destroy();
      finish(() => reject(new DeployTwinError(ErrorCodes.REDFISH_TIMEOUT, `${where(req)}: no answer within ${req.timeout}s; effect unknown`, 'retryable')));
    }, req.timeout * 1000);
    request.on('error', (e) => finish(() => reject(e instanceof DeployTwinError ? e : transportError(req, e))));
    request.end(payload);
  });
}

/** The typed error for a non-2xx answer, with the service's @Message.ExtendedInfo in the message. */
export function statusError(method: string, url: URL, status: number, json: unknown): DeployTwinError {
  const info = extendedInfo(json);
  const said = info.length > 0 ? `: ${info.join('; ')}` : '';
  const at = `Redfish ${method} ${url.href}: HTTP ${status}`;
  const make = (code: string, meaning: string, retryable: boolean) => new DeployTwinError(code, `${at}, ${meaning}${said}`, retryable ? 'retryable' : 'fatal', { details: info });
  if (status === 401) return make(ErrorCodes.REDFISH_AUTH_FAILED, 'the credentials were refused', false);
  if (status === 403) return make(ErrorCodes.REDFISH_AUTH_FAILED, 'this account may not do that (insufficient privilege)', false);
  if (status === 400) return make(ErrorCodes.REDFISH_BAD_REQUEST, 'the service refused the request', false);
  if (status === 404 || status === 405 || status === 501) return make(ErrorCodes.REDFISH_UNSUPPORTED, 'the service does not support this', false);
  if (status === 409 || status === 429 || status === 503) return make(ErrorCodes.REDFISH_BUSY, 'the service is busy', true);
  if (status >= 500) return make(ErrorCodes.REDFISH_SERVER_ERROR, 'the service failed', true);
  return make(ErrorCodes.REDFISH_HTTP_ERROR, 'unexpected status', false);
}
