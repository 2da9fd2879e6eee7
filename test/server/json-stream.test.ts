/** Streamed JSON answers and the merge of a run's live and result events. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonWithArray } from '../../src/server/json-stream.ts';
import { fromColumns, toColumns } from '../../src/server/record-columns.ts';
import { mergeByTime } from '../../src/server/run-source.ts';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('jsonWithArray', () => {
  it('streams exactly the JSON of {...head, key: items}, whatever the head and the number of items', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue(), { maxLength: 4500 }), async (head, items) => {
        const key = 'list';
        const { list: _dropped, ...rest } = head;
        const streamed = await text(jsonWithArray(rest, key, items.length, (i) => items[i]));
        expect(JSON.parse(streamed)).toEqual(JSON.parse(JSON.stringify({ ...rest, [key]: items })));
      }),
      { numRuns: 30 },
    );
    // Several chunks (2,000 items each), and none.
    const many = Array.from({ length: 4501 }, (_, i) => ({ i, half: i / 2 }));
    expect(JSON.parse(await text(jsonWithArray({ a: 1 }, 'items', many.length, (i) => many[i])))).toEqual({ a: 1, items: many });
    expect(await text(jsonWithArray({}, 'items', 0, () => 0))).toBe('{"items":[]}');
  });
});

describe('mergeByTime', () => {
  it('merges two runs sorted by time into one, first part first at equal times (as a stable sort would)', () => {
    const sorted = (xs: number[], tag: string) => xs.sort((a, b) => a - b).map((t, i) => ({ t, id: `${tag}${i}` }));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 })), fc.array(fc.integer({ min: 0, max: 20 })), (a, b) => {
        const events = [...sorted(a, 'a'), ...sorted(b, 'b')];
        expect(mergeByTime(events, a.length)).toEqual([...events].sort((x, y) => x.t - y.t));
      }),
    );
  });
});

describe('record columns', () => {
  it('carry records unchanged', () => {
    const records = [
      { node: 3, phase: 'initrd', start: 0.1, end: 1 / 3 },
      { node: 0, phase: 'rootfs', start: 5, end: 1e9 },
      { node: 3, phase: 'initrd', start: 2, end: 2 },
    ];
    expect(fromColumns(toColumns(records))).toEqual(records);
  });
});
