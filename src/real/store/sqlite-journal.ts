/**
 * The Journal port in SQLite. Each append is one INSERT, committed and fsync'd (WAL,
 * synchronous=FULL) before its promise resolves; seq is the row id SQLite assigns inside that
 * transaction. better-sqlite3 is synchronous, so the insert happens during the `append` call:
 * concurrent appends of one process are numbered in call order, as in the in-memory journal.
 *
 * Entries read back exactly as appended (the same checks as the twin's journal: plain JSON data,
 * a non-empty type, a finite time) and frozen, so no reader can rewrite history in memory either.
 */
import type Database from 'better-sqlite3';
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { Clock, Journal, JournalEntry } from '../../ports/index.ts';
import { guarded } from './database.ts';
import { deepFreeze, isPlainObject, jsonProblem } from './json-data.ts';

/** What `append` takes: the port's input, `at` defaulting to the journal's clock. */
export type JournalInput = Omit<JournalEntry, 'seq' | 'at'> & { at?: number };

const INPUT_KEYS = new Set(['at', 'type', 'node', 'data']);

/** A row of the journal table as SQLite returns it. */
export interface JournalRow {
  seq: number;
  at: number;
  type: string;
  node: string | null;
  data: string | null;
}

function bad(type: unknown, why: string): UsageError {
  return new UsageError(ErrorCodes.JOURNAL_BAD_ARGUMENT, `journal entry ${JSON.stringify(String(type))}: ${why}`);
}

/** The problem with an input entry, or undefined. */
function inputProblem(e: Record<string, unknown>, at: unknown): string | undefined {
  for (const k of Object.keys(e)) if (!INPUT_KEYS.has(k)) return `unknown field "${k}"`;
  if (typeof at !== 'number' || !Number.isFinite(at)) return `"at" must be a finite number of seconds, got ${JSON.stringify(at)}`;
  if (typeof e.type !== 'string' || e.type === '') return `"type" must be a non-empty string, got ${JSON.stringify(e.type)}`;
  if (e.node !== undefined && typeof e.node !== 'string') return `"node" must be a string, got ${JSON.stringify(e.node)}`;
  if (e.data !== undefined && !isPlainObject(e.data)) return '"data" must be an object';
  return e.data === undefined ? undefined : jsonProblem(e.data, 'data');
}

/** The stored form of a row: fields in a fixed order, absent optionals left out, frozen. */
export function entryOf(row: JournalRow): JournalEntry {
  const entry: JournalEntry = { seq: row.seq, at: row.at, type: row.type };
  if (row.node !== null) entry.node = row.node;
  if (row.data !== null) entry.data = JSON.parse(row.data) as Record<string, unknown>;
  return deepFreeze(entry);
}

export class SqliteJournal implements Journal {
  private readonly insert: Database.Statement;
  private readonly after: Database.Statement;

  /** `db` comes from openDatabase (migrated); `clock` stamps entries given no time. */
  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare('INSERT INTO journal (at, type, node, data) VALUES (?, ?, ?, ?) RETURNING seq, at, type, node, data');
    this.after = db.prepare('SELECT seq, at, type, node, data FROM journal WHERE seq > ? ORDER BY seq');
  }

  /**
   * Appends `input` with the next seq and returns the stored entry; durable on resolve. Rejects
   * with JOURNAL_BAD_ARGUMENT for an entry that is not plain JSON data or has no type, with
   * STORE_LOCKED (retryable) if another connection held the write lock past its busy timeout.
   */
  async append(input: JournalInput): Promise<JournalEntry> {
    if (!isPlainObject(input)) throw new UsageError(ErrorCodes.JOURNAL_BAD_ARGUMENT, 'journal entry must be an object');
    const at = input.at ?? this.clock.now();
    const problem = inputProblem(input, at);
    if (problem !== undefined) throw bad(input.type, problem);
    const data = input.data === undefined ? null : JSON.stringify(input.data);
    // -0 is stored as 0, as JSON (and the in-memory journal) would write it.
    const row = guarded(this.db, `journal append "${input.type}"`, () => this.insert.get(at === 0 ? 0 : at, input.type, input.node ?? null, data) as JournalRow);
    return entryOf(row);
  }

  /** Entries with seq > `after` (all by default), in seq order, in a fresh array. */
  async entries(after = 0): Promise<JournalEntry[]> {
    if (typeof after !== 'number' || Number.isNaN(after)) {
      throw new UsageError(ErrorCodes.JOURNAL_BAD_ARGUMENT, `entries(after) needs a number, got ${String(after)}`);
    }
    const from = after === -Infinity ? 0 : after === Infinity ? Number.MAX_SAFE_INTEGER : after;
    return guarded(this.db, 'journal entries', () => (this.after.all(from) as JournalRow[]).map(entryOf));
  }
}
