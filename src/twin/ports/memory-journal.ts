/**
 * The Journal port in memory, for the twin and for tests. Entries are deep-frozen copies of what
 * was appended, so no caller can rewrite history (neither through the object it passed in nor
 * through one it read back), and they hold JSON data only, so `toJSONLines` / `fromJSONLines`
 * give back exactly the same entries: a saved twin run resumes from the same state.
 */
import { deepFreeze } from '../../ports/deep-freeze.ts';
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { Clock, Journal, JournalEntry } from '../../ports/index.ts';

/**
 * What `append` takes: the port's input, with `at` optional. The journal stamps `clock.now()`
 * when the caller gives no time, so most call sites cannot record a time from the wrong clock;
 * a caller that journals something seen earlier (a node's report) passes that time.
 */
export type JournalInput = Omit<JournalEntry, 'seq' | 'at'> & { at?: number };

const ENTRY_KEYS = new Set(['seq', 'at', 'type', 'node', 'data']);

export { deepFreeze };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `v` that JSON carries unchanged, or the reason it cannot be one. Object properties
 * that are undefined are dropped (JSON.stringify drops them too); -0 becomes 0 (JSON writes "0").
 */
function jsonCopy(v: unknown, path: string, fail: (why: string) => never, open = new Set<object>()): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`${path} is ${v}, which JSON cannot hold`);
    return v === 0 ? 0 : v;
  }
  if (typeof v !== 'object') return fail(`${path} is a ${typeof v}, which JSON cannot hold`);
  if (open.has(v)) fail(`${path} refers back to itself`);
  open.add(v);
  let out: unknown;
  if (Array.isArray(v)) {
    const items: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      if (v[i] === undefined) fail(`${path}[${i}] is undefined, which JSON cannot hold in an array`);
      items.push(jsonCopy(v[i], `${path}[${i}]`, fail, open));
    }
    out = items;
  } else if (isPlainObject(v)) {
    const pairs: Array<[string, unknown]> = [];
    for (const [k, x] of Object.entries(v)) if (x !== undefined) pairs.push([k, jsonCopy(x, `${path}.${k}`, fail, open)]);
    // fromEntries defines own properties, so a "__proto__" key stays data.
    out = Object.fromEntries(pairs);
  } else {
    fail(`${path} is a ${v.constructor?.name ?? 'non-plain object'}, not plain JSON data`);
  }
  open.delete(v);
  return out;
}

/** The entry's problem, or undefined if it is a valid entry (seq is checked by the caller). */
function entryProblem(e: Record<string, unknown>): string | undefined {
  for (const k of Object.keys(e)) if (!ENTRY_KEYS.has(k)) return `unknown field "${k}"`;
  if (typeof e.at !== 'number' || !Number.isFinite(e.at)) return `"at" must be a finite number of seconds, got ${JSON.stringify(e.at)}`;
  if (typeof e.type !== 'string' || e.type === '') return `"type" must be a non-empty string, got ${JSON.stringify(e.type)}`;
  if (e.node !== undefined && typeof e.node !== 'string') return `"node" must be a string, got ${JSON.stringify(e.node)}`;
  if (e.data !== undefined && !isPlainObject(e.data)) return '"data" must be an object';
  return undefined;
}

/** Builds the stored form: fields in a fixed order, absent optionals left out, frozen. */
function sealed(seq: number, e: Omit<JournalEntry, 'seq'>): JournalEntry {
  const entry: JournalEntry = { seq, at: e.at === 0 ? 0 : e.at, type: e.type };
  if (e.node !== undefined) entry.node = e.node;
  if (e.data !== undefined) entry.data = e.data;
  return deepFreeze(entry);
}

export class MemoryJournal implements Journal {
  private readonly log: JournalEntry[] = [];

  constructor(private readonly clock: Clock) {}

  /** Number of entries; also the seq of the last one. */
  get size(): number {
    return this.log.length;
  }

  /**
   * Stores a frozen copy of `input` with the next seq (1, 2, 3, ...) and returns it. Seqs are
   * assigned when append is called, so concurrent appends are numbered in call order. Rejects
   * with JOURNAL_BAD_ARGUMENT when the entry is not plain JSON data or misses its type.
   */
  async append(input: JournalInput): Promise<JournalEntry> {
    if (!isPlainObject(input)) throw new UsageError(ErrorCodes.JOURNAL_BAD_ARGUMENT, 'journal entry must be an object');
    const at = input.at ?? this.clock.now();
    const bad = (why: string): never => {
      throw new UsageError(ErrorCodes.JOURNAL_BAD_ARGUMENT, `journal entry ${JSON.stringify(String(input.type))}: ${why}`);
    };
    const candidate = { at, type: input.type, node: input.node, data: input.data };
    const problem = entryProblem(candidate);
    if (problem !== undefined) bad(problem);
    if (candidate.data !== undefined) candidate.data = jsonCopy(candidate.data, 'data', bad) as Record<string, unknown>;
    const entry = sealed(this.log.length + 1, candidate);
    this.log.push(entry);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  private readonly listeners: Array<(entry: JournalEntry) => void> = [];

  /** Calls `listener` with every entry as it is appended (progress displays, live dashboards). */
  subscribe(listener: (entry: JournalEntry) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Entries with seq > `after` (all by default), in order, in a fresh array. The entries
   * themselves are the frozen stored objects: immutable, so sharing them is as safe as a copy
   * and lets a resume read a long journal without copying it.
   */
  async entries(after = 0): Promise<JournalEntry[]> {
    if (typeof after !== 'number' || Number.isNaN(after)) {
      throw new UsageError(ErrorCodes.JOURNAL_BAD_ARGUMENT, `entries(after) needs a number, got ${String(after)}`);
    }
    // seq = index + 1, so seq > after starts at index floor(after).
    return this.log.slice(Math.max(0, Math.floor(after)));
  }

  /** One JSON object per line, in seq order, each line ending with "\n". */
  toJSONLines(): string {
    return this.log.map((e) => JSON.stringify(e) + '\n').join('');
  }

  /**
   * Rebuilds a journal saved by toJSONLines; later appends continue the numbering. Every line must
   * be one entry with the next seq (1, 2, ...); a final newline and "\r\n" endings are accepted.
   * Throws JOURNAL_BAD_LINE naming the first bad line.
   */
  static fromJSONLines(text: string, clock: Clock): MemoryJournal {
    if (typeof text !== 'string') throw new UsageError(ErrorCodes.JOURNAL_BAD_LINE, 'journal text must be a string');
    const journal = new MemoryJournal(clock);
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((raw, i) => {
      const n = i + 1;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const bad = (why: string): never => {
        const shown = line.length > 80 ? `${line.slice(0, 77)}...` : line;
        throw new UsageError(ErrorCodes.JOURNAL_BAD_LINE, `journal line ${n}: ${why}`, { details: [shown] });
      };
      if (line.trim() === '') bad('is empty');
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        bad(`is not JSON (${(e as Error).message})`);
      }
      if (!isPlainObject(value)) bad('is not a JSON object');
      const e = value as Record<string, unknown>;
      if (e.seq !== n) bad(`"seq" must be ${n} (entries are numbered 1, 2, 3, ... with no gap), got ${JSON.stringify(e.seq)}`);
      const problem = entryProblem(e);
      if (problem !== undefined) bad(problem);
      // Re-copied so that the stored form is the one append makes (e.g. "-0" read as 0).
      if (e.data !== undefined) e.data = jsonCopy(e.data, 'data', bad);
      journal.log.push(sealed(n, e as unknown as JournalEntry));
    });
    return journal;
  }
}
