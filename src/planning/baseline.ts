/**
 * Regression baselines: the figures of some scenarios' runs, kept in a JSON file, and the
 * comparison of new runs against them. A metric got worse when it grew by more than the tolerance
 * (every metric kept is one where more is worse: makespan percentiles, failures, peak utilisations).
 *
 * File format (keys sorted, so a rewrite only changes what changed):
 *   { "format": "deploytwin-baseline/1",
 *     "scenarios": { "<scenario name>": { "seeds": 3, "makespan": { "mean": s, "p50": s, "p95": s, "p99": s, "min": s },
 *                    "failedRuns": n, "failedNodesMean": n, "peakLinkUtilisation": u, "peakServerUtilisation": u } } }
 */
import { existsSync, readFileSync } from 'node:fs';
import { ErrorCodes, UsageError } from '../errors.ts';
import type { RunStats } from './run-stats.ts';

export const BASELINE_FORMAT = 'deploytwin-baseline/1';

export interface BaselineEntry {
  /** Runs, with seeds "<scenario seed>-1" ... (run-stats.ts). */
  seeds: number;
  /** Seconds. */
  makespan: { mean: number; p50: number; p95: number; p99: number; min: number };
  failedRuns: number;
  failedNodesMean: number;
  peakLinkUtilisation: number;
  peakServerUtilisation: number;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  scenarios: Record<string, BaselineEntry>;
}

export function entryOf(stats: RunStats): BaselineEntry {
  const { mean, p50, p95, p99, min } = stats.makespan;
  return {
    seeds: stats.runs,
    makespan: { mean, p50, p95, p99, min },
    failedRuns: stats.failedRuns,
    failedNodesMean: stats.failedNodesMean,
    peakLinkUtilisation: stats.peakLinkUtilisation,
    peakServerUtilisation: stats.peakServerUtilisation,
  };
}

function bad(path: string, why: string): UsageError {
  return new UsageError(ErrorCodes.PLAN_BAD_BASELINE, `baseline ${path}: ${why}`);
}

const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

function checkEntry(path: string, name: string, e: unknown): BaselineEntry {
  const o = e as Partial<BaselineEntry> | null;
  const m = o?.makespan as Record<string, unknown> | undefined;
  const ok =
    typeof o === 'object' && o !== null && Number.isInteger(o.seeds) && (o.seeds as number) >= 1 && typeof m === 'object' && m !== null &&
    ['mean', 'p50', 'p95', 'p99', 'min'].every((k) => isNumber(m[k])) &&
    [o.failedRuns, o.failedNodesMean, o.peakLinkUtilisation, o.peakServerUtilisation].every(isNumber);
  if (!ok) throw bad(path, `scenario "${name}": expected seeds, makespan {mean, p50, p95, p99, min}, failedRuns, failedNodesMean, peakLinkUtilisation and peakServerUtilisation`);
  return o as BaselineEntry;
}

/** The baseline in `path`, or undefined when there is no such file. Throws DT_PLAN_BAD_BASELINE for a malformed one. */
export function readBaseline(path: string): Baseline | undefined {
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw bad(path, `not readable as JSON (${(e as Error).message})`);
  }
  const o = data as Partial<Baseline> | null;
  if (typeof o !== 'object' || o === null || o.format !== BASELINE_FORMAT || typeof o.scenarios !== 'object' || o.scenarios === null) {
    throw bad(path, `expected {"format": "${BASELINE_FORMAT}", "scenarios": {...}}`);
  }
  const scenarios: Record<string, BaselineEntry> = {};
  for (const [name, e] of Object.entries(o.scenarios)) scenarios[name] = checkEntry(path, name, e);
  return { format: BASELINE_FORMAT, scenarios };
}

export function baselineJson(b: Baseline): string {
  const sorted = Object.fromEntries(Object.keys(b.scenarios).sort().map((k) => [k, b.scenarios[k]]));
  return JSON.stringify({ format: b.format, scenarios: sorted }, null, 2) + '\n';
}

export interface MetricDiff {
  metric: string;
  baseline: number;
  now: number;
  /** (now - baseline) / baseline; Infinity when the baseline is 0 and now is not, 0 when both are. */
  change: number;
  verdict: 'ok' | 'worse' | 'better';
}

const METRICS: Array<[string, (e: BaselineEntry) => number]> = [
  ['makespan mean (s)', (e) => e.makespan.mean],
  ['makespan p50 (s)', (e) => e.makespan.p50],
  ['makespan p95 (s)', (e) => e.makespan.p95],
  ['makespan p99 (s)', (e) => e.makespan.p99],
  ['makespan min (s)', (e) => e.makespan.min],
  ['failed runs', (e) => e.failedRuns],
  ['failed nodes per run', (e) => e.failedNodesMean],
  ['peak link utilisation', (e) => e.peakLinkUtilisation],
  ['peak server utilisation', (e) => e.peakServerUtilisation],
];

/** Every metric of `now` against `base`; `tolerance` is a fraction (0.05 for 5 %). */
export function compareEntries(base: BaselineEntry, now: BaselineEntry, tolerance: number): MetricDiff[] {
  return METRICS.map(([metric, get]) => {
    const [b, n] = [get(base), get(now)];
    const change = b === 0 ? (n === 0 ? 0 : Infinity) : (n - b) / Math.abs(b);
    // A hair of slack so that a figure printed and read back never counts as a change.
    const slack = 1e-9 * Math.max(1, Math.abs(b));
    const verdict = n > b * (1 + tolerance) + slack ? 'worse' : n < b * (1 - tolerance) - slack ? 'better' : 'ok';
    return { metric, baseline: b, now: n, change, verdict };
  });
}
