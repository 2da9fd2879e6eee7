/**
 * `--set NAME=VALUES` of a sweep: which scenario parameter to vary, and over which values.
 *
 * NAME is a path in the scenario file (`deploy.wave`, `networks.opa.serverNic`,
 * `boot.rootfs.clientRate`) or a short name: `wave`, `stagger`, `relays` (deploy.*, or
 * transfer.distribution.relays in a transfer scenario), `method` (boot.rootfs.method, or
 * transfer.distribution.method), `concurrency` (transfer.distribution.concurrency), `post`
 * (hardware.post); a path starting with `rootfs.`, `kernel.`, `initrd.`, `bootloader.`, and `pxe`,
 * `dhcpLoss`, `mount`, `init` are read under `boot.`.
 *
 * VALUES is a comma-separated list; each item is a YAML value as it would be written in the file
 * (`25`, `http`, `10Gb/s`, `{dist: uniform, min: 60s, max: 90s}`), or a numeric range
 * `lo..hi/step` (`25..400/25` is 25, 50, ..., 400). Ranges are plain numbers: a range of
 * quantities with units is refused (list them: `1Gb/s,2Gb/s,4Gb/s`).
 */
import { parse as parseYaml } from 'yaml';
import { ErrorCodes, UsageError } from '../errors.ts';

export interface SetSpec {
  /** NAME as written (column name in results). */
  name: string;
  /** The path in the scenario file. */
  path: string[];
  values: unknown[];
}

/** Most values one range may give. */
export const MAX_RANGE_VALUES = 10_000;

const SHORT_NAMES: Record<'deployment' | 'transfer', Record<string, string>> = {
  deployment: { wave: 'deploy.wave', stagger: 'deploy.stagger', relays: 'deploy.relays', method: 'boot.rootfs.method', post: 'hardware.post' },
  transfer: { relays: 'transfer.distribution.relays', method: 'transfer.distribution.method', concurrency: 'transfer.distribution.concurrency' },
};
const UNDER_BOOT = new Set(['rootfs', 'kernel', 'initrd', 'bootloader', 'pxe', 'dhcpLoss', 'mount', 'init']);

function bad(spec: string, why: string): UsageError {
  return new UsageError(ErrorCodes.PLAN_BAD_SET, `--set ${spec}: ${why}`);
}

/** The file path a NAME stands for in a scenario of the given kind. */
export function resolveName(name: string, kind: 'deployment' | 'transfer', spec = name): string[] {
  if (!/^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(name)) {
    throw bad(spec, `"${name}" is not a parameter path (keys separated by dots, e.g. deploy.wave or networks.opa.serverNic)`);
  }
  if (name === 'seed') throw bad(spec, 'the seed is not a parameter: use --seeds N (run i uses seed "<scenario seed>-i")');
  const short = SHORT_NAMES[kind][name];
  const full = short ?? (kind === 'deployment' && UNDER_BOOT.has(name.split('.')[0]) ? `boot.${name}` : name);
  return full.split('.');
}

/** Splits on commas outside braces, brackets and quotes. */
function splitItems(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items.map((s) => s.trim());
}

function range(item: string, spec: string): number[] {
  const m = /^(.*)\.\.(.*)\/([^/]*)$/.exec(item);
  if (m === null) throw bad(spec, `"${item}" is not a range: write lo..hi/step, e.g. 25..400/25`);
  const [lo, hi, step] = [m[1], m[2], m[3]].map((x) => (x.trim() === '' ? NaN : Number(x)));
  if (![lo, hi, step].every(Number.isFinite)) {
    throw bad(spec, `ranges are plain numbers (lo..hi/step), got "${item}"; list quantities with units instead, e.g. 1Gb/s,2Gb/s,4Gb/s`);
  }
  if (!(step > 0)) throw bad(spec, `the step of "${item}" must be above 0`);
  if (hi < lo) throw bad(spec, `the range "${item}" ends (${hi}) below its start (${lo})`);
  // A small allowance so that 0.1..0.3/0.1 includes 0.3 despite rounding.
  const count = Math.floor((hi - lo) / step + 1e-9) + 1;
  if (count > MAX_RANGE_VALUES) throw bad(spec, `the range "${item}" gives ${count} values (at most ${MAX_RANGE_VALUES})`);
  return Array.from({ length: count }, (_, i) => Number((lo + i * step).toPrecision(12)));
}

function value(item: string, spec: string): unknown {
  if (item === '') throw bad(spec, 'empty value (values are separated by commas)');
  let v: unknown;
  try {
    v = parseYaml(item);
  } catch (e) {
    throw bad(spec, `"${item}" is not a valid YAML value: ${(e as Error).message.split('\n')[0]}`);
  }
  if (v === null || v === undefined) throw bad(spec, `"${item}" is not a value`);
  return v;
}

/** Parses one --set argument for a scenario of the given kind. */
export function parseSet(spec: string, kind: 'deployment' | 'transfer'): SetSpec {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw bad(spec, 'expected NAME=VALUES, e.g. wave=25,50,100 or deploy.stagger=0s,100ms');
  const name = spec.slice(0, eq).trim();
  const path = resolveName(name, kind, spec);
  const values: unknown[] = [];
  for (const item of splitItems(spec.slice(eq + 1))) {
    if (item.includes('..') && !/^[{[]/.test(item)) values.push(...range(item, spec));
    else values.push(value(item, spec));
  }
  return { name, path, values };
}
