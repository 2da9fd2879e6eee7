/**
 * Opening the SQLite file that holds a deployment's journal and inventory (better-sqlite3).
 *
 * Durability: journal_mode=WAL with synchronous=FULL, so every committed transaction is fsync'd
 * to the write-ahead log before the call returns; a crash of the process (or of the machine, as
 * far as the disk honours fsync) loses no committed write and never leaves half of one.
 *
 * Concurrent opens: by default several connections, in one process or several, may open the same
 * file safely: SQLite serialises writers (a writer waits up to `busyTimeout` for the lock), each
 * journal append is one transaction, and seqs stay unique and gapless. With `exclusive: true`
 * the first opener takes SQLite's exclusive lock and holds it until close, and any other open of
 * the file is refused with STORE_LOCKED: the mode for the one orchestrator that owns a run.
 */
import Database from 'better-sqlite3';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { migrate } from './migrations.ts';

export interface StoreOpenOptions {
  /** Refuse every other connection to the file while this one is open. Default false. */
  exclusive?: boolean;
  /** Seconds a write waits for another connection's lock before failing. Default 5. */
  busyTimeout?: number;
}

/** SQLite's "another connection holds the lock" failures (worth another try later). */
export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_BUSY_RECOVERY';
}

/** Maps a better-sqlite3 failure during open to a deploytwin error that names the file. */
function openFailure(file: string, e: unknown): DeployTwinError {
  if (e instanceof DeployTwinError) return e;
  if (isBusy(e)) {
    return new DeployTwinError(ErrorCodes.STORE_LOCKED, `${file} is locked by another deploytwin process (opened exclusively); stop it or wait for it to finish`, 'retryable', {
      cause: e,
    });
  }
  const why = e instanceof Error ? e.message : String(e);
  return new DeployTwinError(ErrorCodes.STORE_OPEN_FAILED, `cannot open the store ${file}: ${why}`, 'fatal', { cause: e });
}

/**
 * Opens (creating if needed) the store at `file` (a path, or ":memory:" for tests), sets the
 * durability pragmas and applies missing migrations. Throws STORE_LOCKED (retryable) when an
 * exclusive holder has the file, STORE_SCHEMA_TOO_NEW or STORE_OPEN_FAILED (fatal) otherwise.
 */
export function openDatabase(file: string, options: StoreOpenOptions = {}): Database.Database {
  const busyTimeout = options.busyTimeout ?? 5;
  if (!(Number.isFinite(busyTimeout) && busyTimeout >= 0)) {
    throw new DeployTwinError(ErrorCodes.STORE_OPEN_FAILED, `busyTimeout must be a number of seconds >= 0, got ${String(busyTimeout)}`, 'usage');
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: Math.round(busyTimeout * 1000) });
    // Exclusive locking must be chosen before the first WAL access: then SQLite keeps the WAL
    // index in private memory and holds the file lock from the first write until close.
    if (options.exclusive) db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && file !== ':memory:') throw new Error(`the file system refused WAL mode (journal_mode is ${String(mode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, undefined, file);
    // Take the write lock now (migrate may have had nothing to write), so a second open fails
    // here, at open, rather than at its first append.
    if (options.exclusive) db.exec('BEGIN IMMEDIATE; COMMIT');
    return db;
  } catch (e) {
    db?.close();
    throw openFailure(file, e);
  }
}

/**
 * Runs a store operation, mapping SQLite failures to deploytwin errors: STORE_CLOSED after close,
 * STORE_LOCKED when another writer held the lock past busyTimeout, STORE_WRITE_FAILED otherwise.
 */
export function guarded<T>(db: Database.Database, what: string, run: () => T): T {
  if (!db.open) throw new DeployTwinError(ErrorCodes.STORE_CLOSED, `${what}: the store ${db.name} is closed`, 'fatal');
  try {
    return run();
  } catch (e) {
    if (e instanceof DeployTwinError) throw e;
    if (isBusy(e)) throw new DeployTwinError(ErrorCodes.STORE_LOCKED, `${what}: ${db.name} stayed locked by another connection`, 'retryable', { cause: e });
    const why = e instanceof Error ? e.message : String(e);
    throw new DeployTwinError(ErrorCodes.STORE_WRITE_FAILED, `${what} in ${db.name}: ${why}`, 'fatal', { cause: e });
  }
}
