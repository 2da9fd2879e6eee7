/** Shared set-up of the dashboard server tests: a server on 127.0.0.1 with the test scenarios and sweeps. */
import { fileURLToPath } from 'node:url';
import type { Run } from '../../src/server/run.ts';
import { createServer, type DashboardServer, type ServerOptions } from '../../src/server/server.ts';

export const SCENARIOS_DIR = fileURLToPath(new URL('./fixtures/scenarios', import.meta.url));
export const SWEEPS_DIR = fileURLToPath(new URL('./fixtures/sweeps', import.meta.url));
export const SMALL_SCENARIO_PATH = `${SCENARIOS_DIR}/dash-small.yaml`;

/** A server with the test scenarios and sweeps, listening on an ephemeral port of 127.0.0.1. */
export async function testServer(options: ServerOptions = {}): Promise<DashboardServer & { url: string; auth: { authorization: string } }> {
  const server = await createServer({ port: 0, scenariosDir: SCENARIOS_DIR, sweepsDir: SWEEPS_DIR, ...options });
  const url = await server.listen();
  return Object.assign(server, { url, auth: { authorization: `Bearer ${server.token}` } });
}

/** Resolves when the run has ended (at once if it has). */
export function ended(run: Run): Promise<void> {
  if (run.state !== 'running') return Promise.resolve();
  return new Promise((resolve) => run.subscribe({ events: () => {}, end: resolve }));
}
