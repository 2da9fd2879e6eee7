/**
 * The dashboard server (`deploytwin serve`): fastify with the dashboards as static files, the
 * REST API (api-routes.ts), the event streams (stream-route.ts) and sweep files (sweep-routes.ts).
 * Listens on 127.0.0.1 unless told otherwise. Reading is open; every request that is not GET or
 * HEAD needs the token (auth.ts).
 */
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerApiRoutes } from './api-routes.ts';
import { requireTokenForControl, serverToken } from './auth.ts';
import { installErrorHandlers } from './http-errors.ts';
import { RunRegistry } from './run-registry.ts';
import { scenarioCatalogue } from './scenario-overrides.ts';
import { registerStaticRoutes } from './static-routes.ts';
import { registerStreamRoute } from './stream-route.ts';
import { registerSweepRoutes } from './sweep-routes.ts';
import { installValidators } from './validation.ts';

export interface ServerOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Listen port; 0 picks a free one (default 8080). */
  port?: number;
  /** The control token (>= 16 of A-Z a-z 0-9 _ -); default: a fresh random one. */
  token?: string;
  /** Folder of sweep result files (*.json) served under /api/sweeps; default none. */
  sweepsDir?: string;
  /** Folder of extra scenario files (*.yaml, searched recursively) offered besides the built-in ones. */
  scenariosDir?: string;
  /** Runs simulating at once (default 2). */
  maxRunning?: number;
  /** Ended runs kept (default 10). */
  maxKept?: number;
  /** Wall-clock ms between two event batches from a simulating run (default 50). */
  batchMs?: number;
  /** Keep a loaded simulation worker waiting, so a run starts at once (default true). */
  warmWorker?: boolean;
  /** Largest request body, bytes (default 64 KiB: requests are small JSON objects). */
  bodyLimit?: number;
}

export interface DashboardServer {
  app: FastifyInstance;
  token: string;
  registry: RunRegistry;
  /** Every route registered (method, URL), e.g. to list the control routes. */
  routes: Array<{ method: string; url: string }>;
  /** Starts listening; resolves with the base URL, e.g. "http://127.0.0.1:8080". */
  listen(): Promise<string>;
  /** Stops every run and closes the server and its sockets. */
  close(): Promise<void>;
}

/** Builds the server (ready for `app.inject`); `listen()` opens the port. */
export async function createServer(options: ServerOptions = {}): Promise<DashboardServer> {
  const token = serverToken(options.token);
  const scenarios = scenarioCatalogue(options.scenariosDir);
  const registry = new RunRegistry({ scenarios, maxRunning: options.maxRunning, maxKept: options.maxKept, batchMs: options.batchMs, warmWorker: options.warmWorker });
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 64 * 1024, forceCloseConnections: true });
  const routes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method]) routes.push({ method, url: r.url });
  });
  installValidators(app);
  // The API takes JSON only: any other body is a 415, not a string the schema then refuses.
  app.removeContentTypeParser('text/plain');
  installErrorHandlers(app);
  requireTokenForControl(app, token);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  app.addHook('onClose', async () => registry.close());
  await registerStaticRoutes(app);
  registerApiRoutes(app, registry, scenarios);
  registerStreamRoute(app, registry);
  registerSweepRoutes(app, options.sweepsDir);
  await app.ready();
  return {
    app,
    token,
    registry,
    routes,
    listen: async () => {
      const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
      return address.replace(/\/+$/, '');
    },
    close: () => app.close(),
  };
}
