import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployTwinError, UsageError } from '../../../src/errors.ts';
import type { Clock } from '../../../src/ports/index.ts';
import { openStore, type Store } from '../../../src/real/store/open-store.ts';
import { MemoryJournal } from '../../../src/twin/ports/memory-journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'dt-journal-'));
const opened: Store[] = [];
afterAll(() => {
  for (const s of opened) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A clock the test moves by hand. */
function manualClock(start = 0): Clock & { t: number } {
  return { t: start, now() { return this.t; }, sleep: async () => {} };
}

let files = 0;
function fresh(clock: Clock = manualClock()): Store {
  const store = openStore(join(dir, `j${++files}.db`), clock);
  opened.push(store);
  return store;
}

async function failure(p: Promise<unknown>): Promise<DeployTwinError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!(e instanceof DeployTwinError)) throw new Error(`expected a DeployTwinError, got ${String(e)}`);
  return e;
}

describe('SqliteJournal', () => {
  it('numbers entries 1, 2, 3, stamps the clock when no time is given and keeps a given time', async () => {
    const clock = manualClock(1700000000.25);
    const { journal } = fresh(clock);
    const a = await journal.append({ type: 'power.on', node: 'n1' });
    clock.t += 4;
    const b = await journal.append({ type: 'boot.write', node: 'n1', data: { kernel: 'vmlinuz' } });
    const c = await journal.append({ type: 'phase.report', at: 1.5, data: { phase: 'dhcp' } });
    expect([a, b, c]).toEqual([
      { seq: 1, at: 1700000000.25, type: 'power.on', node: 'n1' },
      { seq: 2, at: 1700000004.25, type: 'boot.write', node: 'n1', data: { kernel: 'vmlinuz' } },
      { seq: 3, at: 1.5, type: 'phase.report', data: { phase: 'dhcp' } },
    ]);
    expect(await journal.entries()).toEqual([a, b, c]);
  });

  it('returns the entries after a seq, for whole, fractional and out-of-range seqs', async () => {
    const { journal } = fresh();
    for (let i = 0; i < 4; i++) await journal.append({ type: `t${i}` });
    const seqs = async (after?: number) => (await journal.entries(after)).map((e) => e.seq);
    expect(await seqs()).toEqual([1, 2, 3, 4]);
    expect(await seqs(2)).toEqual([3, 4]);
    expect(await seqs(2.5)).toEqual([3, 4]);
    expect(await seqs(-3)).toEqual([1, 2, 3, 4]);
    expect(await seqs(4)).toEqual([]);
    expect(await seqs(Infinity)).toEqual([]);
    expect(await seqs(-Infinity)).toEqual([1, 2, 3, 4]);
    expect((await failure(journal.entries(NaN))).code).toBe('DT_JOURNAL_BAD_ARGUMENT');
  });

  it('numbers concurrent appends in call order', async () => {
    const { journal } = fresh();
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => journal.append({ type: 'x', data: { i } })));
    expect(all.map((e) => [e.seq, e.data!.i])).toEqual(Array.from({ length: 20 }, (_, i) => [i + 1, i]));
  });

  it('cannot be rewritten through the appended object or a returned entry', async () => {
    const { journal } = fresh();
    const data = { list: [1, 2], deep: { x: 1 } };
    const e = await journal.append({ type: 't', data });
    data.list.push(3);
    data.deep.x = 9;
    expect(Object.isFrozen(e) && Object.isFrozen(e.data!.list)).toBe(true);
    expect(() => ((e.data!.deep as { x: number }).x = 5)).toThrow(TypeError);
    expect((await journal.entries())[0].data).toEqual({ list: [1, 2], deep: { x: 1 } });
  });

  it('refuses entries JSON cannot carry, naming the field, and numbers nothing for them', async () => {
    const { journal } = fresh();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: unknown[] = [
      null,
      { type: '' },
      { type: 't', at: NaN },
      { type: 't', node: 3 },
      { type: 't', data: [1] },
      { type: 't', data: { x: NaN } },
      { type: 't', data: { d: new Date(0) } },
      { type: 't', data: { f: () => 1 } },
      { type: 't', data: { a: [undefined] } },
      { type: 't', data: cyclic },
      { type: 't', extra: 1 },
    ];
    for (const input of bad) {
      const e = await failure(journal.append(input as never));
      expect(e).toBeInstanceOf(UsageError);
      expect(e.code).toBe('DT_JOURNAL_BAD_ARGUMENT');
    }
    expect((await failure(journal.append({ type: 't', data: { x: { y: Infinity } } }))).message).toContain('data.x.y is Infinity');
    expect((await journal.append({ type: 'ok' })).seq).toBe(1);
  });

  it('survives closing and reopening the file, and continues the numbering', async () => {
    const file = join(dir, 'reopen.db');
    const first = openStore(file, manualClock(5));
    await first.journal.append({ type: 'a', node: 'n1', data: { v: 0.1 + 0.2 } });
    first.close();
    expect((await failure(first.journal.append({ type: 'late' }))).code).toBe('DT_STORE_CLOSED');
    first.close(); // idempotent
    const second = openStore(file, manualClock(6));
    opened.push(second);
    await second.journal.append({ type: 'b' });
    expect(await second.journal.entries()).toEqual([
      { seq: 1, at: 5, type: 'a', node: 'n1', data: { v: 0.1 + 0.2 } },
      { seq: 2, at: 6, type: 'b' },
    ]);
  });

  it('property: gives back exactly what the in-memory journal gives for the same appends', async () => {
    const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    const entry = fc.record(
      {
        type: fc.string({ minLength: 1, maxLength: 12 }),
        node: fc.string({ maxLength: 8 }),
        at: fc.double({ noNaN: true, noDefaultInfinity: true }),
        data: fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 4 }),
      },
      { requiredKeys: ['type'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 25 }), fc.nat(30), async (inputs, after) => {
        const clock = manualClock(42);
        const memory = new MemoryJournal(clock);
        const { journal } = fresh(clock);
        for (const input of inputs) expect(await journal.append(input)).toEqual(await memory.append(input));
        expect(await journal.entries()).toEqual(await memory.entries());
        expect(await journal.entries(after)).toEqual(await memory.entries(after));
      }),
      { numRuns: 60 },
    );
  });
});
