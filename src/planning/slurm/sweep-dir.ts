/**
 * The folder of a sweep on Slurm: manifest.json, sweep.sbatch, results/ (one file per array task)
 * and logs/ (Slurm's output per task; sbatch needs the folder to exist). It must be on a file
 * system the compute nodes see at the same path. A folder that holds results of another sweep is
 * refused rather than mixed: submitting the same sweep again keeps them (its tasks rewrite theirs).
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import { readManifest, slurmPaths, type SlurmManifest } from './manifest.ts';

/** Checks that `dir` can hold the sweep of `manifest`, and creates it with results/ and logs/. */
export function prepareSweepDir(dir: string, manifest: SlurmManifest): void {
  const paths = slurmPaths(dir);
  if (existsSync(paths.root) && !statSync(paths.root).isDirectory()) throw new UsageError(ErrorCodes.SLURM_BAD_DIR, `--slurm ${dir}: not a directory`);
  const hasResults = existsSync(paths.results) && readdirSync(paths.results).some((f) => f.endsWith('.json'));
  if (hasResults) {
    let previous: SlurmManifest | undefined;
    try {
      previous = readManifest(dir);
    } catch (e) {
      if (!(e instanceof DeployTwinError)) throw e;
    }
    if (previous?.hash !== manifest.hash) {
      throw new UsageError(ErrorCodes.SLURM_BAD_DIR, `--slurm ${dir}: holds results of another sweep (${paths.results}); merge or remove them, or choose another folder`);
    }
  }
  try {
    mkdirSync(paths.results, { recursive: true });
    mkdirSync(paths.logs, { recursive: true });
  } catch (e) {
    throw new UsageError(ErrorCodes.CLI_CANNOT_WRITE, `--slurm ${dir}: cannot create ${paths.results}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}
