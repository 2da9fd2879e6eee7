/**
 * sbatch's answer and failures: the job id read from "Submitted batch job N", and a missing
 * sbatch, a refusal and an answer without a job id each mapped to their own code with sbatch's
 * reason (a fake runner stands in for the command).
 */
import { describe, expect, it } from 'vitest';
import { DeployTwinError, ErrorCodes } from '../../../src/errors.ts';
import { parseSbatchOutput, submit, type CommandOutcome } from '../../../src/planning/slurm/sbatch.ts';

function failure(outcome: CommandOutcome): DeployTwinError {
  try {
    submit(['sbatch', '--array=0-1', '/x/sweep.sbatch'], () => outcome);
  } catch (e) {
    if (e instanceof DeployTwinError) return e;
    throw e;
  }
  throw new Error('expected submit to fail');
}

describe('parseSbatchOutput', () => {
  it('reads the job id, and the cluster of a federation', () => {
    expect(parseSbatchOutput('Submitted batch job 1234\n')).toEqual({ jobId: 1234 });
    expect(parseSbatchOutput('sbatch: note: x\nSubmitted batch job 77 on cluster north\n')).toEqual({ jobId: 77, cluster: 'north' });
    expect(parseSbatchOutput('')).toBeNull();
    expect(parseSbatchOutput('1234\n')).toBeNull();
    expect(parseSbatchOutput('Submitted batch job x\n')).toBeNull();
  });
});

describe('submit', () => {
  it('passes the argv to the runner and returns the job id', () => {
    let seen: readonly string[] = [];
    const job = submit(['sbatch', '--array=0-3', '/d/sweep.sbatch'], (argv) => {
      seen = argv;
      return { status: 0, stdout: 'Submitted batch job 42\n', stderr: '' };
    });
    expect(job).toEqual({ jobId: 42 });
    expect(seen).toEqual(['sbatch', '--array=0-3', '/d/sweep.sbatch']);
  });

  it('maps a missing sbatch to DT_SLURM_SBATCH_NOT_FOUND', () => {
    const enoent = Object.assign(new Error('spawnSync sbatch ENOENT'), { code: 'ENOENT' });
    const e = failure({ status: null, stdout: '', stderr: '', error: enoent });
    expect(e.code).toBe(ErrorCodes.SLURM_SBATCH_NOT_FOUND);
    expect(e.message).toMatch(/sbatch not found.*--no-submit/);
  });

  it("maps a refusal to DT_SLURM_SUBMIT_FAILED with sbatch's reason", () => {
    const e = failure({ status: 1, stdout: '', stderr: 'sbatch: error: invalid partition specified: nope\nsbatch: error: Batch job submission failed: Invalid partition name specified\n' });
    expect(e.code).toBe(ErrorCodes.SLURM_SUBMIT_FAILED);
    expect(e.message).toBe('sbatch exited with 1: error: Batch job submission failed: Invalid partition name specified');
    expect(e.kind).toBe('fatal');
  });

  it('maps an answer without a job id to DT_SLURM_SUBMIT_FAILED, quoting it', () => {
    const e = failure({ status: 0, stdout: 'queued\n', stderr: '' });
    expect(e.code).toBe(ErrorCodes.SLURM_SUBMIT_FAILED);
    expect(e.message).toContain('got "queued"');
  });
});
