/**
 * The single record of a run, in the twin and for real: every action the orchestrator takes and
 * every event it sees, appended before the action takes effect. Dashboards replay it, calibration
 * reads it, resume rebuilds the orchestrator's state from it.
 *
 * Contracts: append is durable when it resolves (real: fsync'd SQLite; twin: in memory);
 * entries come back in append order with increasing sequence numbers; nothing is ever rewritten.
 */
export interface JournalEntry {
  /** Assigned by the journal, 1, 2, 3, ... */
  seq: number;
  /** Clock time (seconds). */
  at: number;
  /** e.g. "power.on", "node.state", "boot.write", "phase.report". */
  type: string;
  node?: string;
  /** JSON-serialisable details. */
  data?: Record<string, unknown>;
}

export interface Journal {
  /** Appends an entry; `at` defaults to the journal's clock (pass it to record something seen earlier). */
  append(entry: Omit<JournalEntry, 'seq' | 'at'> & { at?: number }): Promise<JournalEntry>;
  /** Entries with seq > `after` (all by default), in order. */
  entries(after?: number): Promise<JournalEntry[]>;
}
