/**
 * Runs a system command (ip, cpio, mksquashfs, busybox) and fails with a message that names the
 * command and what it printed, so a failed set-up step says which step and why.
 */
import { execFile } from 'node:child_process';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';

export interface RunOptions {
  cwd?: string;
  /** Seconds before the command is killed. Default 60. */
  timeout?: number;
}

/** Resolves with the command's stdout; rejects with MINICLUSTER_COMMAND_FAILED. */
export function runCommand(argv: readonly string[], options: RunOptions = {}): Promise<string> {
  const [cmd, ...args] = argv;
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: options.cwd, timeout: (options.timeout ?? 60) * 1000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      const said = `${stderr}`.trim().split('\n').slice(-3).join(' | ') || error.message;
      reject(new DeployTwinError(ErrorCodes.MINICLUSTER_COMMAND_FAILED, `\`${argv.join(' ')}\` failed: ${said}`, 'fatal', { cause: error }));
    });
  });
}
