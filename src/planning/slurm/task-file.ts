/**
 * The results of one array task (DIR/results/task-<i>.json): its sweep rows, stamped with the
 * manifest's hash and the task number. Numbers are written losslessly: JSON has no Infinity or
 * NaN (a zero lower bound gives an infinite ratio) and writes -0 as 0, so those are written as
 * {"$number": "Infinity"} (or "-0") and read back as numbers; every other double survives JSON
 * unchanged. That is what lets a merge give the same CSV, JSON and table bytes as a local run.
 */
import type { SweepRow } from '../sweep.ts';

export const TASK_FORMAT = 'deploytwin-sweep-slurm-task/1';

export interface TaskResults {
  format: typeof TASK_FORMAT;
  /** The hash of the manifest this task ran. */
  manifest: string;
  task: number;
  /** The 1-based points the task ran, in order. */
  points: number[];
  rows: SweepRow[];
}

const TAG = '$number';

export function taskResultsText(results: TaskResults): string {
  const replacer = (_key: string, v: unknown) => {
    if (typeof v !== 'number') return v;
    if (Object.is(v, -0)) return { [TAG]: '-0' };
    return Number.isFinite(v) ? v : { [TAG]: String(v) };
  };
  return JSON.stringify(results, replacer) + '\n';
}

/** Parses a task file; throws (a plain Error, with JSON's message) when it is not JSON. */
export function parseTaskResults(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tagged = (v as Record<string, unknown>)[TAG];
      if (keys.length === 1 && keys[0] === TAG && typeof tagged === 'string') return Number(tagged);
    }
    return v;
  });
}

/** Why `value` is not the results of task `task` of the manifest `hash` whose slice is `points`, or null when it is. */
export function taskResultsProblem(value: unknown, hash: string, task: number, points: readonly number[]): string | null {
  const r = value as Partial<TaskResults> | null;
  if (r === null || typeof r !== 'object' || r.format !== TASK_FORMAT) return 'not a deploytwin task result';
  if (r.manifest !== hash) return `from another sweep (manifest ${String(r.manifest).slice(0, 12)}, this sweep's is ${hash.slice(0, 12)})`;
  if (r.task !== task) return `holds task ${String(r.task)}, not task ${task}`;
  const same = (a: readonly unknown[]) => a.length === points.length && a.every((p, i) => p === points[i]);
  if (!Array.isArray(r.points) || !same(r.points)) return `ran points other than its slice (${points.length} points from ${points[0]})`;
  if (!Array.isArray(r.rows) || !same(r.rows.map((row) => (row as SweepRow | null)?.point))) return 'rows do not match its points';
  return null;
}
