/**
 * Which sweep points each Slurm array task runs. Strided: task t of K runs points t+1, t+1+K,
 * t+1+2K, ... (1-based point numbers). The first --set varies slowest, so contiguous blocks would
 * give one task all the large waves and another all the small ones; striding spreads the costly
 * corners of the grid over every task.
 */

/** Array tasks to use when --slurm-tasks is not given: one per point, at most this many. */
export const DEFAULT_MAX_TASKS = 32;

/** The tasks a sweep of `points` points runs in: as asked, but never more tasks than points (an empty task would be a wasted job). */
export function taskCount(points: number, requested?: number): number {
  return Math.max(1, Math.min(points, requested ?? DEFAULT_MAX_TASKS));
}

/** The 1-based point numbers task `task` (0-based) of `tasks` runs, in sweep order. */
export function slicePoints(points: number, tasks: number, task: number): number[] {
  const mine: number[] = [];
  for (let p = task + 1; p <= points; p += tasks) mine.push(p);
  return mine;
}

/** Array indices as Slurm's --array takes them, ranges collapsed: [0,1,2,5,7,8] gives "0-2,5,7-8". */
export function arraySpec(tasks: readonly number[]): string {
  const sorted = [...new Set(tasks)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
