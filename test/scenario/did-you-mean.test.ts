import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { damerauLevenshtein, didYouMean } from '../../src/scenario/did-you-mean.ts';

describe('damerauLevenshtein', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['nodesPerRak', 'nodesPerRack', 1],
    ['nodesPerRakc', 'nodesPerRack', 1], // one transposition
    ['rely', 'relay', 1],
    ['ca', 'abc', 2], // transposition then insertion: the restricted (OSA) variant says 3
    ['abcdef', 'abcdef', 0],
  ])('d(%j, %j) = %d', (a, b, d) => {
    expect(damerauLevenshtein(a, b)).toBe(d);
  });

  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 7 });

  it('is a metric', () => {
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        const ab = damerauLevenshtein(a, b);
        expect(ab).toBe(damerauLevenshtein(b, a));
        expect(ab === 0).toBe(a === b);
        expect(damerauLevenshtein(a, c)).toBeLessThanOrEqual(ab + damerauLevenshtein(b, c));
        expect(ab).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(ab).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });

  it('counts one adjacent transposition as one edit', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 12 }), fc.nat(), (s, k) => {
        const i = k % (s.length - 1);
        fc.pre(s[i] !== s[i + 1]);
        const swapped = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
        expect(damerauLevenshtein(s, swapped)).toBe(1);
      }),
    );
  });
});

describe('didYouMean', () => {
  it('suggests the closest candidate within max(2, length / 3) edits', () => {
    expect(didYouMean('nodesPerRak', ['racks', 'nodesPerRack', 'access'])).toBe('nodesPerRack');
    expect(didYouMean('rely', ['flat', 'relay'])).toBe('relay');
    expect(didYouMean('imgae', ['image', 'nodes'])).toBe('image');
    expect(didYouMean('bandwidthUplink', ['uplinkBandwidth'])).toBeUndefined();
    expect(didYouMean('xy', ['ab'])).toBeUndefined();
    expect(didYouMean('anything', [])).toBeUndefined();
  });

  it('prefers the earlier candidate on ties, for stable messages', () => {
    expect(didYouMean('cat', ['bat', 'hat'])).toBe('bat');
  });
});
