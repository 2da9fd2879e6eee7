/**
 * One array task of a sweep on Slurm: plans the sweep again from the manifest (the same points as
 * at submission, checked to be so), runs its slice of the points with all their seeds, and returns
 * the rows stamped for the merge. Writing them is the caller's (atomically, see cli/output.ts).
 */
import { readFileSync } from 'node:fs';
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import { planSweep, runSweep, type SweepPlan } from '../sweep.ts';
import { resultHeader, sha256, type SlurmManifest } from './manifest.ts';
import { slicePoints } from './slicing.ts';
import { TASK_FORMAT, type TaskResults } from './task-file.ts';

/** Worker threads for a task: the CPUs Slurm gave it (SLURM_CPUS_PER_TASK), or none (this thread) on one CPU. */
export function taskWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const cpus = Number(env.SLURM_CPUS_PER_TASK);
  return Number.isInteger(cpus) && cpus > 1 ? cpus : 0;
}

function changed(m: SlurmManifest, what: string): DeployTwinError {
  return new DeployTwinError(ErrorCodes.SLURM_SCENARIO_CHANGED, `${m.scenario}: ${what} since the sweep was submitted; submit it again`, 'fatal');
}

/** The sweep of the manifest, planned again and checked against what was planned at submission. */
export function replan(m: SlurmManifest): SweepPlan {
  let bytes: Buffer;
  try {
    bytes = readFileSync(m.scenario);
  } catch (e) {
    throw new DeployTwinError(ErrorCodes.SLURM_SCENARIO_CHANGED, `cannot read the sweep's scenario ${m.scenario}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'fatal', { cause: e });
  }
  if (sha256(bytes) !== m.scenarioSha256) throw changed(m, 'the file has changed');
  const plan = planSweep(m.scenario, m.sets, m.seeds);
  const header = resultHeader(plan, m.deadline);
  if (plan.points.length !== m.points || JSON.stringify(header) !== JSON.stringify(m.header)) throw changed(m, 'the sweep plans differently (another deploytwin version?)');
  return plan;
}

export async function runSliceOf(
  m: SlurmManifest,
  task: number,
  options: { workers: number; onProgress?: (done: number, total: number) => void },
): Promise<TaskResults> {
  if (!Number.isInteger(task) || task < 0 || task >= m.tasks) {
    throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `task: expected 0 to ${m.tasks - 1} (the sweep has ${m.tasks} array tasks), got ${task}`);
  }
  const plan = replan(m);
  const points = slicePoints(m.points, m.tasks, task);
  const slice: SweepPlan = { ...plan, points: points.map((p) => plan.points[p - 1]) };
  const result = await runSweep(slice, { workers: options.workers, deadline: m.deadline ?? undefined, onProgress: options.onProgress });
  return { format: TASK_FORMAT, manifest: m.hash, task, points, rows: result.rows };
}
