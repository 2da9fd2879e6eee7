/**
 * Checking an image before publishing it: its description (name, sizes, checksums), and each
 * local file against it: a regular file of the stated size whose SHA-256, computed by streaming
 * the file (never holding it in memory), is the stated one. What was checked is remembered as
 * the file's identity (device, inode, size, mtime), so a server can tell later if it changed.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import type { Image, ImageFile } from '../../ports/index.ts';

export const FILE_KINDS = ['kernel', 'initrd', 'rootfs'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** A file checked against its description. */
export interface VerifiedFile {
  path: string;
  bytes: number;
  sha256: string;
  dev: number;
  ino: number;
  mtimeMs: number;
}

/** Image names become URL path segments: letters, digits, ".", "_", "-", starting with a letter or digit. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Throws ARTIFACT_BAD_IMAGE (usage) naming the first thing wrong with an image's description. */
export function checkImage(image: Image): void {
  const bad = (why: string): never => {
    throw new UsageError(ErrorCodes.ARTIFACT_BAD_IMAGE, `image ${JSON.stringify(image?.name)}: ${why}`);
  };
  if (typeof image !== 'object' || image === null) bad('must be an object');
  if (typeof image.name !== 'string' || !NAME.test(image.name)) bad('the name must be 1-128 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit');
  for (const kind of FILE_KINDS) {
    const f = image[kind] as ImageFile | undefined;
    if (typeof f !== 'object' || f === null) bad(`${kind} is missing`);
    else {
      if (typeof f.path !== 'string' || f.path === '') bad(`${kind}.path must be a file path`);
      if (!Number.isSafeInteger(f.bytes) || f.bytes < 0) bad(`${kind}.bytes must be a whole number of bytes >= 0, got ${String(f.bytes)}`);
      if (typeof f.sha256 !== 'string' || !SHA256.test(f.sha256)) bad(`${kind}.sha256 must be 64 lowercase hex digits`);
    }
  }
}

/** Whether the file at `path` still has the identity recorded when it was verified. */
export async function unchanged(file: VerifiedFile): Promise<boolean> {
  try {
    const s = await stat(file.path);
    return s.dev === file.dev && s.ino === file.ino && s.size === file.bytes && s.mtimeMs === file.mtimeMs;
  } catch {
    return false;
  }
}

/**
 * Checks the local file described by `f` (the `kind` of image `name`): it must exist, be a regular
 * file of f.bytes bytes with SHA-256 f.sha256, and not change while it is read. Rejects with
 * ARTIFACT_FILE_NOT_FOUND (usage), ARTIFACT_SIZE_MISMATCH or ARTIFACT_CHECKSUM_MISMATCH (fatal),
 * ARTIFACT_CHANGED_ON_DISK (retryable), or the signal's reason on abort.
 */
export async function verifyFile(name: string, kind: FileKind, f: ImageFile, signal?: AbortSignal): Promise<VerifiedFile> {
  const where = `image ${name}: ${kind} ${f.path}`;
  signal?.throwIfAborted();
  const handle = await open(f.path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(ErrorCodes.ARTIFACT_FILE_NOT_FOUND, `${where}: cannot open it (${e.code ?? e.message})`, { cause: e });
  });
  try {
    const before = await handle.stat();
    if (!before.isFile()) throw new UsageError(ErrorCodes.ARTIFACT_FILE_NOT_FOUND, `${where}: not a regular file`);
    if (before.size !== f.bytes) throw new DeployTwinError(ErrorCodes.ARTIFACT_SIZE_MISMATCH, `${where}: ${before.size} bytes on disk, the image says ${f.bytes}`, 'fatal');
    const hash = createHash('sha256');
    // 1 MiB reads; an abort is seen between two of them (leaving the loop destroys the stream).
    for await (const chunk of handle.createReadStream({ autoClose: false, highWaterMark: 1 << 20 })) {
      signal?.throwIfAborted();
      hash.update(chunk as Buffer);
    }
    const sha256 = hash.digest('hex');
    const after = await handle.stat();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new DeployTwinError(ErrorCodes.ARTIFACT_CHANGED_ON_DISK, `${where}: changed while its checksum was computed; publish again once it is written`, 'retryable');
    }
    if (sha256 !== f.sha256) throw new DeployTwinError(ErrorCodes.ARTIFACT_CHECKSUM_MISMATCH, `${where}: SHA-256 is ${sha256}, the image says ${f.sha256}`, 'fatal');
    return { path: f.path, bytes: f.bytes, sha256, dev: before.dev, ino: before.ino, mtimeMs: before.mtimeMs };
  } finally {
    await handle.close();
  }
}
