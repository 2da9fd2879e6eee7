/**
 * Crash safety and concurrent use of the SQLite journal, with real processes: a writer killed by
 * SIGKILL in the middle of its appends, two writers on one file, and the exclusive mode.
 * (SIGKILL stops the process between any two instructions; a power cut, which synchronous=FULL
 * is for, cannot be staged by a test.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployTwinError } from '../../../src/errors.ts';
import { WallClock } from '../../../src/real/clock.ts';
import { openStore } from '../../../src/real/store/open-store.ts';
import { expectedData } from './journal-writer.child.ts';

const dir = mkdtempSync(join(tmpdir(), 'dt-crash-'));
const childScript = join(import.meta.dirname, 'journal-writer.child.ts');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Writer {
  child: ChildProcess;
  /** Seqs whose append promise resolved, as printed by the child. */
  printed: number[];
  ready: Promise<void>;
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWriter(file: string, tag: string, count: number | 'forever', mode = '', env: Record<string, string> = {}): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, file, tag, String(count), mode], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let ready = (): void => {};
  const w: Writer = {
    child,
    printed: [],
    stderr: [],
    ready: new Promise((resolve) => (ready = resolve)),
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      if (l === 'ready') ready();
      else if (l !== 'paused') w.printed.push(Number(l));
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => w.stderr.push(chunk.toString()));
  return w;
}

/** Resolves once the writer has printed at least `n` seqs. */
async function printedAtLeast(w: Writer, n: number): Promise<void> {
  while (w.printed.length < n) {
    if (w.child.exitCode !== null || w.child.signalCode !== null) throw new Error(`writer exited early: ${w.stderr.join('')}`);
    await Promise.race([new Promise((r) => w.child.stdout!.once('data', r)), w.exited]);
  }
}

describe('a journal writer killed with SIGKILL', () => {
  for (const [killAfter, mode] of [
    [1, ''],
    [150, ''],
    [600, ''],
    [300, 'burst'],
  ] as const) {
    it(`keeps a gapless, untorn prefix holding every resolved append (kill after ${killAfter} printed${mode ? `, ${mode}` : ''})`, async () => {
      const file = join(dir, `kill-${killAfter}-${mode}.db`);
      const w = startWriter(file, 'w', 'forever', mode);
      await printedAtLeast(w, killAfter);
      expect(w.child.kill('SIGKILL')).toBe(true);
      expect((await w.exited).signal).toBe('SIGKILL');
      const lastResolved = Math.max(...w.printed);

      const store = openStore(file, new WallClock());
      const entries = await store.journal.entries();
      // A prefix: 1..M with no gap, M covering every append the child saw resolve.
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: entries.length }, (_, k) => k + 1));
      expect(entries.length).toBeGreaterThanOrEqual(lastResolved);
      // Untorn: every entry is exactly the one the child appended with that number.
      for (const e of entries) {
        expect(e.type).toBe('test.tick');
        expect(e.node).toBe(`w${e.seq % 7}`);
        expect(e.data).toEqual(expectedData('w', e.seq));
      }
      // The journal goes on from where it stopped.
      expect((await store.journal.append({ type: 'resumed' })).seq).toBe(entries.length + 1);
      store.close();
    });
  }
});

describe('two processes appending to one journal (shared mode)', () => {
  it('interleaves them with unique, gapless seqs, each writer in its own order', async () => {
    const file = join(dir, 'shared.db');
    openStore(file, new WallClock()).close(); // create the schema first, so both start writing at once
    // a stops halfway until b has written: they interleave whatever the scheduler does.
    const a = startWriter(file, 'a', 250, '', { WAIT_GO: '1', PAUSE_AT: '125' });
    const b = startWriter(file, 'b', 250, 'burst', { WAIT_GO: '1' });
    await Promise.all([a.ready, b.ready]);
    a.child.stdin!.write('go\n');
    b.child.stdin!.end('go\n');
    await printedAtLeast(a, 125);
    await printedAtLeast(b, 1);
    a.child.stdin!.end('on\n');
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect([ea.code, eb.code, a.stderr.join(''), b.stderr.join('')]).toEqual([0, 0, '', '']);
    const store = openStore(file, new WallClock());
    const entries = await store.journal.entries();
    store.close();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, k) => k + 1));
    for (const tag of ['a', 'b']) {
      const mine = entries.filter((e) => e.data!.tag === tag);
      expect(mine.map((e) => e.data!.i)).toEqual(Array.from({ length: 250 }, (_, k) => k + 1));
      for (const e of mine) expect(e.data).toEqual(expectedData(tag, e.data!.i as number));
    }
    // Both wrote while the other was writing (not one after the other).
    const firstB = entries.findIndex((e) => e.data!.tag === 'b');
    const lastA = entries.map((e) => e.data!.tag).lastIndexOf('a');
    expect(firstB).toBeLessThan(lastA);
  });
});

describe('exclusive mode', () => {
  it('refuses a second open, in this process or another, until the holder closes', async () => {
    const file = join(dir, 'exclusive.db');
    const holder = openStore(file, new WallClock(), { exclusive: true });
    await holder.journal.append({ type: 'mine' });
    let refused: unknown;
    try {
      openStore(file, new WallClock(), { busyTimeout: 0.05 });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(DeployTwinError);
    expect((refused as DeployTwinError).code).toBe('DT_STORE_LOCKED');
    expect((refused as DeployTwinError).retryable).toBe(true);

    const other = startWriter(file, 'x', 3, '', { BUSY_TIMEOUT: '0.05' });
    const ended = await other.exited;
    expect(ended.code).toBe(1);
    expect(other.stderr.join('')).toContain('DT_STORE_LOCKED');
    expect(other.printed).toEqual([]);

    holder.close();
    const after = openStore(file, new WallClock());
    expect((await after.journal.entries()).map((e) => e.type)).toEqual(['mine']);
    after.close();
  });
});
