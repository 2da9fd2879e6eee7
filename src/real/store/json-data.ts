/**
 * Plain JSON data checks for what the store writes as JSON text: the value must come back from
 * JSON.parse exactly as it went in, so a stored record or journal entry reads back equal to what
 * was given (JSON.stringify would otherwise silently turn NaN into null or drop a function).
 */
import { deepFreeze } from '../../ports/deep-freeze.ts';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Why `v` is not plain JSON data, naming the offending path, or undefined if it is. Object
 * properties that are undefined are allowed (JSON drops them, as an absent optional field).
 */
export function jsonProblem(v: unknown, path: string, open = new Set<object>()): string | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} is ${v}, which JSON cannot hold`;
  if (typeof v !== 'object') return `${path} is a ${typeof v}, which JSON cannot hold`;
  if (open.has(v)) return `${path} refers back to itself`;
  open.add(v);
  let problem: string | undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && problem === undefined; i++) {
      problem = v[i] === undefined ? `${path}[${i}] is undefined, which JSON cannot hold in an array` : jsonProblem(v[i], `${path}[${i}]`, open);
    }
  } else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x !== undefined) problem ??= jsonProblem(x, `${path}.${k}`, open);
    }
  } else {
    problem = `${path} is a ${v.constructor?.name ?? 'non-plain object'}, not plain JSON data`;
  }
  open.delete(v);
  return problem;
}

export { deepFreeze };
