/**
 * A Redfish service in front of the twin's BMC models (src/models/bmc.ts), on 127.0.0.1: the
 * service root, the Systems collection, one ComputerSystem per BMC with PowerState, Boot and the
 * ComputerSystem.Reset action, and the SessionService. Reading or changing a system is a BMC
 * command of the model, paced on the wall clock (RealtimeDriver): it waits its turn (one command
 * at a time per system), takes the model's sampled latency, and with the model's failure rate
 * gets no answer at all, so the client waits until its own timeout.
 *
 * For testing Redfish clients (src/real/power/redfish-power.ts) without hardware.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { Engine } from '../../engine/engine.ts';
import { ErrorCodes, UsageError } from '../../errors.ts';
import { BmcModel, BmcTimeoutError, bmcParams, type BmcCommandRecord, type BmcInitialState, type BmcParams, type PowerState } from '../../models/bmc.ts';
import { RealtimeDriver } from './realtime-driver.ts';
import { RedfishAccounts } from './redfish-auth.ts';
import { BOOT_TARGETS, collection, ROOT, SESSIONS, SYSTEMS, redfishError, serviceRoot, session, sessionService } from './redfish-resources.ts';
import { registerSystemRoutes } from './redfish-system-routes.ts';

export interface RedfishEndpointOptions {
  /** The one account. */
  user: string;
  password: string;
  /** ComputerSystem ids, one BMC model each. Default ["1"]. */
  systems?: string[];
  /** BMC model parameters: the Redfish defaults of src/models/bmc-params.ts (latency uniform 0.4..1.2 s, timeout 10 s, no failures) overridden by these. */
  bmc?: Partial<BmcParams>;
  /** Wall seconds per model second. Default 1 (real time); 0.01 runs 100 times faster. */
  timeScale?: number;
  /** Seed of the models' random streams. Default "redfish". */
  seed?: string;
  /** Power and boot device of every system at start (model defaults: off, disk). */
  initial?: BmcInitialState;
  /** BootSourceOverrideTarget values the systems accept. Default Pxe and Hdd. */
  bootTargets?: readonly string[];
  /** Serve HTTPS with this PEM key and certificate. Default plain HTTP. */
  tls?: { key: string; cert: string };
}

export interface RedfishEndpoint {
  /** "http://127.0.0.1:<port>" (or https). */
  url: string;
  systems: readonly string[];
  /** The system's actual power state right now (an oracle for tests, not a Redfish call). */
  power(system: string): PowerState;
  /** Every BMC command served so far (model seconds), in the order they ended. */
  readonly commands: readonly BmcCommandRecord[];
  /** Ids of the open sessions. */
  sessions(): string[];
  close(): Promise<void>;
}

/** What a handler returns when the model lost the command: nothing is ever sent. */
export const NO_ANSWER = Symbol('no answer');

function validate(o: RedfishEndpointOptions, systems: string[]): void {
  const bad = (what: string): never => {
    throw new UsageError(ErrorCodes.REDFISH_ENDPOINT_BAD_OPTIONS, `redfish endpoint: ${what}`);
  };
  if (typeof o.user !== 'string' || o.user === '' || typeof o.password !== 'string' || o.password === '') bad('user and password must be non-empty strings');
  if (systems.length === 0) bad('give at least one system');
  if (new Set(systems).size !== systems.length) bad(`system ids must be unique, got ${systems.join(', ')}`);
  for (const id of systems) if (!/^[A-Za-z0-9._-]+$/.test(id)) bad(`system id "${id}" may only hold letters, digits, ".", "_" and "-"`);
  for (const t of o.bootTargets ?? []) if (!(BOOT_TARGETS as readonly string[]).includes(t)) bad(`bootTargets may only hold ${BOOT_TARGETS.join(', ')}, got ${t}`);
}

export async function startRedfishEndpoint(options: RedfishEndpointOptions): Promise<RedfishEndpoint> {
  const systems = options.systems ?? ['1'];
  validate(options, systems);
  const engine = new Engine({ seed: options.seed ?? 'redfish' });
  const params = bmcParams({ ...options.bmc, protocol: 'redfish' });
  const commands: BmcCommandRecord[] = [];
  const hooks = { onPowerOn: () => undefined, onPowerOff: () => undefined, onCommand: (r: BmcCommandRecord) => void commands.push(r) };
  const bmcs = new Map(systems.map((id, i) => [id, new BmcModel(engine, params, i, hooks, true, options.initial)]));
  const driver = new RealtimeDriver(engine, options.timeScale ?? 1);
  const accounts = new RedfishAccounts(options.user, options.password);
  const uuid = randomUUID();

  const serverOptions: FastifyServerOptions & { https?: { key: string; cert: string } } = { logger: false, forceCloseConnections: true };
  if (options.tls) serverOptions.https = options.tls;
  const app = Fastify(serverOptions) as unknown as FastifyInstance;

  /** Runs a BMC command paced on the wall clock; a lost command hijacks the reply and answers nothing. */
  const command = async <T>(reply: FastifyReply, act: () => Promise<T>): Promise<T | typeof NO_ANSWER> => {
    try {
      return await driver.run(act);
    } catch (e) {
      if (!(e instanceof BmcTimeoutError)) throw e;
      reply.hijack();
      return NO_ANSWER;
    }
  };

  const open = new Set(['GET /redfish', `GET ${ROOT}`, `GET ${ROOT}/`, `POST ${SESSIONS}`]);
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (open.has(`${request.method} ${path}`)) return;
    if (!accounts.authorised(request.headers)) {
      await reply.code(401).header('WWW-Authenticate', 'Basic realm="Redfish"').send(redfishError('NoValidSession', 'There is no valid session established with the implementation.', 'Establish a session before attempting any operations.'));
    }
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send(redfishError('ResourceNotFound', `The requested resource of type Unknown named ${request.url} was not found.`)));
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(400).send(redfishError('MalformedJSON', `The request body submitted was malformed JSON and could not be parsed by the receiving service: ${error.message}`));
    }
    return reply.code(500).send(redfishError('InternalError', 'The request failed due to an internal service error.'));
  });

  app.get('/redfish', async () => ({ v1: `${ROOT}/` }));
  app.get(ROOT, async () => serviceRoot(uuid));
  app.get(`${ROOT}/`, async () => serviceRoot(uuid));
  app.get(`${ROOT}/SessionService`, async () => sessionService());
  app.get(SESSIONS, async () => collection('SessionCollection', 'Session Collection', SESSIONS, accounts.ids().map((id) => `${SESSIONS}/${id}`)));
  app.post(SESSIONS, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!accounts.check(body.UserName, body.Password)) {
      return reply.code(401).send(redfishError('ResourceAtUriUnauthorized', `While accessing the resource at ${SESSIONS}, the service received an authorization error: invalid user name or password.`));
    }
    const s = accounts.open(body.UserName as string);
    return reply.code(201).header('X-Auth-Token', s.token).header('Location', `${SESSIONS}/${s.id}`).send(session(s.id, body.UserName as string));
  });
  app.get<{ Params: { id: string } }>(`${SESSIONS}/:id`, async (request, reply) => {
    const user = accounts.userOf(request.params.id);
    return user === undefined ? reply.callNotFound() : session(request.params.id, user);
  });
  app.delete<{ Params: { id: string } }>(`${SESSIONS}/:id`, async (request, reply) => (accounts.close(request.params.id) ? reply.code(204).send() : reply.callNotFound()));
  app.get(SYSTEMS, async () => collection('ComputerSystemCollection', 'Computer System Collection', SYSTEMS, systems.map((id) => `${SYSTEMS}/${id}`)));
  registerSystemRoutes(app, { bmcs, command, bootTargets: options.bootTargets ?? BOOT_TARGETS });

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    systems,
    power: (id) => {
      const bmc = bmcs.get(id);
      if (bmc === undefined) throw new UsageError(ErrorCodes.REDFISH_ENDPOINT_BAD_OPTIONS, `no system "${id}"`);
      return bmc.power;
    },
    commands,
    sessions: () => accounts.ids(),
    close: async () => {
      driver.close();
      await app.close();
    },
  };
}
