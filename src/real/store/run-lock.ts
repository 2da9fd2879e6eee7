/**
 * One orchestrator per state directory, without locking readers out of its journal: the lock is
 * SQLite's exclusive lock on a file of its own (`<stateDir>/deploytwin.lock`), held until
 * release, while the journal itself stays open to readers (WAL), so `deploytwin serve --real`
 * can follow a deployment live. The operating system drops the lock when the process dies, so a
 * run killed with SIGKILL never leaves a stale lock behind.
 */
import Database from 'better-sqlite3';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { isBusy } from './database.ts';

/** Takes the lock at `file` (created if needed); returns its release. Throws STORE_LOCKED (retryable) when another process holds it. */
export function acquireRunLock(file: string): () => void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    // A write takes the file lock, and exclusive locking mode keeps it until close.
    db.exec('CREATE TABLE IF NOT EXISTS lock (held INTEGER); BEGIN IMMEDIATE; DELETE FROM lock; COMMIT');
  } catch (e) {
    db?.close();
    if (isBusy(e)) {
      throw new DeployTwinError(ErrorCodes.STORE_LOCKED, `${file} is held by another deploytwin process running this site; stop it or wait for it to finish`, 'retryable', { cause: e });
    }
    throw new DeployTwinError(ErrorCodes.STORE_OPEN_FAILED, `cannot take the run lock ${file}: ${e instanceof Error ? e.message : String(e)}`, 'fatal', { cause: e });
  }
  const held = db;
  return () => {
    if (held.open) held.close();
  };
}
