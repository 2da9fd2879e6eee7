/**
 * `serve --real`: a real deployment's SQLite store followed while it is written (the project's
 * SqliteJournal and the real status endpoint write it, test/server/real-journal.ts), streamed
 * over the WebSocket as the twin's runs are, with a result for the figures; read-only through the
 * API; a store held exclusively (as `real deploy` holds it) read once its writer lets go.
 */
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { main } from '../../src/cli/main.ts';
import { registerServe } from '../../src/cli/serve-command.ts';
import { DeployTwinError } from '../../src/errors.ts';
import { openStore } from '../../src/real/store/open-store.ts';
import type { RealRun } from '../../src/server/real-run.ts';
import { realEvents } from '../../src/server/real-run-source.ts';
import type { RunEvent, StreamMessage } from '../../src/server/run-events.ts';
import { deployNode, failNode, fakeSite, StepClock } from './real-journal.ts';
import { testServer } from './server-helpers.ts';

let server: Awaited<ReturnType<typeof testServer>>;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deploytwin-real-run-'));
  server = await testServer({ warmWorker: false });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves once `check` holds (polled every 10 ms; the test's own timeout bounds it). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

function collect(url: string): { messages: StreamMessage[]; closed: Promise<number> } {
  const messages: StreamMessage[] = [];
  const ws = new WebSocket(url);
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve, reject) => {
    ws.on('close', (code) => resolve(code));
    ws.on('error', reject);
  });
  return { messages, closed };
}

const eventsOf = (messages: StreamMessage[]): RunEvent[] => messages.flatMap((m) => (m.type === 'events' ? m.events : []));

describe('a real deployment followed from its journal', () => {
  it('streams the deployment live as it is journalled, then ends; its result holds the reported phases', async () => {
    const names = ['node1', 'node2', 'node3'];
    const site = await fakeSite(mkdtempSync(join(dir, 'live-')), names);
    const run = server.registry.follow(site.file, { pollMs: 20, quietSeconds: 0.2 });
    const stream = collect(`${server.url.replace(/^http/, 'ws')}/api/runs/${run.id}/events`);
    await until(() => stream.messages.length > 0);
    // Each step waits for the follower to have read it: the stream then gets it as a batch of its own.
    const caughtUp = async () => {
      const last = (await site.store.journal.entries()).at(-1)!.seq;
      await until(() => run.info().real!.seq === last);
    };
    await deployNode(site, 'node1', 0, 7, caughtUp);
    await failNode(site, 'node2', 3);
    await deployNode(site, 'node3', 2, 9, caughtUp);
    const entries = await site.store.journal.entries();
    await site.close();
    expect(await stream.closed).toBe(1000);

    const [hello, ...rest] = stream.messages;
    expect(hello).toMatchObject({ type: 'hello', mode: 'live', run: { id: run.id, state: 'running', nodes: 3, real: { journal: site.file } } });
    expect(rest.at(-1)).toMatchObject({ type: 'end', run: { state: 'finished', progress: { deployed: 2, failed: 1 } } });
    expect(rest.filter((m) => m.type === 'events').length).toBeGreaterThanOrEqual(6);
    // The stream is the journal's conversion, in journal order; the stored events the same, sorted by time.
    const expected = realEvents(entries, names);
    expect(eventsOf(stream.messages)).toEqual(expected.events);
    expect(run.events).toHaveLength(expected.events.length);
    expect(run.events.map((e) => e.t)).toEqual(expected.events.map((e) => e.t).sort((a, b) => a - b));

    const result = (await (await fetch(`${server.url}/api/runs/${run.id}/result`)).json()) as Record<string, unknown> & { records: Array<{ node: number; phase: string; start: number; end: number }> };
    expect(result.names).toEqual(names);
    expect(result.links).toEqual([]);
    expect(result.services).toEqual([]);
    expect(result.makespan).toBe(expected.source.makespan);
    expect(result.failures).toEqual([{ node: 1, reason: 'node reported failure: initrd: checksum mismatch', at: expected.source.failures[0].at }]);
    expect(result.records).toEqual([...expected.source.records].sort((a, b) => a.node - b.node || a.start - b.start));
    // The figures' inputs, from the clock the reports were stamped with: node3's initrd took 12 s, its rootfs 34 s.
    const node3 = result.records.filter((r) => r.node === 2);
    expect(node3.map((r) => r.phase)).toEqual(['dhcp', 'bootloader', 'kernel', 'initrd', 'rootfs', 'mounted', 'booted']);
    expect(node3.find((r) => r.phase === 'initrd')!.end - node3.find((r) => r.phase === 'initrd')!.start).toBe(12);
    expect(node3.find((r) => r.phase === 'rootfs')!.end - node3.find((r) => r.phase === 'rootfs')!.start).toBe(34);
    expect(result.records.filter((r) => r.node === 1).map((r) => r.phase)).toEqual(['dhcp', 'bootloader', 'kernel', 'initrd:failed']);

    const info = run.info();
    expect(info.summary!.makespan).toBe(expected.source.makespan);
    const journal = (await (await fetch(`${server.url}/api/runs/${run.id}/journal`)).json()) as unknown[];
    expect(journal).toEqual(entries.map((e) => ({ ...e })));
  });

  it('is read-only: DELETE and a POST of its name are refused with 409 DT_SERVER_REAL_RUN_READ_ONLY, with or without the token', async () => {
    const site = await fakeSite(mkdtempSync(join(dir, 'ro-')), ['n1']);
    const run = server.registry.follow(site.file, { pollMs: 20 });
    try {
      for (const headers of [server.auth, {}]) {
        const del = await fetch(`${server.url}/api/runs/${run.id}`, { method: 'DELETE', headers });
        if (headers === server.auth) {
          expect(del.status).toBe(409);
          expect(((await del.json()) as { error: { code: string } }).error.code).toBe('DT_SERVER_REAL_RUN_READ_ONLY');
        } else expect(del.status).toBe(401);
      }
      const post = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: { ...server.auth, 'content-type': 'application/json' }, body: JSON.stringify({ scenario: run.info().scenario }) });
      expect(post.status).toBe(409);
      expect(((await post.json()) as { error: { code: string } }).error.code).toBe('DT_SERVER_REAL_RUN_READ_ONLY');
      expect(run.state).toBe('running');
      const listed = (await (await fetch(`${server.url}/api/runs`)).json()) as { runs: Array<{ id: string; real?: unknown }> };
      expect(listed.runs.find((r) => r.id === run.id)!.real).toMatchObject({ journal: site.file, note: null });
    } finally {
      await run.stop();
      await site.close();
    }
  });

  it('waits while a writer holds the store exclusively, and reads it all once the writer lets go', async () => {
    const site = await fakeSite(mkdtempSync(join(dir, 'excl-')), ['a', 'b'], { exclusive: true });
    const run = server.registry.follow(site.file, { pollMs: 20, quietSeconds: 0 });
    expect(run.info().real!.note).toMatch(/locked by a writer that opened it exclusively/);
    expect(run.events).toEqual([]);
    await deployNode(site, 'a', 0, 1);
    await deployNode(site, 'b', 1, 1);
    const entries = await site.store.journal.entries();
    await site.close();
    await until(() => run.state !== 'running');
    expect(run.state).toBe('finished');
    expect(run.info().real!.note).toBeNull();
    expect(run.journal).toHaveLength(entries.length);
    expect(run.info().progress.deployed).toBe(2);
  });

  it('never stops a `real deploy` (re)started on the store it follows from taking it exclusively', async () => {
    const site = await fakeSite(mkdtempSync(join(dir, 'resume-')), ['r1']);
    await site.close();
    const run = server.registry.follow(site.file, { pollMs: 20 });
    const seen = run.info().real!.seq;
    expect(seen).toBeGreaterThan(0);
    // The rerun opens the store as run-site.ts does, while the follower keeps polling.
    const rerun = openStore(site.file, new StepClock(Date.now() / 1000), { exclusive: true, busyTimeout: 2 });
    await rerun.journal.append({ type: 'site.stage', data: { stage: 'discover', event: 'start' } });
    await until(() => run.info().real!.note !== null);
    rerun.close();
    await until(() => run.info().real!.seq === seen + 1 && run.info().real!.note === null);
    await run.stop();
  });

  it('a finished journal opened later ends at once; a file that is not a store is refused with DT_SERVER_BAD_JOURNAL', async () => {
    const site = await fakeSite(mkdtempSync(join(dir, 'done-')), ['x'], { t0: 1_000_000 });
    await deployNode(site, 'x', 0, 1);
    await site.close();
    const run: RealRun = server.registry.follow(site.file);
    expect(run.state).toBe('finished');
    expect(run.info().progress).toMatchObject({ deployed: 1, failed: 0 });
    // t = 0 at the deploy stage's start: one boot.write, 1 s to power on, then the phases.
    expect(run.info().summary!.makespan).toBe(1 + 4 + 1 + 3 + 10 + 30 + 1 + 8 + 0.5);

    const text = join(dir, 'not-a-store.sqlite');
    writeFileSync(text, 'hello\n'.repeat(100));
    const empty = join(dir, 'empty.sqlite');
    openStore(empty, new StepClock(0)).db.exec('DROP TABLE journal');
    for (const file of [text, empty]) {
      let thrown: unknown;
      try {
        server.registry.follow(file);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, file).toBeInstanceOf(DeployTwinError);
      expect((thrown as DeployTwinError).code).toBe('DT_SERVER_BAD_JOURNAL');
    }
  });
});

describe('deploytwin serve --real', () => {
  it('takes a store or its state directory, prints the run it became; a missing one exits 2 in one line', async () => {
    const state = mkdtempSync(join(dir, 'cli-'));
    const site = await fakeSite(state, ['c1', 'c2']);
    await site.close();
    const out: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let listening!: (url: string) => void;
    const ready = new Promise<string>((resolve) => (listening = resolve));
    const program = new Command().exitOverride();
    registerServe(program, (s) => out.push(s), { until: () => stopped, onListening: (url) => listening(url) });
    const done = program.parseAsync(['serve', '--port', '0', '--token', 'a-token-for-the-real-test', '--real', state, '--real', site.file], { from: 'user' });
    const url = await ready;
    try {
      const { runs } = (await (await fetch(`${url}/api/runs`)).json()) as { runs: Array<{ id: string; nodes: number; real: { journal: string } }> };
      expect(runs.map((r) => [r.id, r.nodes, r.real.journal])).toEqual([
        ['run-1', 2, site.file],
        ['run-2', 2, site.file],
      ]);
      expect(out.join('')).toContain(`real deployment ${site.file}: run-1 (${url}/live.html?run=run-1)`);
    } finally {
      stop();
      await done;
    }
    const err: string[] = [];
    expect(await main(['serve', '--port', '0', '--real', join(dir, 'nowhere')], { out: () => {}, err: (s) => err.push(s) })).toBe(2);
    expect(err.join('')).toMatch(/--real: no such journal.*DT_CLI_FILE_NOT_FOUND/);
    expect(err.join('').trim().split('\n')).toHaveLength(1);
  });
});
