/**
 * One answer of the artifact server for one published file: GET or HEAD, whole or a single
 * Range, streamed from disk (a file handle's read stream, 64 KiB at a time: never the whole file
 * in memory). The ETag is the file's SHA-256, so it is strong and the same on every server that
 * publishes the same image; If-None-Match and If-Range use it.
 *
 * The file is opened and its identity checked against the one verified at publish time before a
 * byte is sent: a file replaced or rewritten since is refused (ARTIFACT_CHANGED_ON_DISK) rather
 * than served with a checksum it no longer has.
 */
import { open } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes } from '../../errors.ts';
import type { VerifiedFile } from './image-files.ts';
import { contentRange, parseRange } from './range.ts';

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send({ error: { code, message } });
}

function etagOf(file: VerifiedFile): string {
  return `"${file.sha256}"`;
}

/** Whether an If-None-Match value names this ETag (or is "*"); weak validators compare equal too. */
function matchesAny(header: string, etag: string): boolean {
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

export interface Admission {
  /**
   * Called once a body is about to be streamed (GET of a non-empty range): returns a release
   * function, or undefined when the download cap is reached (then the answer is 503). The release
   * runs once when the response ends, completed or cut off.
   */
  admit(): (() => void) | undefined;
  /** Seconds to put in Retry-After on a 503. */
  retryAfter: number;
  /** Called with the body's length when a response has been sent in full. */
  completed(bytes: number): void;
}

/** Answers `request` (GET or HEAD) for `file`. */
export async function sendFile(request: FastifyRequest, reply: FastifyReply, file: VerifiedFile, slots: Admission): Promise<FastifyReply> {
  const etag = etagOf(file);
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && matchesAny(ifNoneMatch, etag)) return reply.code(304).header('etag', etag).send();

  const ifRange = request.headers['if-range'];
  // If-Range: the range applies only to this very content; otherwise send the whole file.
  const rangeHeader = ifRange === undefined || (typeof ifRange === 'string' && ifRange.trim() === etag) ? request.headers.range : undefined;
  const range = parseRange(rangeHeader, file.bytes);
  if (range.kind === 'unsatisfiable') {
    reply.header('content-range', contentRange(range, file.bytes));
    return sendError(reply, 416, ErrorCodes.ARTIFACT_RANGE_NOT_SATISFIABLE, `range ${JSON.stringify(rangeHeader)} is outside the file's ${file.bytes} bytes`);
  }
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : file.bytes - 1;
  const length = end - start + 1;

  const streams = request.method === 'GET' && length > 0;
  const release = streams ? slots.admit() : () => {};
  if (release === undefined) {
    reply.header('retry-after', String(slots.retryAfter));
    return sendError(reply, 503, ErrorCodes.ARTIFACT_BUSY, 'too many downloads at once; retry later');
  }
  let released = false;
  const releaseOnce = (): void => {
    if (!released) {
      released = true;
      release();
    }
  };
  // Listen before any await: a client gone while the file opens must still free its slot.
  reply.raw.once('close', releaseOnce);
  const handle = await open(file.path, 'r').catch(() => undefined);
  const s = await handle?.stat();
  if (handle === undefined || s === undefined || s.dev !== file.dev || s.ino !== file.ino || s.size !== file.bytes || s.mtimeMs !== file.mtimeMs) {
    await handle?.close();
    releaseOnce();
    return sendError(reply, 500, ErrorCodes.ARTIFACT_CHANGED_ON_DISK, `${file.path} changed or disappeared since it was published; publish the image again`);
  }
  reply.header('etag', etag).header('accept-ranges', 'bytes').header('content-type', 'application/octet-stream').header('content-length', String(length));
  if (range.kind === 'partial') reply.code(206).header('content-range', contentRange(range, file.bytes));
  if (!streams) {
    await handle.close();
    return reply.send();
  }
  reply.raw.once('finish', () => slots.completed(length));
  return reply.send(handle.createReadStream({ start, end, highWaterMark: 64 * 1024 }));
}
