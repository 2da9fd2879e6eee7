/**
 * A Journal that calls a listener with every entry once it is durable: the CLI's progress lines
 * (which a supervising script or test can follow) without a second reader of the SQLite file.
 */
import type { Journal, JournalEntry } from '../../ports/index.ts';

export class JournalTap implements Journal {
  constructor(
    private readonly inner: Journal,
    private readonly listener: (entry: JournalEntry) => void,
  ) {}

  async append(entry: Omit<JournalEntry, 'seq' | 'at'> & { at?: number }): Promise<JournalEntry> {
    const stored = await this.inner.append(entry);
    this.listener(stored);
    return stored;
  }

  entries(after?: number): Promise<JournalEntry[]> {
    return this.inner.entries(after);
  }
}
