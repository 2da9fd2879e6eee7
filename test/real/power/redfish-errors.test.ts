/**
 * RedfishPower against a misbehaving Redfish service (a small fastify fixture on 127.0.0.1 whose
 * answers each test sets): malformed and schema-invalid JSON, HTTP error statuses, a session that
 * expires, a login without a token, an action URI on another host, a refused connection, abort.
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeployTwinError, ErrorCodes } from '../../../src/errors.ts';
import { RedfishPower } from '../../../src/real/power/redfish-power.ts';

const PASSWORD = 'Echo-me-not-42';
type Handler = (reply: FastifyReply, token: string | undefined) => unknown;
let app: FastifyInstance;
let url: string;
let system: Handler;
let login: Handler;
let logins = 0;

const goodSystem = { PowerState: 'Off', Actions: { '#ComputerSystem.Reset': { target: '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset' } } };

beforeAll(async () => {
  app = Fastify({ forceCloseConnections: true });
  app.post('/redfish/v1/SessionService/Sessions', async (_req, reply) => {
    logins++;
    return login(reply, undefined);
  });
  app.get('/redfish/v1/Systems', async (_req, reply) => system(reply, undefined));
  app.get('/redfish/v1/Systems/1', async (req, reply) => system(reply, req.headers['x-auth-token'] as string | undefined));
  app.post('/redfish/v1/Systems/1/Actions/ComputerSystem.Reset', async (_req, reply) => reply.code(204).send());
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

const clients: RedfishPower[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await app.close();
});

beforeEach(() => {
  logins = 0;
  login = (reply) => reply.code(201).header('X-Auth-Token', `token-${logins}`).send({});
  system = (reply) => reply.send(goodSystem);
});

/** A client for system "1" of the fixture, or of `where.url`; `{ systemId: undefined }` makes it ask the Systems collection. */
function rf(where: { systemId?: string; url?: string } = { systemId: '1' }): RedfishPower {
  const client = new RedfishPower(() => ({ url: where.url ?? url, user: 'root', password: PASSWORD, systemId: where.systemId }), { timeout: 2, pollInterval: 0.01 });
  clients.push(client);
  return client;
}

async function failure(p: Promise<unknown>): Promise<DeployTwinError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeployTwinError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('RedfishPower on bad Redfish output', () => {
  it('malformed JSON is a fatal REDFISH_BAD_RESPONSE that quotes the start of the body', async () => {
    system = (reply) => reply.header('Content-Type', 'application/json').send('{"PowerState": "On", oops');
    const e = await failure(rf().powerStatus('n'));
    expect([e.code, e.kind]).toEqual([ErrorCodes.REDFISH_BAD_RESPONSE, 'fatal']);
    expect(e.message).toMatch(/not JSON: "\{\\"PowerState\\": \\"On\\", oops"/);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['a PowerState outside the schema', { PowerState: 42 }, /PowerState must be one of On, Off, PoweringOn, PoweringOff, Paused, got 42/],
    ['a Reset action without target', { PowerState: 'On', Actions: { '#ComputerSystem.Reset': {} } }, /Reset"\]\.target must be a URI/],
    ['allowable values that are not strings', { PowerState: 'On', Actions: { '#ComputerSystem.Reset': { target: '/x', 'ResetType@Redfish.AllowableValues': [1] } } }, /AllowableValues must be a list of strings/],
    ['an array instead of a resource', [1, 2], /expected a ComputerSystem/],
  ];
  it.each(invalid)('%s is a fatal REDFISH_BAD_RESPONSE naming the property', async (_what, body, message) => {
    system = (reply) => reply.send(body);
    const e = await failure(rf().powerStatus('n'));
    expect(e.code).toBe(ErrorCodes.REDFISH_BAD_RESPONSE);
    expect(e.message).toMatch(message);
  });

  it('a Systems collection without Members is caught too', async () => {
    system = (reply) => reply.send({ Name: 'Systems' });
    const e = await failure(rf({}).powerStatus('n'));
    expect(e.message).toMatch(/Members must be a list/);
  });

  const statuses: Array<[number, string, boolean]> = [
    [503, ErrorCodes.REDFISH_BUSY, true],
    [429, ErrorCodes.REDFISH_BUSY, true],
    [500, ErrorCodes.REDFISH_SERVER_ERROR, true],
    [403, ErrorCodes.REDFISH_AUTH_FAILED, false],
    [404, ErrorCodes.REDFISH_UNSUPPORTED, false],
    [418, ErrorCodes.REDFISH_HTTP_ERROR, false],
  ];
  it.each(statuses)('HTTP %i maps to %s (retryable %s)', async (status, code, retryable) => {
    system = (reply) => reply.code(status).send({ error: { code: 'Base.1.16.GeneralError', message: `status ${status}` } });
    const e = await failure(rf().powerStatus('n'));
    expect([e.code, e.retryable]).toEqual([code, retryable]);
    expect(e.message).toContain(`HTTP ${status}`);
  });

  it('a 400 shows every @Message.ExtendedInfo message, with the password masked should the service echo it', async () => {
    system = (reply) =>
      reply.code(400).send({
        error: {
          code: 'Base.1.16.GeneralError',
          message: 'See ExtendedInfo',
          '@Message.ExtendedInfo': [
            { MessageId: 'Base.1.16.PropertyValueNotInList', Message: 'The value Floppy is not allowed.' },
            { MessageId: 'Base.1.16.GeneralError', Message: `Password ${PASSWORD} looks weak.` },
          ],
        },
      });
    const e = await failure(rf().powerStatus('n'));
    expect([e.code, e.kind]).toEqual([ErrorCodes.REDFISH_BAD_REQUEST, 'fatal']);
    expect(e.message).toContain('The value Floppy is not allowed. (Base.1.16.PropertyValueNotInList)');
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(PASSWORD);
  });

  it('a session that expires is opened again, once', async () => {
    let expired = false;
    system = (reply, token) => (expired && token === 'token-1' ? reply.code(401).send({}) : reply.send(goodSystem));
    const power = rf();
    expect(await power.powerStatus('n')).toBe('off');
    expect(logins).toBe(1);
    expired = true;
    expect(await power.powerStatus('n')).toBe('off');
    expect(logins).toBe(2);
  });

  it('a login answered without X-Auth-Token is a bad response; a refused login a fatal auth error', async () => {
    login = (reply) => reply.code(201).send({});
    expect((await failure(rf().powerStatus('n'))).code).toBe(ErrorCodes.REDFISH_BAD_RESPONSE);
    login = (reply) => reply.code(401).send({ error: { code: 'Base.1.16.ResourceAtUriUnauthorized', message: 'bad password' } });
    const e = await failure(rf().powerStatus('n'));
    expect([e.code, e.kind]).toEqual([ErrorCodes.REDFISH_AUTH_FAILED, 'fatal']);
  });

  it('an action URI on another host is refused before any credentials go there', async () => {
    system = (reply) => reply.send({ PowerState: 'Off', Actions: { '#ComputerSystem.Reset': { target: 'http://198.51.100.7/steal' } } });
    const e = await failure(rf().powerOn('n'));
    expect(e.code).toBe(ErrorCodes.REDFISH_BAD_RESPONSE);
    expect(e.message).toMatch(/another host/);
  });

  it('a refused connection is retryable; an aborted call rejects with the signal reason', async () => {
    const closed = Fastify();
    const gone = await closed.listen({ host: '127.0.0.1', port: 0 });
    await closed.close();
    const e = await failure(rf({ systemId: '1', url: gone }).powerStatus('n'));
    expect([e.code, e.kind]).toEqual([ErrorCodes.REDFISH_UNREACHABLE, 'retryable']);

    system = () => new Promise(() => undefined);
    const controller = new AbortController();
    const pending = rf().powerStatus('n', controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(pending).rejects.toThrow('stop');
  });

  it('a target URL with credentials or a path is a usage error', async () => {
    for (const bad of ['http://root:pw@127.0.0.1:1', `${url}/redfish/v1`, 'ftp://127.0.0.1']) {
      const e = await failure(rf({ systemId: '1', url: bad }).powerStatus('n'));
      expect([e.code, e.kind]).toEqual([ErrorCodes.REDFISH_BAD_TARGET, 'usage']);
      expect(e.message).not.toContain(PASSWORD);
    }
  });
});
