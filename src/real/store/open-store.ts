/**
 * One deployment's durable state: the journal and the inventory in one SQLite file (so a backup
 * or a copy for calibration is one file, and both always come from the same moment).
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../ports/index.ts';
import { openDatabase, type StoreOpenOptions } from './database.ts';
import { schemaVersion } from './migrations.ts';
import { SqliteInventory } from './sqlite-inventory.ts';
import { SqliteJournal } from './sqlite-journal.ts';

export { openDatabase, type StoreOpenOptions } from './database.ts';
export { MIGRATIONS, migrate, type Migration } from './migrations.ts';
export { SqliteInventory } from './sqlite-inventory.ts';
export { SqliteJournal } from './sqlite-journal.ts';

export interface Store {
  journal: SqliteJournal;
  inventory: SqliteInventory;
  /** The open database (for inspection and for tests). */
  db: Database.Database;
  /** Schema version of the file after migration. */
  version: number;
  /** Closes the file (checkpointing the WAL); later calls reject with STORE_CLOSED. Idempotent. */
  close(): void;
}

/**
 * Opens the store at `file` (created if missing), with `clock` stamping journal entries given no
 * time. See openDatabase for `options` (exclusive, busyTimeout) and the errors thrown.
 */
export function openStore(file: string, clock: Clock, options: StoreOpenOptions = {}): Store {
  const db = openDatabase(file, options);
  return {
    db,
    journal: new SqliteJournal(db, clock),
    inventory: new SqliteInventory(db),
    version: schemaVersion(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}
