/**
 * File updates a concurrent reader (dnsmasq on SIGHUP, the HTTP route) sees whole or not at all:
 * write a temporary file, fsync it, rename it over the target, fsync the directory. A file whose
 * content is already what is wanted is left alone (same inode, same mtime), so an unchanged entry
 * causes no write and no reload.
 */
import { open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, DeployTwinError } from '../../errors.ts';

let sequence = 0;

function failed(what: string, path: string, cause: unknown): DeployTwinError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new DeployTwinError(ErrorCodes.BOOT_WRITE_FAILED, `could not ${what} ${path}: ${why}`, 'fatal', { cause });
}

async function currentContent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw failed('read', path, e);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes `path` hold `content`; the temporary file goes to `tmpDir` (same file system as `path`,
 * outside directories that readers list). Resolves true when the file was (re)written, false when
 * it already held `content`.
 */
export async function writeFileIfChanged(path: string, content: string, tmpDir: string): Promise<boolean> {
  if ((await currentContent(path)) === content) return false;
  const tmp = join(tmpDir, `${basename(path)}.${process.pid}.${++sequence}.tmp`);
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    await syncDirectory(dirname(path));
    return true;
  } catch (e) {
    await rm(tmp, { force: true });
    throw failed('write', path, e);
  }
}

/** Removes `path`; resolves true when it existed. */
export async function removeFileIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw failed('remove', path, e);
  }
  await syncDirectory(dirname(path));
  return true;
}
