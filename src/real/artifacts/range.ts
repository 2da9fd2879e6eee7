/**
 * HTTP Range requests (RFC 9110, section 14), single range only: what part of a file of `size`
 * bytes a "Range: bytes=..." header asks for. A server may ignore a Range header it does not
 * support (14.2), so a syntactically invalid one, another unit, or several ranges get the whole
 * file (200); a valid range that starts past the end, or an empty suffix, is unsatisfiable (416).
 * wget -c and curl -C - send "bytes=N-"; a resuming downloader may also send "bytes=-N".
 */

export type RangeAnswer =
  | { kind: 'full' }
  /** Bytes start..end, both included (as Content-Range writes them). */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const FULL: RangeAnswer = { kind: 'full' };
const UNSATISFIABLE: RangeAnswer = { kind: 'unsatisfiable' };

/** The part of a `size`-byte file that `header` (the Range header's value, if any) asks for. */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return FULL;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (m === null) return FULL;
  const [, first, last] = m;
  if (first === '' && last === '') return FULL;
  if (first === '') {
    // Suffix range: the last N bytes (all of them if the file is shorter).
    const n = Number(last);
    if (n === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return FULL; // invalid range-spec: ignore the header
  if (start >= size) return UNSATISFIABLE;
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', start, end };
}

/** The Content-Range value of a partial answer, or of a 416 (`bytes *\/size`). */
export function contentRange(answer: RangeAnswer, size: number): string {
  return answer.kind === 'partial' ? `bytes ${answer.start}-${answer.end}/${size}` : `bytes */${size}`;
}
