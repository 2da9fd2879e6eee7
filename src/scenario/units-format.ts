/**
 * Human-readable output of sizes, rates and durations, for reports and the CLI.
 *
 * Every string produced here is accepted back by the parsers in units.ts, and reads back within
 * the printed precision (half a unit of the last printed digit): the round-trip tests rely on it.
 * Sizes use decimal SI units and rates use bits per second, because that is how storage and
 * network hardware are sold and how people compare them.
 */

type Scale = ReadonlyArray<readonly [unit: string, factor: number]>;

const BYTE_SCALE: Scale = [['B', 1], ['kB', 1e3], ['MB', 1e6], ['GB', 1e9], ['TB', 1e12], ['PB', 1e15]];
const BIT_RATE_SCALE: Scale = [['b/s', 1], ['kb/s', 1e3], ['Mb/s', 1e6], ['Gb/s', 1e9], ['Tb/s', 1e12], ['Pb/s', 1e15]];
const SUBMINUTE_SCALE: Scale = [['ns', 1e-9], ['\u00b5s', 1e-6], ['ms', 1e-3], ['s', 1]];
const LONG_SCALE: Scale = [['min', 60], ['h', 3600], ['d', 86400]];

/** Three significant figures with trailing zeros kept ("2.00", "12.5", "512"). */
function threeFigures(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/** Three significant figures without trailing zeros ("1.2", "250", "3"). */
function trimmedFigures(v: number): string {
  const s = v.toPrecision(3);
  if (s.includes('e')) return s.replace(/\.?0+e/, 'e');
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function signed(n: number, format: (abs: number) => string): string {
  if (Number.isNaN(n)) return 'NaN';
  return n < 0 ? `-${format(-n)}` : format(n);
}

/**
 * Picks the largest unit not above `n` and prints with `digits`; if rounding reaches 1000 of that
 * unit (999.7 MB -> "1000 MB"), moves up one unit so the output stays in canonical form.
 */
function scaled(n: number, scale: Scale, digits: (v: number) => string): string {
  if (n === 0) return `0 ${scale[0][0]}`;
  if (!Number.isFinite(n)) return `${n} ${scale[0][0]}`;
  let i = 0;
  while (i + 1 < scale.length && n >= scale[i + 1][1]) i += 1;
  let text = digits(n / scale[i][1]);
  if (Number(text) >= 1000 && i + 1 < scale.length) {
    i += 1;
    text = digits(n / scale[i][1]);
  }
  return `${text} ${scale[i][0]}`;
}

/** "2.00 GB", "512 B", "1.50 TB". Whole byte counts under 1 kB are printed as integers. */
export function formatBytes(bytes: number): string {
  return signed(bytes, (b) => (b < 1000 && Number.isInteger(b) ? `${b} B` : scaled(b, BYTE_SCALE, threeFigures)));
}

/** A rate given in bytes per second, printed in bits per second: "10.0 Gb/s", "100 Mb/s". */
export function formatRate(bytesPerSecond: number): string {
  return signed(bytesPerSecond, (r) => scaled(r * 8, BIT_RATE_SCALE, threeFigures));
}

/**
 * "1.2 ms", "42.5 s" under a minute (three significant figures); from a minute on, the two largest
 * whole units, rounded on the smaller: "3 min 25 s", "1 h 30 min", "2 d 3 h", "5 min".
 */
export function formatDuration(seconds: number): string {
  return signed(seconds, formatNonNegativeDuration);
}

function formatNonNegativeDuration(s: number): string {
  if (s === 0 || !Number.isFinite(s)) return `${s} s`;
  if (s < 60) {
    const short = scaled(s, SUBMINUTE_SCALE, trimmedFigures);
    // 59.97 s prints as "60 s": say "1 min" instead, which is what the long form gives.
    if (!short.endsWith(' s') || Number(short.slice(0, -2)) < 60) return short;
  }
  let i = 0;
  while (i + 1 < LONG_SCALE.length && s >= LONG_SCALE[i + 1][1]) i += 1;
  const parts = (index: number) => {
    const [unit, factor] = LONG_SCALE[index];
    const [smallUnit, smallFactor] = index === 0 ? ['s', 1] : LONG_SCALE[index - 1];
    const total = Math.round(s / smallFactor);
    const per = Math.round(factor / smallFactor);
    return { big: Math.floor(total / per), small: total % per, unit, smallUnit };
  };
  let p = parts(i);
  // 59 min 59.7 s rounds to "60 min 0 s": print it with the next unit up ("1 h").
  if (i + 1 < LONG_SCALE.length && p.big * LONG_SCALE[i][1] >= LONG_SCALE[i + 1][1]) p = parts(i + 1);
  return p.small === 0 ? `${p.big} ${p.unit}` : `${p.big} ${p.unit} ${p.small} ${p.smallUnit}`;
}
