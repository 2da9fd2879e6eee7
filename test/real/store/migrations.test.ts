import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/ports/index.ts';
import { MIGRATIONS, migrate, openStore } from '../../../src/real/store/open-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'dt-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clock: Clock = { now: () => 7, sleep: async () => {} };

describe('store schema and pragmas', () => {
  it('creates a fresh file at the latest version, in WAL mode with synchronous=FULL', () => {
    const store = openStore(join(dir, 'fresh.db'), clock);
    expect(store.version).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    const applied = store.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    store.close();
  });

  it('upgrades a file written at an older version, keeping its data, and applies nothing twice', async () => {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    expect(migrate(old, MIGRATIONS.slice(0, 1))).toBe(1);
    old.prepare("INSERT INTO journal (at, type) VALUES (1, 'from-v1')").run();
    old.close();
    const store = openStore(file, clock);
    expect(store.version).toBe(2);
    expect((await store.journal.entries()).map((e) => e.type)).toEqual(['from-v1']);
    await store.inventory.putNetwork({ name: 'ethernet', start: '10.0.0.1', prefixLength: 16 });
    expect(migrate(store.db)).toBe(2);
    expect(store.db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
    store.close();
  });

  it('refuses a file written by a newer deploytwin', () => {
    const file = join(dir, 'new.db');
    const db = new Database(file);
    migrate(db, [...MIGRATIONS, { version: 99, name: 'future', sql: 'CREATE TABLE future (x INTEGER) STRICT' }]);
    db.close();
    expect(() => openStore(file, clock)).toThrow(expect.objectContaining({ code: 'DT_STORE_SCHEMA_TOO_NEW', kind: 'fatal' }));
  });

  it('says which file it could not open', () => {
    const file = join(dir, 'no-such-dir', 'x.db');
    expect(() => openStore(file, clock)).toThrow(expect.objectContaining({ code: 'DT_STORE_OPEN_FAILED', message: expect.stringContaining(file) }));
    const notDb = join(dir, 'not-a-db');
    writeFileSync(notDb, 'this is not a database file at all, just text '.repeat(50));
    expect(() => openStore(notDb, clock)).toThrow(expect.objectContaining({ code: 'DT_STORE_OPEN_FAILED' }));
  });
});
