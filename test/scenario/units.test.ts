import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.ts';
import { formatBytes, formatDuration, formatRate, parseBytes, parseDuration, parseRate } from '../../src/scenario/units.ts';
import { errorOf } from '../helpers/error-of.ts';


const SIZE_FACTORS: Record<string, number> = {
  B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15,
  KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40,
};
const RATE_FACTORS: Record<string, number> = {
  'B/s': 1, 'kB/s': 1e3, 'MB/s': 1e6, 'GB/s': 1e9, 'GiB/s': 2 ** 30, 'MiB/s': 2 ** 20,
  'b/s': 1 / 8, 'kb/s': 125, 'Kb/s': 125, 'Mb/s': 1.25e5, 'Gb/s': 1.25e8, 'Tb/s': 1.25e11,
  'bit/s': 1 / 8, 'kbit/s': 125, 'Mbit/s': 1.25e5, 'Gbit/s': 1.25e8,
  bps: 1 / 8, kbps: 125, Mbps: 1.25e5, Gbps: 1.25e8, Tbps: 1.25e11,
};
const DURATION_FACTORS: Record<string, number> = {
  ns: 1e-9, us: 1e-6, '\u00b5s': 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600, d: 86400,
};

describe('parseBytes', () => {
  it.each([
    ['2GB', 2e9], ['512MiB', 512 * 2 ** 20], ['1 kB', 1000], ['1KB', 1000], ['1.5TB', 1.5e12],
    ['1e3B', 1000], ['0B', 0], ['.5GiB', 2 ** 29], ['3PB', 3e15], ['1 TiB', 2 ** 40],
  ])('%s = %d bytes', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it.each([
    ['2 gigs', 'expected a data size like "2GB" or "512MiB", got "2 gigs"'],
    ['10Gb', '"Gb" is bits; a data size must be in bytes'],
    ['10 Mbit', '"Mbit" is bits'],
    ['10gb', 'did you mean "GB"?'],
    ['0', 'missing unit'],
    ['-5GB', 'must not be negative'],
    ['1.5  GB', 'at most one space'],
    ['10GB/s', 'that is a rate'],
    ['NaN GB', 'got "NaN GB"'],
    ['Infinity B', 'got "Infinity B"'],
    ['1e999GB', 'too large'],
    ['12GB extra', 'got "12GB extra"'],
    ['', 'got ""'],
    ['GB', 'got "GB"'],
  ])('rejects %j', (text, message) => {
    const e = errorOf(() => parseBytes(text));
    expect(e.code).toBe(ErrorCodes.UNIT_INVALID);
    expect(e.message).toContain(message);
  });

  it('requires a string with a unit, even for 0', () => {
    expect(errorOf(() => parseBytes(0)).message).toBe('expected a data size like "2GB" or "512MiB", got 0 (a unit is required)');
    expect(errorOf(() => parseBytes(null)).message).toContain('got nothing');
  });

  it('parses `${n}${unit}` as n times the unit, for every unit', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.constantFrom(...Object.keys(SIZE_FACTORS)), fc.boolean(), (n, unit, space) => {
        expect(parseBytes(`${n}${space ? ' ' : ''}${unit}`)).toBe(n * SIZE_FACTORS[unit]);
      }),
    );
  });
});

describe('parseRate', () => {
  it.each([
    ['10Gb/s', 1.25e9], ['1Gbit/s', 1.25e8], ['100Mb/s', 1.25e7], ['125MB/s', 1.25e8],
    ['1GiB/s', 2 ** 30], ['10Gbps', 1.25e9], ['1 Kb/s', 125], ['8b/s', 1], ['25 Gbps', 3.125e9],
  ])('%s = %d bytes/s', (text, rate) => {
    expect(parseRate(text)).toBe(rate);
  });

  it('tells bits from bytes by case', () => {
    expect(parseRate('1GB/s') / parseRate('1Gb/s')).toBe(8);
  });

  it.each([
    ['1 gigabit', 'expected a rate like "10Gb/s", "10Gbps" or "125MB/s", got "1 gigabit"'],
    ['10GB', 'a rate needs "/s": write "GB/s"'],
    ['10Gb', 'a rate needs "/s": write "Gb/s"'],
    ['1gb/s', 'did you mean "GB/s" or "Gb/s"?'],
    ['1Gb/sec', 'write "Gb/s"'],
    ['-1Gb/s', 'must not be negative'],
    ['10', 'missing unit'],
  ])('rejects %j', (text, message) => {
    const e = errorOf(() => parseRate(text));
    expect(e.code).toBe(ErrorCodes.UNIT_INVALID);
    expect(e.message).toContain(message);
  });

  it('parses `${n}${unit}` as n times the unit, for every unit', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.constantFrom(...Object.keys(RATE_FACTORS)), (n, unit) => {
        expect(parseRate(`${n}${unit}`)).toBeCloseTo(n * RATE_FACTORS[unit], 6);
      }),
    );
  });
});

describe('parseDuration', () => {
  it.each([
    ['10s', 10], ['250ms', 0.25], ['2us', 2e-6], ['2\u00b5s', 2e-6], ['2\u03bcs', 2e-6], ['5ns', 5e-9],
    ['1.5 h', 5400], ['3min', 180], ['1d', 86400], ['1h30min', 5400], ['1h 30min', 5400],
    ['3 min 25 s', 205], ['2d3h', 2 * 86400 + 3 * 3600], ['1e3s', 1000],
  ])('%s = %d s', (text, seconds) => {
    expect(parseDuration(text)).toBeCloseTo(seconds, 12);
  });

  it.each([
    ['5m', '"m" is ambiguous: write "min" for minutes or "ms" for milliseconds'],
    ['10 sec', 'write "s" instead of "sec"'],
    ['2 hours', 'write "h" instead of "hours"'],
    ['30min1h', 'larger units first'],
    ['1h1h', 'larger units first'],
    ['10', 'missing unit'],
    ['10S', 'did you mean "s"?'],
    ['10s ', 'got "10s "'],
    ['-3s', 'must not be negative'],
    ['1h  30min', 'got "1h  30min"'],
    ['ten seconds', 'expected a duration like "30s", "250ms" or "1h30min", got "ten seconds"'],
  ])('rejects %j', (text, message) => {
    const e = errorOf(() => parseDuration(text));
    expect(e.code).toBe(ErrorCodes.UNIT_INVALID);
    expect(e.message).toContain(message);
  });

  it('parses `${n}${unit}` as n times the unit, for every unit', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.constantFrom(...Object.keys(DURATION_FACTORS)), fc.boolean(), (n, unit, space) => {
        expect(parseDuration(`${n}${space ? ' ' : ''}${unit}`)).toBe(n * DURATION_FACTORS[unit]);
      }),
    );
  });

  it('adds up compound durations', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(59), fc.nat(59), (h, m, s) => {
        expect(parseDuration(`${h}h${m}min${s}s`)).toBe(h * 3600 + m * 60 + s);
      }),
    );
  });
});

describe('formatting', () => {
  it.each([
    [0, '0 B'], [512, '512 B'], [2e9, '2.00 GB'], [1.5e12, '1.50 TB'], [999.7e6, '1.00 GB'],
    [12_345, '12.3 kB'], [0.5, '0.500 B'], [-2e9, '-2.00 GB'],
  ])('formatBytes(%d) = %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it.each([[1.25e9, '10.0 Gb/s'], [1.25e8, '1.00 Gb/s'], [1.25e7, '100 Mb/s'], [125, '1.00 kb/s'], [0, '0 b/s']])(
    'formatRate(%d) = %s',
    (n, text) => {
      expect(formatRate(n)).toBe(text);
    },
  );

  it.each([
    [0, '0 s'], [1.2e-3, '1.2 ms'], [42.5, '42.5 s'], [205, '3 min 25 s'], [5400, '1 h 30 min'], [3600, '1 h'],
    [59.97, '1 min'], [3599.7, '1 h'], [2 * 86400 + 3 * 3600, '2 d 3 h'], [2.5e-6, '2.5 \u00b5s'], [7e-9, '7 ns'],
    [999.7e-9, '1 \u00b5s'], [-90, '-1 min 30 s'],
  ])('formatDuration(%d) = %s', (n, text) => {
    expect(formatDuration(n)).toBe(text);
  });

  /**
   * Half a unit of the last printed digit: "2.00 GB" is good to 0.005 GB, "3 min 25 s" to 0.5 s,
   * "1.04e-8 b/s" to 0.005e-8 b/s.
   */
  function printedPrecision(text: string, parse: (s: string) => number): number {
    const m = /(\d+)(?:\.(\d+))?(?:e([+-]?\d+))? (\S+)$/.exec(text);
    if (!m) throw new Error(`unexpected format ${text}`);
    const [, , decimals = '', exponent = '0', unit] = m;
    return 0.5 * 10 ** (Number(exponent) - decimals.length) * parse(`1 ${unit}`);
  }

  const cases: Array<[string, (n: number) => string, (s: string) => number, fc.Arbitrary<number>]> = [
    ['bytes', formatBytes, parseBytes, fc.double({ min: 0, max: 1e20, noNaN: true })],
    ['rate', formatRate, parseRate, fc.double({ min: 0, max: 1e16, noNaN: true })],
    ['duration', formatDuration, parseDuration, fc.double({ min: 0, max: 1e9, noNaN: true })],
  ];

  it.each(cases)('%s: parse(format(x)) is within the printed precision of x', (_name, format, parse, values) => {
    fc.assert(
      fc.property(values, (x) => {
        const text = format(x);
        const back = parse(text);
        expect(Math.abs(back - x)).toBeLessThanOrEqual(printedPrecision(text, parse) * (1 + 1e-9) + 1e-300);
      }),
      { numRuns: 2000 },
    );
  });
});
