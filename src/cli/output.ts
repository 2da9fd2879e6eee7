/**
 * Writing result files so that nothing is ever half-written: write a temporary file beside the
 * target, then rename it over the target (atomic on POSIX file systems).
 */
import { existsSync, renameSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError, ErrorCodes } from '../errors.ts';

export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw new UsageError(ErrorCodes.CLI_CANNOT_WRITE, `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

/** Fails before a long run rather than after it when an output file cannot be written (its folder is missing). */
export function checkWritable(path: string | undefined, option: string): void {
  if (path === undefined) return;
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(ErrorCodes.CLI_CANNOT_WRITE, `${option}: cannot write ${path}: no such directory ${dir}`);
}
