/**
 * The manifest of a sweep on Slurm (DIR/manifest.json): everything an array task needs to plan the
 * same sweep again (scenario path, --set arguments, seeds, deadline), how the points are sliced,
 * and the header of the merged result. Its hash is stamped on every task's results, so a merge can
 * tell a slice of this sweep from one of an earlier sweep in the same folder; the scenario file's
 * own hash lets a task refuse to run a scenario edited after submission.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import type { SweepPlan, SweepResult } from '../sweep.ts';

export const MANIFEST_FORMAT = 'deploytwin-sweep-slurm/1';

export interface SlurmManifest {
  format: typeof MANIFEST_FORMAT;
  /** Absolute path of the scenario file. */
  scenario: string;
  /** sha256 of the scenario file's bytes at submission. */
  scenarioSha256: string;
  /** The --set arguments as given. */
  sets: string[];
  /** Runs per point. */
  seeds: number;
  /** Seconds, or null. */
  deadline: number | null;
  points: number;
  tasks: number;
  slicing: 'strided';
  /** The merged result's header, as a local sweep of the same spec gives it. */
  header: Omit<SweepResult, 'rows'>;
  /** sha256 of all the fields above. */
  hash: string;
}

/** The files of a sweep folder. */
export function slurmPaths(dir: string) {
  const root = resolve(dir);
  return {
    root,
    manifest: join(root, 'manifest.json'),
    script: join(root, 'sweep.sbatch'),
    results: join(root, 'results'),
    logs: join(root, 'logs'),
    taskFile: (task: number) => join(root, 'results', `task-${task}.json`),
  };
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The fields in a fixed order (whatever order a file lists them in) and their hash. */
function withHash(m: Omit<SlurmManifest, 'hash'>): SlurmManifest {
  const fields: Omit<SlurmManifest, 'hash'> = {
    format: m.format,
    scenario: m.scenario,
    scenarioSha256: m.scenarioSha256,
    sets: m.sets,
    seeds: m.seeds,
    deadline: m.deadline,
    points: m.points,
    tasks: m.tasks,
    slicing: m.slicing,
    header: { scenario: m.header.scenario, seeds: m.header.seeds, deadline: m.header.deadline, parameters: m.header.parameters },
  };
  return { ...fields, hash: sha256(JSON.stringify(fields)) };
}

/** The header runSweep gives the result of `plan` (kept in step with sweep.ts by the merge tests). */
export function resultHeader(plan: SweepPlan, deadline: number | null): Omit<SweepResult, 'rows'> {
  return { scenario: plan.scenario, seeds: plan.seeds, deadline, parameters: plan.sets.map((s) => ({ name: s.name, path: s.path.join('.') })) };
}

export function buildManifest(plan: SweepPlan, spec: { sets: string[]; seeds: number; deadline: number | null; tasks: number }): SlurmManifest {
  const scenario = resolve(plan.source);
  return withHash({
    format: MANIFEST_FORMAT,
    scenario,
    scenarioSha256: sha256(readFileSync(scenario)),
    sets: [...spec.sets],
    seeds: spec.seeds,
    deadline: spec.deadline,
    points: plan.points.length,
    tasks: spec.tasks,
    slicing: 'strided',
    header: resultHeader(plan, spec.deadline),
  });
}

export function manifestText(m: SlurmManifest): string {
  return JSON.stringify(m, null, 1) + '\n';
}

function bad(path: string, why: string): DeployTwinError {
  return new UsageError(ErrorCodes.SLURM_BAD_MANIFEST, `${path}: ${why}`);
}

/** Reads and checks DIR/manifest.json: its format, its fields' types, and that its hash still matches them. */
export function readManifest(dir: string): SlurmManifest {
  const path = slurmPaths(dir).manifest;
  if (!existsSync(path)) throw new UsageError(ErrorCodes.SLURM_BAD_DIR, `${resolve(dir)} holds no sweep (no manifest.json; write one with deploytwin sweep <scenario> --slurm ${dir})`);
  let m: SlurmManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as SlurmManifest;
  } catch (e) {
    throw bad(path, `not valid JSON (${(e as Error).message})`);
  }
  if (m === null || typeof m !== 'object' || m.format !== MANIFEST_FORMAT) throw bad(path, `not a deploytwin sweep manifest (expected format "${MANIFEST_FORMAT}")`);
  const counts = [m.seeds, m.points, m.tasks].every((n) => Number.isInteger(n) && n >= 1);
  const strings = [m.scenario, m.scenarioSha256, m.hash].every((s) => typeof s === 'string');
  const header = m.header !== null && typeof m.header === 'object' && Array.isArray(m.header.seeds) && Array.isArray(m.header.parameters);
  if (!counts || !strings || !header || !Array.isArray(m.sets) || m.slicing !== 'strided' || !(m.deadline === null || typeof m.deadline === 'number')) {
    throw bad(path, 'missing or mistyped fields');
  }
  if (withHash(m).hash !== m.hash) throw bad(path, 'edited since it was written (its hash no longer matches its fields); submit the sweep again');
  return m;
}
