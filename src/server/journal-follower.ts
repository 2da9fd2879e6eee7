/**
 * Reads a real deployment's SQLite store (journal and inventory, src/real/store) while another
 * process may be writing it: a read-only connection that asks, at each poll, for the journal
 * entries after the last seq it has, and for the inventory's node names when their count changed.
 *
 * Why this is safe next to a writer: in WAL mode a reader sees the last committed state and
 * never blocks the writer. The connection's busy timeout is 0 because better-sqlite3 is
 * synchronous: a wait for a lock would hold the server's event loop, so a busy file is simply
 * "locked" for this poll and tried again at the next. A store opened exclusively (as `real
 * deploy` does while it runs) is locked until its writer exits: the poll says so. And the
 * connection is closed after every poll: an open one, even idle, would stop a `real deploy`
 * (re)started on the same store from taking its exclusive lock (STORE_LOCKED).
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, UsageError } from '../errors.ts';
import type { JournalEntry } from '../ports/index.ts';
import { isBusy } from '../real/store/database.ts';
import { entryOf, type JournalRow } from '../real/store/sqlite-journal.ts';

/** What one poll found: new entries (seq order) and the inventory's names if they changed; or why it could not read. */
export type PollResult = { kind: 'read'; entries: JournalEntry[]; names: string[] | null } | { kind: 'locked'; message: string };

/** The store file for `path`: the file itself, or <path>/deploytwin.sqlite for a state directory. */
export function storeFile(path: string): string {
  const file = statSync(path, { throwIfNoEntry: false })?.isDirectory() ? join(path, 'deploytwin.sqlite') : path;
  if (!existsSync(file)) throw new UsageError(ErrorCodes.CLI_FILE_NOT_FOUND, `--real: no such journal: ${file} (a deploytwin.sqlite, or the state directory holding it)`);
  return file;
}

export class JournalFollower {
  private db: Database.Database | null = null;
  private seq = 0;
  private nodeCount = -1;
  /** True when the last poll read a full batch: there may be more already. */
  full = false;

  /** `batch`: most entries read per poll, so one poll of a huge journal does not hold the event loop long. */
  constructor(
    readonly file: string,
    private readonly batch = 20_000,
  ) {}

  /** Checks that the file is a deploytwin store (if it can be read now); throws SERVER_BAD_JOURNAL if not. */
  check(): void {
    try {
      const has = this.connection().prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'").get();
      if (has === undefined) throw new UsageError(ErrorCodes.SERVER_BAD_JOURNAL, `${this.file}: no journal table: not a deploytwin store (deploytwin.sqlite)`);
    } catch (e) {
      if (isBusy(e)) return;
      if (e instanceof UsageError) throw e;
      throw new UsageError(ErrorCodes.SERVER_BAD_JOURNAL, `${this.file}: cannot read it as a deploytwin store: ${(e as Error).message}`);
    } finally {
      this.close();
    }
  }

  /** New entries since the last poll (at most `batch`), and the inventory's node names if their count changed. */
  poll(): PollResult {
    try {
      const db = this.connection();
      const rows = db.prepare('SELECT seq, at, type, node, data FROM journal WHERE seq > ? ORDER BY seq LIMIT ?').all(this.seq, this.batch) as JournalRow[];
      const entries = rows.map(entryOf);
      if (entries.length > 0) this.seq = entries[entries.length - 1].seq;
      this.full = entries.length === this.batch;
      return { kind: 'read', entries, names: this.inventoryNames(db) };
    } catch (e) {
      if (isBusy(e)) return { kind: 'locked', message: `${this.file} is locked by a writer that opened it exclusively: waiting` };
      return { kind: 'locked', message: `${this.file}: cannot read: ${(e as Error).message}` };
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.db?.open) this.db.close();
    this.db = null;
  }

  private connection(): Database.Database {
    this.db ??= new Database(this.file, { readonly: true, fileMustExist: true, timeout: 0 });
    return this.db;
  }

  private inventoryNames(db: Database.Database): string[] | null {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'nodes'").get();
    if (exists === undefined) return null;
    const { n } = db.prepare('SELECT count(*) AS n FROM nodes').get() as { n: number };
    if (n === this.nodeCount) return null;
    this.nodeCount = n;
    return (db.prepare('SELECT name FROM nodes ORDER BY rowid').all() as Array<{ name: string }>).map((r) => r.name);
  }
}
