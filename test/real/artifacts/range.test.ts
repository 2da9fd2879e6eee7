import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentRange, parseRange } from '../../../src/real/artifacts/range.ts';

describe('parseRange', () => {
  it('reads the single-range forms', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=90-1000', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-1000', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('Bytes = 5 - 5', 100)).toEqual({ kind: 'partial', start: 5, end: 5 });
  });

  it('calls a range past the end, or an empty suffix, unsatisfiable', () => {
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=100-200', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=99999999999999999999-', 100)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores (whole file) what it does not serve: invalid syntax, other units, several ranges', () => {
    for (const h of ['bytes=5-2', 'bytes=-', 'bytes=a-b', 'items=0-5', 'bytes=0-1,5-6', 'bytes 0-5', '', 'bytes=1.5-3']) {
      expect(parseRange(h, 100)).toEqual({ kind: 'full' });
    }
  });

  it('writes Content-Range for partial answers and for 416', () => {
    expect(contentRange({ kind: 'partial', start: 0, end: 9 }, 100)).toBe('bytes 0-9/100');
    expect(contentRange({ kind: 'unsatisfiable' }, 100)).toBe('bytes */100');
  });

  it('property: a satisfiable range lies in the file and has the length asked for', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(20_000), fc.option(fc.nat(20_000), { nil: undefined }), fc.boolean(), (size, a, b, suffix) => {
        const header = suffix ? `bytes=-${a}` : `bytes=${a}-${b ?? ''}`;
        const got = parseRange(header, size);
        if (!suffix && b !== undefined && b < a) {
          expect(got).toEqual({ kind: 'full' });
        } else if (suffix ? a === 0 || size === 0 : a >= size) {
          expect(got).toEqual({ kind: 'unsatisfiable' });
        } else {
          if (got.kind !== 'partial') throw new Error(`expected a partial answer for ${header} of ${size}`);
          expect(0 <= got.start && got.start <= got.end && got.end < size).toBe(true);
          const length = got.end - got.start + 1;
          if (suffix) expect([length, got.end]).toEqual([Math.min(a, size), size - 1]);
          else expect([got.start, got.end]).toEqual([a, Math.min(b ?? size - 1, size - 1)]);
        }
      }),
    );
  });
});
