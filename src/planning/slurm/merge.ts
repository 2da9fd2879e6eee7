/**
 * `deploytwin sweep merge DIR`: gathers the array tasks' results into the result a local sweep of
 * the same spec gives (same header, one row per point in sweep order). Every task of the manifest
 * must be there, from this manifest, with exactly its slice; otherwise nothing is merged and the
 * error lists each missing or foreign task file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import type { SweepResult, SweepRow } from '../sweep.ts';
import { readManifest, slurmPaths, type SlurmManifest } from './manifest.ts';
import { arraySpec, slicePoints } from './slicing.ts';
import { parseTaskResults, taskResultsProblem, type TaskResults } from './task-file.ts';

const TASK_FILE = /^task-(\d+)\.json$/;

export interface MergedSweep {
  manifest: SlurmManifest;
  result: SweepResult;
}

/** Task files in DIR/results by task number (other files, e.g. a writer's temporary file, are not task files). */
function taskFiles(dir: string): Map<number, string> {
  const results = slurmPaths(dir).results;
  const found = new Map<number, string>();
  if (!existsSync(results)) return found;
  for (const name of readdirSync(results)) {
    const m = TASK_FILE.exec(name);
    if (m !== null) found.set(Number(m[1]), name);
  }
  return found;
}

export function mergeSweep(dir: string): MergedSweep {
  const manifest = readManifest(dir);
  const paths = slurmPaths(dir);
  const files = taskFiles(dir);
  const missing: number[] = [];
  const foreign: string[] = [];
  const slices: TaskResults[] = [];
  for (let task = 0; task < manifest.tasks; task++) {
    if (!files.has(task)) {
      missing.push(task);
      continue;
    }
    const name = files.get(task)!;
    let value: unknown;
    try {
      value = parseTaskResults(readFileSync(paths.taskFile(task), 'utf8'));
    } catch (e) {
      foreign.push(`results/${name}: unreadable (${(e as Error).message})`);
      continue;
    }
    const problem = taskResultsProblem(value, manifest.hash, task, slicePoints(manifest.points, manifest.tasks, task));
    if (problem === null) slices.push(value as TaskResults);
    else foreign.push(`results/${name}: ${problem}`);
  }
  for (const [task, name] of files) if (task >= manifest.tasks) foreign.push(`results/${name}: this sweep has tasks 0 to ${manifest.tasks - 1} only`);

  if (foreign.length > 0) {
    const details = [...foreign.map((f) => `  ${f}`), ...(missing.length > 0 ? [`  missing: task${missing.length === 1 ? '' : 's'} ${arraySpec(missing)}`] : [])];
    throw new DeployTwinError(
      ErrorCodes.SLURM_FOREIGN_TASKS,
      `${paths.root}: ${foreign.length} task file${foreign.length === 1 ? ' is' : 's are'} not results of this sweep's manifest; remove ${foreign.length === 1 ? 'it' : 'them'} or submit again`,
      'fatal',
      { details },
    );
  }
  if (missing.length > 0) {
    throw new DeployTwinError(
      ErrorCodes.SLURM_MISSING_TASKS,
      `${paths.root}: ${missing.length} of ${manifest.tasks} array tasks have no results yet: ${arraySpec(missing)}`,
      'fatal',
      {
        details: [
          `  still running? see squeue; failed? see ${paths.logs}/task-<i>-<job>.out`,
          `  to run only those again: sbatch --array=${arraySpec(missing)} ${paths.script}`,
        ],
      },
    );
  }
  const rows: SweepRow[] = slices.flatMap((s) => s.rows).sort((a, b) => a.point - b.point);
  // Keys in runSweep's order, whatever order the manifest file lists them in: JSON output is byte for byte.
  const h = manifest.header;
  const parameters = h.parameters.map((p) => ({ name: p.name, path: p.path }));
  return { manifest, result: { scenario: h.scenario, seeds: h.seeds, deadline: h.deadline, parameters, rows } };
}
