/**
 * Sets of digit strings ("7", "07", "10", ...) stored as intervals, the building block for
 * compressing and counting host names without listing them.
 *
 * A digit string is identified by its length and its value: "7" is (1, 7) and "07" is (2, 7), two
 * different host-name parts. Per length, values are kept as sorted disjoint inclusive intervals.
 */
import { pad, type RangeItem } from './hostlist-parse.ts';

type Interval = readonly [lo: number, hi: number];

const digits = (v: number) => String(v).length;

/** Merges sorted-or-not intervals into sorted, disjoint, non-adjacent ones. */
function normalise(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export class DigitSet {
  /** string length -> intervals of values, normalised. */
  private readonly byLength: ReadonlyMap<number, readonly Interval[]>;

  private constructor(byLength: Map<number, Interval[]>) {
    const lengths = [...byLength.keys()].sort((a, b) => a - b);
    this.byLength = new Map(lengths.map((l) => [l, normalise(byLength.get(l) as Interval[])]));
  }

  static fromStrings(strings: Iterable<string>): DigitSet {
    const m = new Map<number, Interval[]>();
    for (const s of strings) push(m, s.length, [Number(s), Number(s)]);
    return new DigitSet(m);
  }

  /** The strings a bracket item "lo-hi" (padded to width) expands to, split by printed length. */
  static fromItem(item: RangeItem): DigitSet {
    const m = new Map<number, Interval[]>();
    for (let len = item.width; len <= Math.max(item.width, digits(item.hi)); len++) {
      const lo = len === item.width ? item.lo : Math.max(item.lo, 10 ** (len - 1));
      const hi = Math.min(item.hi, 10 ** len - 1);
      if (lo <= hi) push(m, len, [lo, hi]);
    }
    return new DigitSet(m);
  }

  static union(sets: Iterable<DigitSet>): DigitSet {
    const m = new Map<number, Interval[]>();
    for (const s of sets) for (const [len, intervals] of s.byLength) for (const iv of intervals) push(m, len, iv);
    return new DigitSet(m);
  }

  get size(): number {
    let n = 0;
    for (const intervals of this.byLength.values()) for (const [lo, hi] of intervals) n += hi - lo + 1;
    return n;
  }

  has(s: string): boolean {
    const v = Number(s);
    return (this.byLength.get(s.length) ?? []).some(([lo, hi]) => lo <= v && v <= hi);
  }

  /** The only string, if the set has exactly one. */
  get single(): string | undefined {
    if (this.size !== 1) return undefined;
    const [[len, [[v]]]] = this.byLength;
    return pad(v, len);
  }

  /** The smallest member, ordered by value then length ("7" < "07" < "8"), for sorting output. */
  get min(): readonly [value: number, length: number] {
    let best: [number, number] = [Infinity, Infinity];
    for (const [len, intervals] of this.byLength) {
      const v = intervals[0][0];
      if (v < best[0] || (v === best[0] && len < best[1])) best = [v, len];
    }
    return best;
  }

  /** A canonical text for equality tests and map keys. */
  get key(): string {
    return [...this.byLength].map(([len, ivs]) => `${len}:${ivs.map(([a, b]) => `${a}-${b}`).join(',')}`).join(';');
  }

  /**
   * The fewest-items-we-reasonably-can list of bracket items covering exactly this set.
   *
   * Values printed at their natural length ("7", "10", "169") can share one item whatever their
   * length, so they are merged across lengths ("1-169"). Zero-padded strings need an item whose
   * start has that width ("001-099"); such an item also prints every value past the padding at its
   * natural length, so it absorbs a natural run that starts exactly there ("01-100").
   */
  toItems(): RangeItem[] {
    const natural: Array<[number, number]> = normalise(
      [...this.byLength].flatMap(([len, ivs]) => clip(ivs, len === 1 ? 0 : 10 ** (len - 1), 10 ** len - 1)),
    ).map(([a, b]) => [a, b]);
    const items: RangeItem[] = [];
    for (const [len, ivs] of this.byLength) {
      if (len === 1) continue;
      const top = 10 ** (len - 1);
      for (const [lo, hi] of clip(ivs, 0, top - 1)) {
        let end = hi;
        const run = hi === top - 1 ? natural.findIndex(([a]) => a === top) : -1;
        if (run >= 0) {
          end = natural[run][1];
          natural.splice(run, 1);
        }
        items.push({ lo, hi: end, width: len });
      }
    }
    for (const [lo, hi] of natural) items.push({ lo, hi, width: digits(lo) });
    return items.sort((x, y) => x.lo - y.lo || x.width - y.width);
  }

  /** "7", or "[1-3,07]" when there is more than one string. */
  toText(): string {
    const one = this.single;
    if (one !== undefined) return one;
    const text = this.toItems().map((r) => (r.lo === r.hi ? pad(r.lo, r.width) : `${pad(r.lo, r.width)}-${pad(r.hi, r.width)}`));
    return `[${text.join(',')}]`;
  }
}

function push(m: Map<number, Interval[]>, len: number, iv: Interval): void {
  const list = m.get(len);
  if (list) list.push(iv);
  else m.set(len, [iv]);
}

function clip(ivs: readonly Interval[], lo: number, hi: number): Interval[] {
  return ivs.map(([a, b]) => [Math.max(a, lo), Math.min(b, hi)] as const).filter(([a, b]) => a <= b);
}

/** Orders two members of digit sets (value, length) the way output should list them. */
export function compareMin(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
