/**
 * Writing result files so that nothing is ever half-written: write a temporary file beside the
 * target, then rename it over the target (atomic on POSIX file systems).
 */
import { renameSync, writeFileSync, unlinkSync } from 'node:fs';
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
