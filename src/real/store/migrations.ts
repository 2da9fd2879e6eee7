/**
 * The store's schema, as numbered migrations recorded in a `schema_migrations` table. Opening a
 * database applies the ones it lacks, in order, each in its own IMMEDIATE transaction (so two
 * processes opening a fresh file at once do not both apply one); a database written by a newer
 * deploytwin (a version this code does not know) is refused rather than misread.
 *
 * Released migrations are never edited: a schema change is a new entry at the end.
 */
import type Database from 'better-sqlite3';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'journal',
    // seq is the rowid: SQLite gives max(seq)+1 inside the writing transaction, and rows are never
    // deleted, so seqs are 1, 2, 3, ... with no gap whatever the number of writers.
    sql: `CREATE TABLE journal (
            seq  INTEGER PRIMARY KEY,
            at   REAL NOT NULL,
            type TEXT NOT NULL,
            node TEXT,
            data TEXT
          ) STRICT;
          CREATE INDEX journal_by_node ON journal (node, seq);`,
  },
  {
    version: 2,
    name: 'inventory',
    // The record is kept whole as JSON (what the port reads back); a few columns are copied out of
    // it so that an operator can query the file with the sqlite3 shell. Rowids keep the order in
    // which records were first stored, and an upsert keeps its row's place.
    sql: `CREATE TABLE bmcs (
            address     TEXT NOT NULL,
            port        INTEGER NOT NULL,
            node        TEXT NOT NULL,
            record      TEXT NOT NULL,
            PRIMARY KEY (address, port)
          ) STRICT;
          CREATE TABLE nodes (
            name   TEXT PRIMARY KEY,
            rack   INTEGER NOT NULL,
            grp    TEXT NOT NULL,
            role   TEXT NOT NULL,
            bmc    TEXT NOT NULL,
            record TEXT NOT NULL
          ) STRICT;
          CREATE TABLE networks (
            name   TEXT PRIMARY KEY,
            record TEXT NOT NULL
          ) STRICT;`,
  },
];

/** The highest migration applied to `db` (0 for a fresh file). */
export function schemaVersion(db: Database.Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at REAL NOT NULL
           ) STRICT`);
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings `db` up to the last of `migrations` (sorted by version). Throws STORE_SCHEMA_TOO_NEW
 * (fatal) when the file already holds a later version than the last one given.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, file = 'database'): number {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const step = db.transaction((m: Migration) => {
    // Re-read inside the write lock: another process may have applied it meanwhile.
    if (schemaVersion(db) >= m.version) return;
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now() / 1000);
  });
  const current = schemaVersion(db);
  if (current > latest) {
    throw new DeployTwinError(
      ErrorCodes.STORE_SCHEMA_TOO_NEW,
      `${file} has schema version ${current}, but this deploytwin knows versions up to ${latest}: open it with a newer deploytwin`,
      'fatal',
    );
  }
  for (const m of migrations) if (m.version > current) step.immediate(m);
  return schemaVersion(db);
}
