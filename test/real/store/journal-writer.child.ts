/**
 * Child process for the crash tests: appends journal entries to the store given on the command
 * line, forever or up to a count, and prints each entry's seq once its append has resolved.
 *
 *   node --import tsx journal-writer.child.ts <file> <tag> <count|forever> [burst]
 *
 * Entry i of a writer carries data derived from (tag, i) only, so the parent can check every
 * stored entry for tearing. With "burst", appends are issued 8 at a time without waiting.
 * BUSY_TIMEOUT (seconds, default 10) is how long a write waits for another writer's lock. With
 * WAIT_GO set, the writer opens the store, prints "ready" and starts on its first stdin line. With
 * PAUSE_AT=n, once its first n appends have resolved it prints "paused" and waits for the next
 * stdin line (so a test can make two writers interleave whatever the scheduler does).
 */
import { WallClock } from '../../../src/real/clock.ts';
import { openStore } from '../../../src/real/store/open-store.ts';

export function expectedData(tag: string, i: number): Record<string, unknown> {
  return { tag, i, pad: `${tag}:${i}:`.repeat(1 + (i % 97)), nested: { odd: i % 2 === 1, list: [i, i * 2, i * 3] } };
}

async function main(): Promise<void> {
  const [file, tag, countArg, mode] = process.argv.slice(2);
  const count = countArg === 'forever' ? Infinity : Number(countArg);
  const store = openStore(file, new WallClock(), { busyTimeout: Number(process.env.BUSY_TIMEOUT ?? 10) });
  const burst = mode === 'burst' ? 8 : 1;
  const pauseAt = process.env.PAUSE_AT === undefined ? Infinity : Number(process.env.PAUSE_AT);
  const nextLine = (): Promise<unknown> => new Promise((resolve) => process.stdin.once('data', resolve));
  if (process.env.WAIT_GO) {
    process.stdout.write('ready\n');
    await nextLine();
  }
  if (pauseAt === Infinity) process.stdin.destroy();
  for (let i = 1; i <= count; i += burst) {
    if (i === pauseAt + 1) {
      process.stdout.write('paused\n');
      await nextLine();
      process.stdin.destroy();
    }
    const batch: Array<Promise<unknown>> = [];
    for (let k = i; k < i + burst && k <= count; k++) {
      batch.push(store.journal.append({ type: 'test.tick', node: `${tag}${k % 7}`, data: expectedData(tag, k) }).then((e) => process.stdout.write(`${e.seq}\n`)));
    }
    await Promise.all(batch);
  }
  store.close();
}

if (process.argv[1]?.endsWith('journal-writer.child.ts')) {
  main().catch((e: unknown) => {
    const code = (e as { code?: string }).code ?? 'no code';
    process.stderr.write(`${code}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
