/**
 * StatusServer's `history` option: reports an earlier run received (its journal) are kept as if
 * just received, so a restarted orchestrator's wait finds them, and a node re-sending one gets
 * "repeat" and adds no journal entry.
 */
import { describe, expect, it } from 'vitest';
import type { JournalEntry, PhaseReport } from '../../../src/ports/index.ts';
import { StatusServer } from '../../../src/real/events/status-server.ts';

const TOKEN = 'aaaaaaaaaaaaaaaaaaaaaaaa';

describe('StatusServer history', () => {
  it('delivers the history to waits and treats a re-sent report as a repeat', async () => {
    const appended: Array<Omit<JournalEntry, 'seq'>> = [];
    const journal = { append: async (e: Omit<JournalEntry, 'seq' | 'at'> & { at?: number }) => (appended.push({ ...e, at: e.at ?? 0 }), { ...e, seq: appended.length, at: e.at ?? 0 }), entries: async () => [] };
    const history: PhaseReport[] = [{ node: 'node1', phase: 'booted', boot: 2, at: 1000, detail: 'release:x' }];
    const server = await StatusServer.start({ token: TOKEN, nodes: ['node1'], journal, history });
    try {
      await expect(server.waitFor('node1', 'booted', { since: 999, timeout: 0 })).resolves.toMatchObject({ at: 1000, boot: 2 });
      const again = await fetch(`${server.url}/status?node=node1&phase=booted&boot=2&token=${TOKEN}`);
      expect(await again.json()).toEqual({ accepted: false, repeat: true });
      const fresh = await fetch(`${server.url}/status?node=node1&phase=booted&boot=3&token=${TOKEN}`);
      expect(await fresh.json()).toEqual({ accepted: true, repeat: false });
      expect(appended.map((e) => e.data?.boot)).toEqual([3]);
    } finally {
      await server.close();
    }
  });
});
