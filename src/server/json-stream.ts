/**
 * Large JSON answers (a 13,000-node run's trace is 20 MB) written as a stream, a few thousand
 * array items at a time with a turn of the event loop between, instead of one JSON.stringify
 * that would hold every other request and WebSocket for seconds.
 */
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Items serialised per chunk. */
const CHUNK = 2000;

/**
 * The JSON text of `{...head, [key]: [item(0), ..., item(count - 1)]}` (the array last), as a
 * stream; `item(i)` is called as the stream is read.
 */
export function jsonWithArray(head: Record<string, unknown>, key: string, count: number, item: (i: number) => unknown): Readable {
  async function* chunks(): AsyncGenerator<string> {
    const open = JSON.stringify(head);
    yield `${open.slice(0, -1)}${open === '{}' ? '' : ','}${JSON.stringify(key)}:[`;
    for (let from = 0; from < count; from += CHUNK) {
      if (from > 0) await nextTurn();
      const parts: string[] = [];
      for (let i = from; i < Math.min(count, from + CHUNK); i++) parts.push(JSON.stringify(item(i)));
      yield (from > 0 ? ',' : '') + parts.join(',');
    }
    yield ']}';
  }
  return Readable.from(chunks());
}
