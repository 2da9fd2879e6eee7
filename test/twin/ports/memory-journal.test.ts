import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../../src/engine/engine.ts';
import { UsageError } from '../../../src/errors.ts';
import type { JournalEntry } from '../../../src/ports/index.ts';
import { EngineClock } from '../../../src/twin/ports/engine-clock.ts';
import { MemoryJournal, type JournalInput } from '../../../src/twin/ports/memory-journal.ts';
import { errorOf } from '../../helpers/error-of.ts';

function fresh(): { engine: Engine; clock: EngineClock; journal: MemoryJournal } {
  const engine = new Engine();
  const clock = new EngineClock(engine);
  return { engine, clock, journal: new MemoryJournal(clock) };
}

async function failure(p: Promise<unknown>): Promise<UsageError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof UsageError)) throw new Error(`expected a UsageError, got ${String(e)}`);
  return e;
}

const thrown = errorOf;

describe('MemoryJournal append and entries', () => {
  it('numbers entries 1, 2, 3 and stamps the clock time when no time is given', async () => {
    const { engine, clock, journal } = fresh();
    const got: JournalEntry[] = [];
    engine.process(async () => {
      got.push(await journal.append({ type: 'power.on', node: 'n1' }));
      await clock.sleep(4);
      got.push(await journal.append({ type: 'boot.write', node: 'n1', data: { kernel: 'vmlinuz' } }));
      got.push(await journal.append({ type: 'phase.report', at: 1.5, node: 'n1', data: { phase: 'dhcp' } }));
    });
    await engine.run();
    expect(got).toEqual([
      { seq: 1, at: 0, type: 'power.on', node: 'n1' },
      { seq: 2, at: 4, type: 'boot.write', node: 'n1', data: { kernel: 'vmlinuz' } },
      { seq: 3, at: 1.5, type: 'phase.report', node: 'n1', data: { phase: 'dhcp' } },
    ]);
    expect(journal.size).toBe(3);
    expect(await journal.entries()).toEqual(got);
  });

  it('returns the entries after a seq, for whole and fractional seqs and out of range', async () => {
    const { journal } = fresh();
    for (let i = 0; i < 4; i++) await journal.append({ type: `t${i}` });
    const seqs = async (after?: number) => (await journal.entries(after)).map((e) => e.seq);
    expect(await seqs()).toEqual([1, 2, 3, 4]);
    expect(await seqs(0)).toEqual([1, 2, 3, 4]);
    expect(await seqs(2)).toEqual([3, 4]);
    expect(await seqs(2.5)).toEqual([3, 4]);
    expect(await seqs(-7)).toEqual([1, 2, 3, 4]);
    expect(await seqs(4)).toEqual([]);
    expect(await seqs(99)).toEqual([]);
    expect((await failure(journal.entries(NaN))).code).toBe('DT_JOURNAL_BAD_ARGUMENT');
  });

  it('cannot be rewritten: through the appended object, the returned entry or a listing', async () => {
    const { journal } = fresh();
    const data = { files: ['a', 'b'], size: { bytes: 10 } };
    const input: JournalInput = { type: 'publish', data };
    const entry = await journal.append(input);
    data.files.push('c');
    data.size.bytes = 99;
    input.type = 'changed';
    expect(() => {
      entry.type = 'x';
    }).toThrow(TypeError);
    expect(() => {
      (entry.data!.files as string[]).push('d');
    }).toThrow(TypeError);
    const listing = await journal.entries();
    listing.pop();
    expect(await journal.entries()).toEqual([{ seq: 1, at: 0, type: 'publish', data: { files: ['a', 'b'], size: { bytes: 10 } } }]);
  });

  it('keeps plain JSON data only, dropping undefined properties as JSON does', async () => {
    const { journal } = fresh();
    const e = await journal.append({ type: 't', node: undefined, data: { a: 1, b: undefined, c: { d: undefined, e: -0 } } });
    expect(e).toEqual({ seq: 1, at: 0, type: 't', data: { a: 1, c: { e: 0 } } });
    expect(Object.keys(e)).toEqual(['seq', 'at', 'type', 'data']);
    expect(Object.is((e.data!.c as { e: number }).e, 0)).toBe(true);
  });

  it('refuses entries JSON cannot carry, naming the field, and numbers nothing for them', async () => {
    const { journal } = fresh();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: Array<[unknown, RegExp]> = [
      [{ at: 1 }, /"type" must be a non-empty string/],
      [{ type: '' }, /"type" must be a non-empty string/],
      [{ type: 't', at: NaN }, /"at" must be a finite number/],
      [{ type: 't', at: Infinity }, /"at" must be a finite number/],
      [{ type: 't', node: 3 }, /"node" must be a string/],
      [{ type: 't', data: [1] }, /"data" must be an object/],
      [{ type: 't', data: { x: NaN } }, /data\.x is NaN/],
      [{ type: 't', data: { x: [1, undefined] } }, /data\.x\[1\] is undefined/],
      [{ type: 't', data: { when: new Date(0) } }, /data\.when is a Date/],
      [{ type: 't', data: { f: () => 1 } }, /data\.f is a function/],
      [{ type: 't', data: { n: 1n } }, /data\.n is a bigint/],
      [{ type: 't', data: cyclic }, /data\.self refers back to itself/],
      [null, /must be an object/],
    ];
    for (const [input, message] of cases) {
      const e = await failure(journal.append(input as JournalInput));
      expect(e.code).toBe('DT_JOURNAL_BAD_ARGUMENT');
      expect(e.message).toMatch(message);
    }
    expect(journal.size).toBe(0);
    expect((await journal.append({ type: 'ok' })).seq).toBe(1);
  });

  it('allows the same object twice in data when it is not a cycle', async () => {
    const { journal } = fresh();
    const shared = { x: 1 };
    const e = await journal.append({ type: 't', data: { a: shared, b: shared } });
    expect(e.data).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
});

describe('MemoryJournal JSON lines', () => {
  it('writes one entry per line and reads it back, continuing the numbering', async () => {
    const { clock, journal } = fresh();
    await journal.append({ type: 'power.on', at: 1, node: 'n1' });
    await journal.append({ type: 'note', at: 2.25, data: { why: 'x' } });
    const text = journal.toJSONLines();
    expect(text).toBe('{"seq":1,"at":1,"type":"power.on","node":"n1"}\n{"seq":2,"at":2.25,"type":"note","data":{"why":"x"}}\n');
    const again = MemoryJournal.fromJSONLines(text, clock);
    expect(await again.entries()).toEqual(await journal.entries());
    expect(await again.append({ type: 'next' })).toEqual({ seq: 3, at: 0, type: 'next' });
    expect(Object.isFrozen((await again.entries())[1].data)).toBe(true);
  });

  it('reads an empty text, a missing final newline and CRLF line ends', async () => {
    const { clock } = fresh();
    expect(MemoryJournal.fromJSONLines('', clock).size).toBe(0);
    const j = MemoryJournal.fromJSONLines('{"seq":1,"at":0,"type":"a"}\r\n{"seq":2,"at":0,"type":"b"}', clock);
    expect((await j.entries()).map((e) => e.type)).toEqual(['a', 'b']);
  });

  it('names the first bad line and what is wrong with it', () => {
    const { clock } = fresh();
    const good = '{"seq":1,"at":0,"type":"a"}\n';
    const cases: Array<[string, RegExp]> = [
      [good + '{"seq":2,"at":0,"type":\n', /^journal line 2: is not JSON/],
      [good + '\n{"seq":2,"at":0,"type":"b"}\n', /^journal line 2: is empty/],
      [good + '[1,2]\n', /^journal line 2: is not a JSON object/],
      [good + '{"seq":3,"at":0,"type":"b"}\n', /^journal line 2: "seq" must be 2 .* got 3/],
      [good + '{"seq":2,"at":"0","type":"b"}\n', /^journal line 2: "at" must be a finite number/],
      [good + '{"seq":2,"at":0,"type":"b","extra":1}\n', /^journal line 2: unknown field "extra"/],
      [good + '{"seq":2,"at":0,"type":"b","data":[]}\n', /^journal line 2: "data" must be an object/],
      ['{"seq":0,"at":0,"type":"a"}\n', /^journal line 1: "seq" must be 1/],
    ];
    for (const [text, message] of cases) {
      const e = thrown(() => MemoryJournal.fromJSONLines(text, clock));
      expect(e.code).toBe('DT_JOURNAL_BAD_LINE');
      expect(e.message).toMatch(message);
    }
  });

  it('property: seqs are 1..n strictly increasing, entries hold JSON copies, and a JSON-lines round trip gives them back', async () => {
    const input = fc.record(
      {
        type: fc.string({ minLength: 1 }),
        at: fc.double({ noNaN: true, noDefaultInfinity: true }),
        node: fc.string(),
        data: fc.dictionary(fc.string(), fc.jsonValue()),
      },
      { requiredKeys: ['type'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(input, { maxLength: 30 }), fc.nat(35), async (inputs, after) => {
        const { clock, journal } = fresh();
        for (const i of inputs) await journal.append(i);
        const all = await journal.entries();
        expect(all.map((e) => e.seq)).toEqual(inputs.map((_, k) => k + 1));
        all.forEach((e, k) => {
          const expected = JSON.parse(JSON.stringify({ ...inputs[k], at: inputs[k].at ?? 0 }));
          expect({ at: e.at, type: e.type, node: e.node, data: e.data }).toEqual({ node: undefined, data: undefined, ...expected });
        });
        const text = journal.toJSONLines();
        const again = MemoryJournal.fromJSONLines(text, clock);
        expect(await again.entries()).toEqual(all);
        expect(await again.entries(after)).toEqual(all.filter((e) => e.seq > after));
        expect(again.toJSONLines()).toBe(text);
      }),
    );
  });
});
