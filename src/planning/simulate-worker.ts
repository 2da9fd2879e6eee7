/**
 * The body of a planning worker thread (run-pool.ts): piscina calls the default export with one
 * task at a time. Loaded through simulate-worker-boot.mjs, which registers tsx first.
 */
import { runTask, type RunMetrics, type RunTask } from './run-metrics.ts';

export default function simulateTask(task: RunTask): Promise<RunMetrics> {
  return runTask(task);
}
