import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.ts';
import {
  compressHostlist,
  expandHostlist,
  hostlistCount,
  hostlistDifference,
  hostlistIntersection,
  hostlistUnion,
} from '../../src/scenario/hostlist.ts';
import { errorOf } from '../helpers/error-of.ts';


describe('expandHostlist', () => {
  it.each<[string, string[]]>([
    ['node[001-003]', ['node001', 'node002', 'node003']],
    ['node[1-3,7,10-12]', ['node1', 'node2', 'node3', 'node7', 'node10', 'node11', 'node12']],
    ['rack[1-2]-node[01-02]', ['rack1-node01', 'rack1-node02', 'rack2-node01', 'rack2-node02']],
    ['node[1-2],gpu[01-02],login1', ['node1', 'node2', 'gpu01', 'gpu02', 'login1']],
    ['node[08-10]', ['node08', 'node09', 'node10']],
    ['node[098-100]', ['node098', 'node099', 'node100']],
    ['node[3,1,2,1]', ['node3', 'node1', 'node2']],
    ['login1, login2', ['login1', 'login2']],
    ['[1-3]', ['1', '2', '3']],
    ['a.b-c_d', ['a.b-c_d']],
    ['', []],
  ])('%s', (expr, names) => {
    expect(expandHostlist(expr)).toEqual(names);
  });

  it('counts node[001-169] without surprises', () => {
    const names = expandHostlist('node[001-169]');
    expect(names).toHaveLength(169);
    expect(names[0]).toBe('node001');
    expect(names[168]).toBe('node169');
  });

  it.each<[string, string]>([
    ['node[5-3]', 'range "5-3" goes backwards'],
    ['node[1-3', '"[" at position 5 is never closed'],
    ['node1-3]', '"]" at position 8 has no matching "["'],
    ['node[[1-3]]', 'nested "["'],
    ['node[]', 'empty brackets'],
    ['node[1,,3]', 'empty range in "[1,,3]"'],
    ['node[a-c]', '"a-c" in "[a-c]" is not a number or a range'],
    ['node[1-]', '"1-" in "[1-]" is not a number or a range'],
    ['node[1-9/2]', 'steps ("1-9/2") are not supported'],
    ['a,,b', 'empty name at position 3'],
    ['node1,', 'empty name at position 7'],
    ['@compute', 'node groups and set operators'],
    ['node 1', 'unexpected character " "'],
    ['node[1-100000000]', 'describes 100,000,000 names, more than the limit of 10,000,000'],
    ['n[1-5000][1-5000]', 'describes 25,000,000 names'],
  ])('rejects %j', (expr, message) => {
    const e = errorOf(() => expandHostlist(expr));
    expect(e.code).toBe(ErrorCodes.HOSTLIST_INVALID);
    expect(e.message).toContain(message);
    expect(e.message).toContain(JSON.stringify(expr));
  });
});

describe('compressHostlist', () => {
  it.each<[string[], string]>([
    [['node3', 'node1', 'node2'], 'node[1-3]'],
    [['node9', 'node10', 'node11'], 'node[9-11]'],
    [['node001', 'node002', 'node169'], 'node[001-002,169]'],
    [['node08', 'node09', 'node10'], 'node[08-10]'],
    [['login1', 'node2', 'gpu01', 'node1', 'gpu02'], 'gpu[01-02],login1,node[1-2]'],
    [['rack1-node01', 'rack1-node02', 'rack2-node01', 'rack2-node02'], 'rack[1-2]-node[01-02]'],
    [['rack1-node01', 'rack1-node02', 'rack2-node01'], 'rack1-node[01-02],rack2-node01'],
    [['node7', 'node07', 'node007'], 'node[7,07,007]'],
    [['frontend', 'node1', 'node1'], 'frontend,node1'],
    [[], ''],
  ])('%j -> %s', (names, expr) => {
    expect(compressHostlist(names)).toBe(expr);
  });

  it('rejects names that could not be written back', () => {
    expect(errorOf(() => compressHostlist(['node[1]'])).code).toBe(ErrorCodes.HOSTLIST_INVALID);
    expect(errorOf(() => compressHostlist(['a,b'])).message).toContain('"a,b"');
    expect(errorOf(() => compressHostlist([''])).code).toBe(ErrorCodes.HOSTLIST_INVALID);
  });
});

describe('set operations and counting', () => {
  it('closed-form examples', () => {
    expect(hostlistUnion('node[1-5]', 'node[4-9],login1')).toBe('login1,node[1-9]');
    expect(hostlistDifference('node[1-10]', 'node[3-4]')).toBe('node[1-2,5-10]');
    expect(hostlistIntersection('node[1-10]', 'node[5-20]')).toBe('node[5-10]');
    expect(hostlistIntersection('node[1-3]', 'gpu[1-3]')).toBe('');
  });

  it.each<[string, number]>([
    ['node[001-169]', 169],
    ['node[9-11],node[10-12]', 4],
    ['node[1-9000000]', 9_000_000],
    ['node[1-5000000],node[2500000-7000000]', 7_000_000],
    ['rack[1-100]-node[1-1000]', 100_000],
    ['n[1-12][1-12]', 142], // "1"+"11" and "11"+"1" are the same name
    ['n1[0-5],n[10-12]', 6],
    ['node[1-10],node[01-10]', 19], // node10 is written both ways
    ['r[1-3]n[1-3],r[2-4]n[2-4]', 14],
    ['login1,login1', 1],
    ['', 0],
  ])('hostlistCount(%s) = %d', (expr, n) => {
    expect(hostlistCount(expr)).toBe(n);
  });
});

// Random names and expressions over a few patterns, with mixed padding and overlaps.
const prefix = fc.constantFrom('node', 'gpu', 'n', 'x-', 'rack1-node', 'a.b');
const digitString = fc.tuple(fc.nat(130), fc.integer({ min: 1, max: 3 })).map(([v, w]) => String(v).padStart(w, '0'));
const name = fc.oneof(
  fc.tuple(prefix, digitString).map(([p, d]) => `${p}${d}`),
  fc.tuple(digitString, digitString).map(([a, b]) => `r${a}n${b}`),
  fc.constantFrom('login', 'frontend', 'nfs-io'),
);
const nameSet = fc.uniqueArray(name, { maxLength: 60 });

const rangeItem = fc.tuple(fc.nat(120), fc.nat(15), fc.integer({ min: 1, max: 3 })).map(([lo, len, w]) => {
  const start = String(lo).padStart(w, '0');
  return len === 0 ? start : `${start}-${lo + len}`;
});
const group = fc.array(rangeItem, { minLength: 1, maxLength: 3 }).map((items) => `[${items.join(',')}]`);
const pattern = fc.oneof(
  fc.tuple(prefix, group).map(([p, g]) => p + g),
  fc.tuple(group, group).map(([a, b]) => `r${a}n${b}`),
  fc.tuple(group, group).map(([a, b]) => `n${a}${b}`), // glued groups: names may repeat
  fc.tuple(prefix, digitString).map(([p, d]) => p + d),
);
const expression = fc.array(pattern, { minLength: 1, maxLength: 4 }).map((ps) => ps.join(','));

/** Numeric order within a pattern: node9 < node10; patterns by their text. */
function numericCompare(a: string, b: string): number {
  const ta = a.split(/(\d+)/);
  const tb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    if (ta[i] === tb[i]) continue;
    if (i % 2 === 1) return Number(ta[i]) - Number(tb[i]) || ta[i].length - tb[i].length;
    return ta[i] < tb[i] ? -1 : 1;
  }
  return ta.length - tb.length;
}

describe('properties', () => {
  it('expand(compress(set)) gives back the set', () => {
    fc.assert(
      fc.property(nameSet, (names) => {
        const back = expandHostlist(compressHostlist(names));
        expect(back).toHaveLength(names.length);
        expect(new Set(back)).toEqual(new Set(names));
      }),
      { numRuns: 500 },
    );
  });

  it('single-run names with one padding come back in numeric order', () => {
    const values = fc.uniqueArray(fc.nat(2000), { maxLength: 80 });
    fc.assert(
      fc.property(prefix, values, fc.boolean(), (p, vs, padded) => {
        const names = vs.map((v) => `${p}${padded ? String(v).padStart(4, '0') : v}`);
        const back = expandHostlist(compressHostlist(names));
        expect(back).toEqual([...names].sort(numericCompare));
      }),
    );
  });

  it('compress is idempotent', () => {
    fc.assert(
      fc.property(nameSet, (names) => {
        const once = compressHostlist(names);
        expect(compressHostlist(expandHostlist(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('compress does not depend on the order of its input', () => {
    fc.assert(
      fc.property(nameSet, (names) => {
        expect(compressHostlist([...names].reverse())).toBe(compressHostlist(names));
      }),
    );
  });

  it('union, intersection and difference agree with Set operations on names', () => {
    fc.assert(
      fc.property(expression, expression, (a, b) => {
        const A = new Set(expandHostlist(a));
        const B = new Set(expandHostlist(b));
        expect(new Set(expandHostlist(hostlistUnion(a, b)))).toEqual(new Set([...A, ...B]));
        expect(new Set(expandHostlist(hostlistIntersection(a, b)))).toEqual(new Set([...A].filter((n) => B.has(n))));
        expect(new Set(expandHostlist(hostlistDifference(a, b)))).toEqual(new Set([...A].filter((n) => !B.has(n))));
      }),
      { numRuns: 300 },
    );
  });

  it('hostlistCount equals the number of distinct expanded names', () => {
    fc.assert(
      fc.property(expression, (e) => {
        expect(hostlistCount(e)).toBe(expandHostlist(e).length);
      }),
      { numRuns: 500 },
    );
  });

  it('expanding a compressed expression lists each name once', () => {
    fc.assert(
      fc.property(expression, (e) => {
        const names = expandHostlist(compressHostlist(expandHostlist(e)));
        expect(new Set(names).size).toBe(names.length);
      }),
    );
  });
});
