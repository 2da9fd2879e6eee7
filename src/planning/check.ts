/**
 * Regression check: re-runs scenarios with the seeds their baseline was made with (run-stats.ts),
 * compares the figures to the baseline (baseline.ts), and says what got worse beyond the tolerance.
 * With `update`, the baseline takes the new figures instead (other scenarios in it are kept).
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import { formatDuration } from '../scenario/units.ts';
import { loadScenarioSource } from '../twin/load.ts';
import type { ScenarioFile } from '../twin/scenario-schema.ts';
import { BASELINE_FORMAT, compareEntries, entryOf, readBaseline, type Baseline, type BaselineEntry, type MetricDiff } from './baseline.ts';
import { checkOverrides } from './overrides.ts';
import { runTasks } from './run-pool.ts';
import type { RunTask } from './run-metrics.ts';
import { runSeeds, runStats } from './run-stats.ts';

/** Runs per scenario when neither --seeds nor the baseline says. */
export const DEFAULT_CHECK_SEEDS = 3;

export interface CheckOptions {
  baselinePath: string;
  /** Fraction: 0.05 for 5 %. */
  tolerance: number;
  /** Runs per scenario (default: the baseline's, else DEFAULT_CHECK_SEEDS). */
  seeds?: number;
  workers: number;
  update: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface ScenarioCheck {
  name: string;
  now: BaselineEntry;
  /** undefined: not in the baseline. */
  baseline?: BaselineEntry;
  diffs: MetricDiff[];
  /** worse: a metric grew beyond the tolerance; missing: no baseline to compare with. */
  status: 'ok' | 'worse' | 'missing';
}

export interface CheckResult {
  scenarios: ScenarioCheck[];
  /** The baseline to write (update only). */
  updated?: Baseline;
}

export async function runCheck(scenarioArgs: readonly string[], options: CheckOptions): Promise<CheckResult> {
  const baseline = readBaseline(options.baselinePath);
  if (baseline === undefined && !options.update) {
    throw new UsageError(ErrorCodes.PLAN_BAD_BASELINE, `no baseline file ${options.baselinePath}: run with --update to create it`);
  }
  const loaded = new Map<string, { file: ScenarioFile; source: string; seeds: string[] }>();
  for (const arg of scenarioArgs) {
    const { file, source } = loadScenarioSource(arg);
    if (loaded.has(file.name)) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `scenario "${file.name}" is given twice (${loaded.get(file.name)!.source} and ${source})`);
    checkOverrides(file, source, [], file.name, ErrorCodes.SCENARIO_INVALID);
    const base = baseline?.scenarios[file.name];
    if (options.seeds !== undefined && base !== undefined && base.seeds !== options.seeds && !options.update) {
      throw new UsageError(
        ErrorCodes.PLAN_BAD_BASELINE,
        `--seeds ${options.seeds}: the baseline of ${file.name} has ${base.seeds} runs, so the runs would differ; leave out --seeds, or --update`,
      );
    }
    const seeds = options.seeds ?? base?.seeds ?? DEFAULT_CHECK_SEEDS;
    loaded.set(file.name, { file, source, seeds: runSeeds(String(file.seed ?? 1), seeds) });
  }
  const entries = [...loaded];
  const tasks: RunTask[] = entries.flatMap(([, s]) => s.seeds.map((seed) => ({ file: s.file, source: s.source, seed })));
  const owner = entries.flatMap(([name, s]) => s.seeds.map((seed) => `${name} seed ${seed}`));
  const metrics = await runTasks(tasks, { workers: options.workers, onProgress: options.onProgress, describe: (i) => owner[i] });
  let at = 0;
  const scenarios = entries.map(([name, s]): ScenarioCheck => {
    const now = entryOf(runStats(metrics.slice(at, (at += s.seeds.length))));
    const base = baseline?.scenarios[name];
    if (base === undefined) return { name, now, diffs: [], status: options.update ? 'ok' : 'missing' };
    const diffs = compareEntries(base, now, options.tolerance);
    return { name, now, baseline: base, diffs, status: !options.update && diffs.some((d) => d.verdict === 'worse') ? 'worse' : 'ok' };
  });
  if (!options.update) return { scenarios };
  const merged = { ...(baseline?.scenarios ?? {}) };
  for (const s of scenarios) merged[s.name] = s.now;
  return { scenarios, updated: { format: BASELINE_FORMAT, scenarios: merged } };
}

function figure(metric: string, x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return metric.endsWith('(s)') ? x.toFixed(1) : Number.isInteger(x) ? String(x) : x.toFixed(3);
}

function percent(change: number): string {
  if (change === Infinity) return 'new';
  return `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
}

/** One line per scenario; a table of the metrics outside the tolerance under any that moved. */
export function formatCheck(result: CheckResult, tolerance: number): string {
  const out: string[] = [];
  const tol = `${(tolerance * 100).toFixed(tolerance * 100 < 1 ? 2 : 0)}%`;
  for (const s of result.scenarios) {
    const head = `${s.name} (${s.now.seeds} run${s.now.seeds === 1 ? '' : 's'}, makespan mean ${formatDuration(s.now.makespan.mean)})`;
    if (s.status === 'missing') {
      out.push(`${head}: NOT IN BASELINE (run with --update to add it)`);
      continue;
    }
    if (result.updated !== undefined) {
      out.push(`${head}: baseline updated`);
      continue;
    }
    const moved = s.diffs.filter((d) => d.verdict !== 'ok');
    out.push(`${head}: ${s.status === 'worse' ? 'WORSE' : 'ok'} (tolerance ${tol})`);
    if (moved.length === 0) continue;
    const rows = [['metric', 'baseline', 'now', 'change', ''], ...moved.map((d) => [d.metric, figure(d.metric, d.baseline), figure(d.metric, d.now), percent(d.change), d.verdict])];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows) out.push(`  ${r.map((cell, c) => (c === 0 || c === 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()}`);
  }
  return out.join('\n') + '\n';
}
