/**
 * The dashboard server's REST API through fastify.inject: the token on every control route,
 * 4xx with {error: {code, message}} on bad requests, a run's lifecycle, its journal, its result
 * and its Chrome trace.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/ports/index.ts';
import type { RunInfo } from '../../src/server/run.ts';
import type { ChromeTrace } from '../../src/server/trace.ts';
import { simulateDeploymentStages } from '../../src/twin/deployment/simulate-deployment.ts';
import type { DeploymentScenario } from '../../src/twin/deployment/deployment-scenario.ts';
import { loadScenario } from '../../src/twin/load.ts';
import { ended, SMALL_SCENARIO_PATH, testServer } from './server-helpers.ts';

let server: Awaited<ReturnType<typeof testServer>>;

beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

const inject = (options: InjectOptions) => server.app.inject(options);

async function startRun(body: object): Promise<RunInfo> {
  const r = await inject({ method: 'POST', url: '/api/runs', headers: server.auth, payload: body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

describe('control endpoints need the token', () => {
  it('every route that is not GET/HEAD refuses a request without the token, or with a wrong one (401)', async () => {
    const control = server.routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
    // The API's control routes, and nothing else that could change state.
    expect(control.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['DELETE /api/runs/:id', 'POST /api/runs']);
    const run = await startRun({ scenario: 'dash-small' });
    for (const route of control) {
      const url = route.url.replace(':id', run.id);
      for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: server.token }]) {
        const r = await inject({ method: route.method as 'POST', url, headers, payload: { scenario: 'dash-small' } });
        expect(r.statusCode).toBe(401);
        expect(r.json().error.code).toBe('DT_SERVER_UNAUTHORIZED');
        expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
    // Refused before validation: an unauthenticated bad body is a 401, not a 400.
    expect((await inject({ method: 'POST', url: '/api/runs', payload: { nonsense: true } })).statusCode).toBe(401);
    const info = (await inject({ method: 'GET', url: `/api/runs/${run.id}` })).json() as RunInfo;
    expect(info.state).not.toBe('stopped');
    await ended(server.registry.get(run.id)!);
  });

  it('reading is open: the scenarios, runs and static pages need no token', async () => {
    const scenarios = (await inject({ method: 'GET', url: '/api/scenarios' })).json().scenarios as string[];
    expect(scenarios).toContain('kiera-nurion-169');
    expect(scenarios).toContain('dash-small');
    expect((await inject({ method: 'GET', url: '/api/runs' })).statusCode).toBe(200);
    const page = await inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script type="importmap">');
    expect((await inject({ method: 'GET', url: '/vendor/chart.js/chart.js' })).statusCode).toBe(200);
    expect((await inject({ method: 'GET', url: '/vendor/kurkle-color/color.esm.js' })).statusCode).toBe(200);
  });
});

describe('bad requests get a 4xx with {error: {code, message}}', () => {
  const cases: Array<[string, object | string, number, string]> = [
    ['no scenario', {}, 400, 'DT_SERVER_BAD_REQUEST'],
    ['unknown field', { scenario: 'dash-small', plan: 1 }, 400, 'DT_SERVER_BAD_REQUEST'],
    ['unknown override', { scenario: 'dash-small', overrides: { stagger: 1 } }, 400, 'DT_SERVER_BAD_REQUEST'],
    ['wave as text (no coercion)', { scenario: 'dash-small', overrides: { wave: '10' } }, 400, 'DT_SERVER_BAD_REQUEST'],
    ['wave 0', { scenario: 'dash-small', overrides: { wave: 0 } }, 400, 'DT_SERVER_BAD_REQUEST'],
    ['fractional relays', { scenario: 'dash-small', overrides: { relays: 1.5 } }, 400, 'DT_SERVER_BAD_REQUEST'],
    ['bad seed', { scenario: 'dash-small', overrides: { seed: 'a b' } }, 400, 'DT_SERVER_BAD_REQUEST'],
    ['pace 0', { scenario: 'dash-small', pace: 0 }, 400, 'DT_SERVER_BAD_REQUEST'],
    ['pace as text', { scenario: 'dash-small', pace: 'fast' }, 400, 'DT_SERVER_BAD_REQUEST'],
    ['unknown scenario', { scenario: 'no-such-scenario' }, 400, 'DT_SERVER_UNKNOWN_SCENARIO'],
    ['a path, not a name', { scenario: SMALL_SCENARIO_PATH }, 400, 'DT_SERVER_UNKNOWN_SCENARIO'],
    ['more relays than racks', { scenario: 'dash-small', overrides: { relays: 4 } }, 400, 'DT_SERVER_BAD_OVERRIDE'],
    ['not JSON', '{"scenario": ', 400, 'DT_SERVER_BAD_REQUEST'],
  ];
  for (const [what, payload, status, code] of cases) {
    it(`POST /api/runs: ${what} -> ${status} ${code}`, async () => {
      const headers = { ...server.auth, 'content-type': 'application/json' };
      const r = await inject({ method: 'POST', url: '/api/runs', headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
      expect(r.statusCode, r.body).toBe(status);
      const body = r.json();
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(5);
    });
  }

  it('other bad requests: wrong media type 415, body too large 413, unknown run 404, bad id 400, unknown route 404', async () => {
    const text = await inject({ method: 'POST', url: '/api/runs', headers: { ...server.auth, 'content-type': 'text/plain' }, payload: 'dash-small' });
    expect(text.statusCode).toBe(415);
    const big = await inject({ method: 'POST', url: '/api/runs', headers: server.auth, payload: { scenario: 'x'.repeat(100_000) } });
    expect(big.statusCode).toBe(413);
    const expectations: Array<[string, number, string]> = [
      ['/api/runs/run-999999', 404, 'DT_SERVER_NOT_FOUND'],
      ['/api/runs/../../etc/passwd', 404, 'DT_SERVER_NOT_FOUND'],
      ['/api/runs/12', 400, 'DT_SERVER_BAD_REQUEST'],
      ['/api/runs/run-1/journal?format=xml', 400, 'DT_SERVER_BAD_REQUEST'],
      ['/api/runs/run-1/events?speed=0', 400, 'DT_SERVER_BAD_REQUEST'],
      ['/api/runs/run-1/events?speed=fast', 400, 'DT_SERVER_BAD_REQUEST'],
      ['/api/nothing', 404, 'DT_SERVER_NOT_FOUND'],
    ];
    for (const [url, status, code] of expectations) {
      const r = await inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(status);
      expect(r.json().error.code, url).toBe(code);
    }
    for (const r of [text, big]) expect(r.json().error.code).toBe('DT_SERVER_BAD_REQUEST');
  });
});

describe('a run, start to end', () => {
  it('runs, finishes with the same result as the twin in-process, and keeps its journal and result', async () => {
    const started = await startRun({ scenario: 'dash-small', overrides: { wave: 5, seed: 'abc' } });
    expect(started).toMatchObject({ scenario: 'dash-small', state: 'running', seed: 'abc', overrides: { wave: 5, seed: 'abc' }, nodes: 12, racks: 3, nodesPerRack: 4 });
    await ended(server.registry.get(started.id)!);
    const info = (await inject({ method: 'GET', url: `/api/runs/${started.id}` })).json() as RunInfo;
    expect(info.state).toBe('finished');
    expect(info.progress.deployed).toBe(12);
    expect(info.finishedAt).not.toBeNull();

    // The same scenario, override and seed run in this thread: the same makespan, the same journal.
    const scenario = loadScenario(SMALL_SCENARIO_PATH) as DeploymentScenario;
    const expected = await simulateDeploymentStages({ ...scenario, deploy: { ...scenario.deploy, wave: 5 } }, { seed: 'abc' });
    expect(info.summary!.makespan).toBe(expected.result.makespan);
    const jsonl = await inject({ method: 'GET', url: `/api/runs/${started.id}/journal?format=jsonl` });
    expect(jsonl.headers['content-type']).toMatch(/application\/x-ndjson/);
    expect(jsonl.body).toBe(expected.stages.ports.journal.toJSONLines());
    const array = (await inject({ method: 'GET', url: `/api/runs/${started.id}/journal` })).json() as JournalEntry[];
    expect(array.map((e) => JSON.stringify(e) + '\n').join('')).toBe(jsonl.body);
    const byAccept = await inject({ method: 'GET', url: `/api/runs/${started.id}/journal`, headers: { accept: 'application/x-ndjson' } });
    expect(byAccept.body).toBe(jsonl.body);

    const result = (await inject({ method: 'GET', url: `/api/runs/${started.id}/result` })).json();
    expect(result.records).toEqual(expected.result.records);
    expect(result.names).toEqual(['n01', 'n02', 'n03', 'n04', 'n05', 'n06', 'n07', 'n08', 'n09', 'n10', 'n11', 'n12']);
    const listed = (await inject({ method: 'GET', url: '/api/runs' })).json().runs as RunInfo[];
    expect(listed.map((r) => r.id)).toContain(started.id);
  });

  it('DELETE stops a running run (its worker ends; no result, no trace) and is idempotent', async () => {
    const started = await startRun({ scenario: 'kiera-13000' });
    const stop = await inject({ method: 'DELETE', url: `/api/runs/${started.id}`, headers: server.auth });
    expect(stop.statusCode).toBe(200);
    expect(stop.json()).toMatchObject({ stopped: true, run: { state: 'stopped' } });
    const again = await inject({ method: 'DELETE', url: `/api/runs/${started.id}`, headers: server.auth });
    expect(again.json()).toMatchObject({ stopped: false, run: { state: 'stopped' } });
    for (const what of ['result', 'trace']) {
      const r = await inject({ method: 'GET', url: `/api/runs/${started.id}/${what}` });
      expect(r.statusCode).toBe(409);
      expect(r.json().error.code).toBe('DT_SERVER_RUN_NOT_FINISHED');
    }
  });

  it('a run whose nodes fail finishes with the failures and their reasons', async () => {
    const started = await startRun({ scenario: 'dash-failing' });
    await ended(server.registry.get(started.id)!);
    const run = server.registry.get(started.id)!;
    const failures = run.events.filter((e) => e.kind === 'failure');
    expect(failures.length).toBe(run.result!.failures.length);
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f.kind === 'failure' && f.reason).toMatch(/DT_BMC_TIMEOUT/);
    expect(run.info().progress.failed).toBe(failures.length);
  });
});

describe('GET /api/runs/:id/trace', () => {
  it('is a valid Chrome trace: traceEvents with one ph "X" per phase, ts/dur in µs, integer pid (rack) and tid (node), link loads as counters', async () => {
    const started = await startRun({ scenario: 'dash-small' });
    await ended(server.registry.get(started.id)!);
    const r = await inject({ method: 'GET', url: `/api/runs/${started.id}/trace` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    const trace = r.json() as ChromeTrace;
    const records = server.registry.get(started.id)!.result!.records;
    const complete = trace.traceEvents.filter((e) => e.ph === 'X');
    expect(complete).toHaveLength(records.length);
    for (const e of trace.traceEvents) {
      expect(['X', 'M', 'i', 'C']).toContain(e.ph);
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
      expect(typeof e.name).toBe('string');
    }
    complete.forEach((e, i) => {
      const rec = records[i];
      expect(e.name).toBe(rec.phase);
      expect(e.ts).toBeCloseTo(rec.start * 1e6, 3);
      expect(e.dur).toBeCloseTo((rec.end - rec.start) * 1e6, 3);
      expect(e.dur).toBeGreaterThanOrEqual(0);
      expect(e.pid).toBe(Math.floor(rec.node / 4) + 1);
      expect(e.tid).toBe(rec.node + 1);
    });
    const threadNames = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args!.name);
    expect(threadNames).toHaveLength(12);
    // The link loads measured while the twin ran, one counter event per reading.
    const counters = trace.traceEvents.filter((e) => e.ph === 'C');
    expect(counters).toHaveLength(server.registry.get(started.id)!.events.filter((e) => e.kind === 'load').length);
    expect(counters.length).toBeGreaterThan(0);
    expect(threadNames[0]).toBe('n01');
  });
});

describe('sweeps', () => {
  it('lists the --sweeps directory and serves its files; bad names 400, missing 404, broken files 422', async () => {
    expect((await inject({ method: 'GET', url: '/api/sweeps' })).json().sweeps).toEqual(['broken', 'kiera']);
    const sweep = (await inject({ method: 'GET', url: '/api/sweeps/kiera' })).json();
    expect(sweep.rows).toHaveLength(9);
    const cases: Array<[string, number, string]> = [
      ['/api/sweeps/..%2Fscenarios', 400, 'DT_SERVER_BAD_REQUEST'],
      ['/api/sweeps/.hidden', 400, 'DT_SERVER_BAD_REQUEST'],
      ['/api/sweeps/missing', 404, 'DT_SERVER_NOT_FOUND'],
      ['/api/sweeps/broken', 422, 'DT_SERVER_BAD_SWEEP'],
    ];
    for (const [url, status, code] of cases) {
      const r = await inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(status);
      expect(r.json().error.code, url).toBe(code);
    }
  });
});
