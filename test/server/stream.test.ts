/**
 * The events WebSocket over a real socket: live streaming while the twin simulates on its worker
 * (the server keeps answering meanwhile), replay of a finished run at a speed, and plain 4xx
 * answers to upgrades that cannot be served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunEvent, StreamMessage } from '../../src/server/run-events.ts';
import type { RunInfo } from '../../src/server/run.ts';
import { ended, testServer } from './server-helpers.ts';

let server: Awaited<ReturnType<typeof testServer>>;

beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

/** Every message of a WebSocket until the server closes it, with the close code. */
function collect(url: string): Promise<{ messages: StreamMessage[]; code: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: StreamMessage[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    ws.on('close', (code) => resolve({ messages, code }));
    ws.on('error', reject);
  });
}

/** The HTTP status an upgrade request is refused with. */
function refusedWith(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => {});
  });
}

async function post(scenario: string, pace?: number): Promise<RunInfo> {
  const r = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: { ...server.auth, 'content-type': 'application/json' }, body: JSON.stringify({ scenario, pace }) });
  expect(r.status).toBe(201);
  return (await r.json()) as RunInfo;
}

const wsUrl = (path: string) => `${server.url.replace(/^http/, 'ws')}${path}`;
const eventsOf = (messages: StreamMessage[]): RunEvent[] => messages.flatMap((m) => (m.type === 'events' ? m.events : []));
const key = (e: RunEvent) => JSON.stringify(e);

describe('live stream', () => {
  it('streams a run as it simulates: hello (running), batches, then the result\'s events and end (finished)', async () => {
    // Held to 300 simulated s per s (~3 s in all), so the socket connects while it runs.
    const run = await post('kiera-nurion-169', 300);
    const { messages, code } = await collect(wsUrl(`/api/runs/${run.id}/events`));
    expect(code).toBe(1000);
    const first = messages[0];
    expect(first).toMatchObject({ type: 'hello', mode: 'live', speed: null });
    // Connected before the worker had simulated far: the run was still running.
    expect((first as { run: RunInfo }).run.state).toBe('running');
    const last = messages[messages.length - 1];
    expect(last.type).toBe('end');
    expect((last as { run: RunInfo }).run.state).toBe('finished');
    // Node states and phases came in several batches while simulating, before the result's samples.
    const batches = messages.flatMap((m) => (m.type === 'events' ? [m.events] : []));
    const firstSampleBatch = batches.findIndex((b) => b.some((e) => e.kind === 'sample'));
    expect(firstSampleBatch).toBeGreaterThan(2);
    const live = batches.slice(0, firstSampleBatch).flat();
    for (const kind of ['state', 'phase-start', 'phase-end', 'load']) expect(live.some((e) => e.kind === kind)).toBe(true);
    expect(live.filter((e) => e.kind === 'phase-end')).toHaveLength(server.registry.get(run.id)!.result!.records.length);
    // Everything streamed is what the server kept, no more, no less.
    const stored = server.registry.get(run.id)!.events;
    expect(eventsOf(messages).map(key).sort()).toEqual(stored.map(key).sort());
    expect(stored.filter((e) => e.kind === 'state' && e.state === 'deployed')).toHaveLength(169);
    expect(stored.filter((e) => e.kind === 'phase-end')).toHaveLength(server.registry.get(run.id)!.result!.records.length);
    expect(stored.some((e) => e.kind === 'sample')).toBe(true);
  });

  it('keeps serving requests while a big run simulates on its worker', async () => {
    const run = await post('kiera-13000');
    const live = server.registry.get(run.id)!;
    let answered = 0;
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${server.url}/api/runs/${run.id}`);
      expect(r.status).toBe(200);
      answered++;
    }
    // Five round trips while the run was still simulating (it takes seconds): the loop was free.
    expect(live.state).toBe('running');
    expect(answered).toBe(5);
    await fetch(`${server.url}/api/runs/${run.id}`, { method: 'DELETE', headers: server.auth });
    expect(live.state).toBe('stopped');
  });

  it('a paced run keeps simulated time behind wall time x pace, and stops at once', async () => {
    const started = performance.now();
    const run = await post('kiera-nurion-169', 20);
    const live = server.registry.get(run.id)!;
    expect(run.pace).toBe(20);
    // Until the twin has got somewhere (a busy machine may take a while to start the worker).
    for (let i = 0; i < 200 && live.info().progress.t === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const info = live.info();
    const elapsed = (performance.now() - started) / 1000;
    expect(info.state).toBe('running');
    expect(info.progress.t).toBeGreaterThan(0);
    // Pacing only ever holds the run back: it cannot be ahead of 20 simulated s per wall second.
    expect(info.progress.t).toBeLessThanOrEqual(elapsed * 20);
    const stopping = performance.now();
    await fetch(`${server.url}/api/runs/${run.id}`, { method: 'DELETE', headers: server.auth });
    expect(live.state).toBe('stopped');
    // The worker waits in short slices, so terminating it is not held up by the pace.
    expect(performance.now() - stopping).toBeLessThan(5000);
  });

  it('a late subscriber to a finished run gets all its events in time order, then end', async () => {
    const run = await post('dash-small');
    await ended(server.registry.get(run.id)!);
    const { messages } = await collect(wsUrl(`/api/runs/${run.id}/events`));
    const events = eventsOf(messages);
    expect(events).toEqual(server.registry.get(run.id)!.events);
    for (let i = 1; i < events.length; i++) expect(events[i].t).toBeGreaterThanOrEqual(events[i - 1].t);
    expect(messages[messages.length - 1].type).toBe('end');
    // Over plain HTTP, the same events as one JSON object.
    const plain = (await (await fetch(`${server.url}/api/runs/${run.id}/events`)).json()) as { events: RunEvent[] };
    expect(plain.events).toEqual(events);
  });
});

describe('replay', () => {
  it('?speed replays a finished run: every event, in order, then end', async () => {
    const run = await post('dash-small');
    await ended(server.registry.get(run.id)!);
    const { messages, code } = await collect(wsUrl(`/api/runs/${run.id}/events?speed=100000`));
    expect(code).toBe(1000);
    expect(messages[0]).toMatchObject({ type: 'hello', mode: 'replay', speed: 100000 });
    expect(eventsOf(messages)).toEqual(server.registry.get(run.id)!.events);
    expect(messages[messages.length - 1].type).toBe('end');
  });

  it('refuses a replay of a running run (409) and an unknown run (404) before upgrading', async () => {
    const run = await post('kiera-13000');
    expect(await refusedWith(wsUrl(`/api/runs/${run.id}/events?speed=10`))).toBe(409);
    expect(await refusedWith(wsUrl('/api/runs/run-424242/events'))).toBe(404);
    expect(await refusedWith(wsUrl('/api/runs/run-1/events?speed=-1'))).toBe(400);
    await fetch(`${server.url}/api/runs/${run.id}`, { method: 'DELETE', headers: server.auth });
  });
});
