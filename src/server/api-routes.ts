/**
 * The REST half of the dashboard API (the event stream is in stream-route.ts):
 *
 *   GET    /api/scenarios            names of the scenarios a run may use
 *   GET    /api/runs                 every run kept, oldest first
 *   POST   /api/runs                 {scenario, overrides?: {wave?, relays?, seed?}, pace?} starts a run (token) -> 201;
 *                                    pace: simulated seconds per wall-clock second (absent: as fast as it goes)
 *   GET    /api/runs/:id             state, progress and (once finished) summary
 *   DELETE /api/runs/:id             stops a running run (token); idempotent; a real run (serve --real): 409
 *   GET    /api/runs/:id/nodes       node names by index (rack-major) and nodes per rack
 *   GET    /api/runs/:id/journal     the orchestrator's journal so far: a JSON array, or JSON lines
 *                                    with ?format=jsonl or "Accept: application/x-ndjson"
 *   GET    /api/runs/:id/result      a finished run's nodes, phase records, failures, links, services
 *                                    (a real run's: its records so far, even while it runs)
 *   GET    /api/runs/:id/trace       a finished run's phase timeline as a Chrome trace (Perfetto)
 */
import type { FastifyInstance } from 'fastify';
import { DeployTwinError, ErrorCodes, UsageError } from '../errors.ts';
import type { DashboardRun } from './dashboard-run.ts';
import type { RunRegistry } from './run-registry.ts';
import type { RunOverrides } from './scenario-overrides.ts';
import { jsonWithArray } from './json-stream.ts';
import { recordAt } from './record-columns.ts';
import { traceParts } from './trace.ts';
import type { LoadEvent } from './run-events.ts';

export const SEED_PATTERN = '^[A-Za-z0-9._-]{1,64}$';

export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^run-[0-9]{1,12}$' } },
  required: ['id'],
  additionalProperties: false,
} as const;

const startBody = {
  type: 'object',
  properties: {
    scenario: { type: 'string', minLength: 1, maxLength: 200 },
    overrides: {
      type: 'object',
      properties: {
        wave: { type: 'integer', minimum: 1, maximum: 10_000_000 },
        relays: { type: 'integer', minimum: 0, maximum: 10_000_000 },
        seed: { type: 'string', pattern: SEED_PATTERN },
      },
      additionalProperties: false,
    },
    pace: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
  },
  required: ['scenario'],
  additionalProperties: false,
} as const;

const journalQuery = {
  type: 'object',
  properties: { format: { type: 'string', enum: ['json', 'jsonl'] } },
  additionalProperties: false,
} as const;

export function findRun(registry: RunRegistry, id: string): DashboardRun {
  const run = registry.find(id);
  if (run === undefined) throw new UsageError(ErrorCodes.SERVER_NOT_FOUND, `no run ${id} (it never existed or was forgotten: GET /api/runs lists the runs kept)`);
  return run;
}

/** The run's result; SERVER_RUN_NOT_FINISHED (409) while it runs or if it failed or was stopped. */
function finished(run: DashboardRun) {
  const f = run.finished;
  if (f === null) {
    throw new DeployTwinError(ErrorCodes.SERVER_RUN_NOT_FINISHED, `run ${run.id} is ${run.state}: only a finished run has a result`, 'usage');
  }
  return f;
}

export function registerApiRoutes(app: FastifyInstance, registry: RunRegistry, scenarios: ReadonlyMap<string, string>): void {
  app.get('/api/scenarios', async () => ({ scenarios: [...scenarios.keys()] }));

  app.get('/api/runs', async () => ({ runs: registry.list().map((r) => r.info()) }));

  app.post('/api/runs', { schema: { body: startBody } }, async (req, reply) => {
    const body = req.body as { scenario: string; overrides?: RunOverrides; pace?: number };
    const run = await registry.start(body.scenario, body.overrides ?? {}, body.pace ?? null);
    return reply.code(201).header('location', `/api/runs/${run.id}`).send(run.info());
  });

  app.get('/api/runs/:id', { schema: { params: idParams } }, async (req) => findRun(registry, (req.params as { id: string }).id).info());

  app.delete('/api/runs/:id', { schema: { params: idParams } }, async (req) => {
    const run = findRun(registry, (req.params as { id: string }).id);
    if (run.real) throw new UsageError(ErrorCodes.SERVER_REAL_RUN_READ_ONLY, `run ${run.id} is a real deployment followed from its journal: stop it where it runs (deploytwin real deploy), not here`);
    const stopped = await run.stop();
    return { stopped, run: run.info() };
  });

  app.get('/api/runs/:id/journal', { schema: { params: idParams, querystring: journalQuery } }, async (req, reply) => {
    const run = findRun(registry, (req.params as { id: string }).id);
    const { format } = req.query as { format?: 'json' | 'jsonl' };
    const lines = format === 'jsonl' || (format === undefined && (req.headers.accept ?? '').includes('application/x-ndjson'));
    if (!lines) return reply.send(run.journal);
    // The same bytes as `deploytwin deploy --journal` writes.
    return reply.type('application/x-ndjson; charset=utf-8').send(run.journal.map((e) => JSON.stringify(e) + '\n').join(''));
  });

  app.get('/api/runs/:id/nodes', { schema: { params: idParams } }, async (req) => {
    const { spec } = findRun(registry, (req.params as { id: string }).id);
    return { names: spec.names, nodesPerRack: spec.nodesPerRack };
  });

  // Both can be tens of MB for a big run: streamed, a few thousand records at a time.
  app.get('/api/runs/:id/result', { schema: { params: idParams } }, async (req, reply) => {
    const run = findRun(registry, (req.params as { id: string }).id);
    const { meta, records } = finished(run);
    const { spec } = run;
    const head = {
      id: run.id,
      scenario: meta.scenario,
      seed: meta.seed,
      nodes: meta.nodes,
      racks: meta.racks,
      nodesPerRack: spec.nodesPerRack,
      names: spec.names,
      makespan: meta.makespan,
      failures: meta.failures,
      relays: meta.relays,
      links: meta.links,
      services: meta.services,
      ...(run.real ? { real: run.info().real } : {}),
    };
    return reply.type('application/json; charset=utf-8').send(jsonWithArray(head, 'records', records.node.length, (i) => recordAt(records, i)));
  });

  app.get('/api/runs/:id/trace', { schema: { params: idParams } }, async (req, reply) => {
    const run = findRun(registry, (req.params as { id: string }).id);
    const { meta, records } = finished(run);
    const loads = run.events.filter((e): e is LoadEvent => e.kind === 'load');
    const parts = traceParts({ ...meta, records: { length: records.node.length, at: (i) => recordAt(records, i) }, loads }, run.spec.names, run.spec.nodesPerRack);
    return reply.type('application/json; charset=utf-8').send(jsonWithArray(parts.head, 'traceEvents', parts.count, parts.eventAt));
  });
}
