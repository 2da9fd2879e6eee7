/**
 * The authenticated part of the Redfish client: one target (a service root URL and an account),
 * its TLS policy, its session (POST /redfish/v1/SessionService/Sessions, then X-Auth-Token) or
 * HTTP basic auth, and JSON requests that turn non-2xx answers into typed errors. A session that
 * expired (401 on a token that worked before) is opened again once, transparently.
 */
import http from 'node:http';
import https from 'node:https';
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import { maskSecret } from './ipmitool-runner.ts';
import { redfishHttp, statusError, type RedfishHttpRequest, type RedfishHttpResponse } from './redfish-http.ts';

export interface RedfishTarget {
  /** Service URL, scheme and authority only: "https://10.0.0.5" or "http://127.0.0.1:8000". */
  url: string;
  user: string;
  password: string;
  /** "session" (default; one login, then a token) or "basic" (credentials on every request). */
  auth?: 'session' | 'basic';
  /** The ComputerSystem id; default: the service's only system. */
  systemId?: string;
  /** Accept any certificate (self-signed BMCs). Default false: verify. Prefer `ca`. */
  insecure?: boolean;
  /** PEM CA certificate(s) to verify the BMC's certificate against. */
  ca?: string;
}

const SESSIONS = '/redfish/v1/SessionService/Sessions';

export class RedfishClient {
  readonly origin: URL;
  readonly agent: http.Agent;
  private token: string | undefined;
  private sessionUri: string | undefined;
  private login: Promise<string> | undefined;

  /** @param timeout seconds per HTTP exchange. */
  constructor(
    readonly target: RedfishTarget,
    readonly timeout: number,
  ) {
    const fail = (what: string): never => {
      throw new UsageError(ErrorCodes.REDFISH_BAD_TARGET, `Redfish target ${JSON.stringify(target.url)}: ${what}`);
    };
    let url: URL | undefined;
    try {
      url = new URL(target.url);
    } catch {
      fail('not a URL');
    }
    if (url!.protocol !== 'https:' && url!.protocol !== 'http:') fail('must be http:// or https://');
    // Credentials in a URL end up in logs and error messages: they belong in user/password.
    if (url!.username !== '' || url!.password !== '') fail('must not carry credentials (give user and password)');
    if (url!.pathname !== '/' || url!.search !== '') fail('give the service address only, without a path');
    if (typeof target.user !== 'string' || typeof target.password !== 'string') fail('user and password must be strings');
    if (!(timeout > 0 && timeout < Infinity)) fail(`timeout must be a finite number of seconds > 0, got ${timeout}`);
    this.origin = url!;
    this.agent =
      url!.protocol === 'https:' ? new https.Agent({ keepAlive: true, rejectUnauthorized: target.insecure !== true, ca: target.ca }) : new http.Agent({ keepAlive: true });
  }

  /** A URI the service gave us, resolved on the service; refused if it points at another host (credentials would follow). */
  resolve(uri: string): URL {
    const url = new URL(uri, this.origin);
    if (url.origin !== this.origin.origin) {
      throw new DeployTwinError(ErrorCodes.REDFISH_BAD_RESPONSE, `Redfish service ${this.origin.origin} pointed at another host (${url.origin}); refused`, 'fatal');
    }
    return url;
  }

  /** Sends a request, authenticated; resolves on 2xx, rejects with a typed error otherwise. */
  async request(method: RedfishHttpRequest['method'], uri: string, body: unknown, signal?: AbortSignal): Promise<RedfishHttpResponse> {
    const url = this.resolve(uri);
    const send = async (headers: Record<string, string>) => redfishHttp({ method, url, body, headers, timeout: this.timeout, agent: this.agent, signal });
    const reused = this.token !== undefined;
    let res = await send(await this.authHeaders(signal));
    if (res.status === 401 && this.target.auth !== 'basic' && reused) {
      // The session expired or the BMC restarted: log in again, once.
      this.token = undefined;
      res = await send(await this.authHeaders(signal));
    }
    if (res.status < 200 || res.status > 299) throw this.statusError(method, url, res);
    return res;
  }

  /** Ends the session (if any) and closes idle connections. Never throws. */
  async close(): Promise<void> {
    const uri = this.sessionUri;
    const token = this.token;
    this.token = undefined;
    this.sessionUri = undefined;
    if (uri !== undefined && token !== undefined) {
      await redfishHttp({ method: 'DELETE', url: this.resolve(uri), headers: { 'X-Auth-Token': token }, timeout: this.timeout, agent: this.agent }).catch(() => undefined);
    }
    this.agent.destroy();
  }

  /** statusError, with the password masked should the service echo it in its messages. */
  private statusError(method: string, url: URL, res: RedfishHttpResponse): DeployTwinError {
    const secret = this.target.password;
    const mask = (v: unknown): unknown =>
      typeof v === 'string' ? maskSecret(v, secret) : Array.isArray(v) ? v.map(mask) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x)])) : v;
    return statusError(method, url, res.status, mask(res.json));
  }

  private async authHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    if (this.target.auth === 'basic') {
      return { Authorization: `Basic ${Buffer.from(`${this.target.user}:${this.target.password}`).toString('base64')}` };
    }
    if (this.token !== undefined) return { 'X-Auth-Token': this.token };
    // Concurrent first requests share one login.
    this.login ??= this.openSession(signal).finally(() => (this.login = undefined));
    return { 'X-Auth-Token': await this.login };
  }

  private async openSession(signal?: AbortSignal): Promise<string> {
    const url = this.resolve(SESSIONS);
    const res = await redfishHttp({ method: 'POST', url, body: { UserName: this.target.user, Password: this.target.password }, timeout: this.timeout, agent: this.agent, signal });
    if (res.status < 200 || res.status > 299) throw this.statusError('POST', url, res);
    const token = res.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') {
      throw new DeployTwinError(ErrorCodes.REDFISH_BAD_RESPONSE, `Redfish POST ${url.href}: HTTP ${res.status} without an X-Auth-Token header`, 'fatal');
    }
    const location = res.headers.location;
    const id = typeof res.json === 'object' && res.json !== null ? (res.json as Record<string, unknown>)['@odata.id'] : undefined;
    this.sessionUri = typeof location === 'string' ? location : typeof id === 'string' ? id : undefined;
    this.token = token;
    return token;
  }
}
