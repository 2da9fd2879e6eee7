/**
 * Running sbatch and reading its answer. The command is an argv (no shell); its output
 * "Submitted batch job 1234" (or "... on cluster c") gives the job id. A missing sbatch, a refusal
 * (bad partition, controller down) and an answer without a job id each fail with their own code,
 * quoting what sbatch said.
 */
import { spawnSync } from 'node:child_process';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';

export interface CommandOutcome {
  /** Exit status, or null when the command did not run or was killed. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not be started (ENOENT: not installed). */
  error?: NodeJS.ErrnoException;
}

export type CommandRunner = (argv: readonly string[]) => CommandOutcome;

export interface Submission {
  jobId: number;
  cluster?: string;
}

/** Long enough for a busy controller; sbatch itself returns within a second when the controller answers. */
const SBATCH_TIMEOUT_MS = 120_000;

export const runCommand: CommandRunner = (argv) => {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: SBATCH_TIMEOUT_MS });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error as NodeJS.ErrnoException | undefined };
};

/** The job id in sbatch's answer, or null. */
export function parseSbatchOutput(stdout: string): Submission | null {
  const m = /^Submitted batch job (\d+)(?: on cluster (\S+))?\s*$/m.exec(stdout);
  if (m === null) return null;
  return m[2] === undefined ? { jobId: Number(m[1]) } : { jobId: Number(m[1]), cluster: m[2] };
}

/** sbatch's last "error:" line (its reason), else its last non-empty line. */
function reason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const errors = lines.filter((l) => /error:/i.test(l));
  return (errors.at(-1) ?? lines.at(-1) ?? 'no message').replace(/^sbatch:\s*/, '');
}

export function submit(argv: readonly string[], run: CommandRunner = runCommand): Submission {
  const r = run(argv);
  if (r.error?.code === 'ENOENT') {
    throw new DeployTwinError(ErrorCodes.SLURM_SBATCH_NOT_FOUND, `${argv[0]} not found: is Slurm's client installed here (Debian: slurm-client)? Or write the job with --no-submit and submit it from a login node`, 'fatal', { cause: r.error });
  }
  if (r.error !== undefined) {
    throw new DeployTwinError(ErrorCodes.SLURM_SUBMIT_FAILED, `${argv[0]} failed to run: ${r.error.code ?? r.error.message}`, 'fatal', { cause: r.error });
  }
  if (r.status !== 0) {
    const how = r.status === null ? 'was killed' : `exited with ${r.status}`;
    throw new DeployTwinError(ErrorCodes.SLURM_SUBMIT_FAILED, `sbatch ${how}: ${reason(r.stderr)}`, 'fatal');
  }
  const submission = parseSbatchOutput(r.stdout);
  if (submission === null) {
    throw new DeployTwinError(ErrorCodes.SLURM_SUBMIT_FAILED, `sbatch gave no job id (expected "Submitted batch job N", got ${JSON.stringify(r.stdout.trim().slice(0, 200))})`, 'fatal');
  }
  return submission;
}
