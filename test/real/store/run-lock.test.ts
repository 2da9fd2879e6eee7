/**
 * The run lock of a state directory: a second orchestrator is refused while the first holds it,
 * readers of the journal are not, the lock goes with its holder's release and with its process.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { WallClock } from '../../../src/real/clock.ts';
import { openStore } from '../../../src/real/store/open-store.ts';
import { acquireRunLock } from '../../../src/real/store/run-lock.ts';

describe('acquireRunLock', () => {
  it('refuses a second holder (STORE_LOCKED, retryable) until the first releases it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'run-lock-')), 'deploytwin.lock');
    const release = acquireRunLock(file);
    expect(() => acquireRunLock(file)).toThrow(expect.objectContaining({ code: 'DT_STORE_LOCKED', kind: 'retryable' }));
    release();
    release(); // idempotent
    acquireRunLock(file)();
  });

  it('leaves the journal open to a reader while the run writes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-lock-'));
    const release = acquireRunLock(join(dir, 'deploytwin.lock'));
    const store = openStore(join(dir, 'deploytwin.sqlite'), new WallClock());
    await store.journal.append({ type: 'site.stage', data: { stage: 'deploy', event: 'start' } });
    const reader = new Database(join(dir, 'deploytwin.sqlite'), { readonly: true, timeout: 0 });
    const tables = reader.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    expect(tables.length).toBeGreaterThan(0);
    reader.close();
    store.close();
    release();
  });

  it('is dropped when its process is killed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'run-lock-')), 'deploytwin.lock');
    const code = `const D = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))}); const db = new D(${JSON.stringify(file)}); db.pragma('locking_mode = EXCLUSIVE'); db.exec('CREATE TABLE IF NOT EXISTS lock (held INTEGER); BEGIN IMMEDIATE; DELETE FROM lock; COMMIT'); console.log('held'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    expect(() => acquireRunLock(file)).toThrow(expect.objectContaining({ code: 'DT_STORE_LOCKED' }));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    acquireRunLock(file)();
  });
});
