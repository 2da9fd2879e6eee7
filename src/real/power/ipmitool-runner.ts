/**
 * Runs one ipmitool invocation with child_process.execFile (no shell), a deadline and an
 * AbortSignal, and turns what it printed into a result or a typed DeployTwinError. Secrets never
 * leave this file: the password travels in the child's environment only, and every text that goes
 * into an error or a trace has it masked, should a BMC or ipmitool ever echo it.
 */
import { execFile } from 'node:child_process';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { commandWords, ipmitoolInvocation, type IpmiCommand, type IpmiTarget, type IpmitoolSession } from './ipmitool-argv.ts';
import { judgeRun } from './ipmitool-output.ts';

/** One finished ipmitool run, for logs and tests. Never holds the password. */
export interface IpmitoolTrace {
  argv: readonly string[];
  stdout: string;
  stderr: string;
  /** Exit status; null if the process was killed (deadline or abort). */
  exitCode: number | null;
  /** Wall seconds the run took. */
  seconds: number;
}

export interface IpmitoolRunOptions extends IpmitoolSession {
  /** Program to run. Default "ipmitool" (found on PATH). */
  program?: string;
  /** Wall seconds before the child is killed and the run fails with a retryable IPMI_TIMEOUT. Default 15. */
  deadline?: number;
  /** Called once per run with what it printed (masked). */
  trace?: (trace: IpmitoolTrace) => void;
}

export interface IpmitoolResult {
  stdout: string;
  stderr: string;
}

/** `text` with every occurrence of `secret` replaced by "******". */
export function maskSecret(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('******') : text;
}

interface RawRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  error: (NodeJS.ErrnoException & { killed?: boolean }) | null;
}

function execRaw(program: string, args: string[], env: NodeJS.ProcessEnv, deadline: number, signal?: AbortSignal): Promise<RawRun> {
  return new Promise((resolve) => {
    const child = execFile(
      program,
      args,
      { env, timeout: Math.ceil(deadline * 1000), killSignal: 'SIGKILL', signal, maxBuffer: 1 << 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ stdout, stderr, exitCode, error: error as RawRun['error'] });
      },
    );
    // ipmitool asks for a password on stdin when it finds none: give it end-of-file, never a hang.
    child.stdin?.end();
  });
}

/**
 * Runs `command` against `target`. Resolves with the output when ipmitool reported success;
 * rejects with a DeployTwinError (IPMI_* code, kind retryable or fatal) otherwise, or with the
 * signal's reason when aborted.
 */
export async function runIpmitool(target: IpmiTarget, command: IpmiCommand, options: IpmitoolRunOptions = {}, signal?: AbortSignal): Promise<IpmitoolResult> {
  const { args, env } = ipmitoolInvocation(target, command, options);
  const program = options.program ?? 'ipmitool';
  const deadline = options.deadline ?? 15;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, LC_ALL: 'C' };
  // ipmitool prefers IPMITOOL_PASSWORD over IPMI_PASSWORD: one inherited from our parent must not win.
  delete childEnv.IPMITOOL_PASSWORD;
  if (target.password === undefined) delete childEnv.IPMI_PASSWORD;
  signal?.throwIfAborted();
  const started = performance.now();
  const raw = await execRaw(program, args, childEnv, deadline, signal);
  const secret = target.password;
  const stdout = maskSecret(raw.stdout, secret);
  const stderr = maskSecret(raw.stderr, secret);
  options.trace?.({ argv: [program, ...args], stdout, stderr, exitCode: raw.exitCode, seconds: (performance.now() - started) / 1000 });
  if (signal?.aborted) throw signal.reason;

  const where = `${target.address}:${target.port ?? 623}`;
  const what = commandWords(command, target.efiBoot).join(' ');
  if (raw.error?.code === 'ENOENT') {
    throw new DeployTwinError(ErrorCodes.IPMI_TOOL_MISSING, `cannot run "${program}": not found (install the ipmitool package or set the program path)`, 'fatal');
  }
  if (raw.exitCode === null) {
    throw new DeployTwinError(ErrorCodes.IPMI_TIMEOUT, `BMC ${where}: "${what}" got no answer within ${deadline}s (ipmitool killed; effect unknown)`, 'retryable');
  }
  const failure = judgeRun(command, stdout, stderr, raw.exitCode);
  if (failure === undefined) return { stdout, stderr };
  const evidence = failure.evidence === '' ? '' : `: ${failure.evidence}`;
  throw new DeployTwinError(failure.code, `BMC ${where}: "${what}" failed, ${failure.meaning}${evidence}`, failure.retryable ? 'retryable' : 'fatal', {
    details: `${stderr}${stdout}`.split(/\r?\n/).filter((l) => l.trim() !== ''),
  });
}
