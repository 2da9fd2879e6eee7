/**
 * Sweep results for the sweep dashboard, read from the directory given with --sweeps:
 *
 *   GET /api/sweeps          {dir, sweeps: [names]}: the directory's *.json files, without ".json"
 *   GET /api/sweeps/:name    the file's JSON (rows as `deploytwin sweep` writes them; the format is
 *                            documented in dashboards/lib/sweep-data.js, which validates each row)
 *
 * The server checks only that the file is JSON holding an array of rows or {rows: [...]}; a file
 * that is not is a 422. Names are plain file names (no path), so nothing outside DIR is read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DeployTwinError, ErrorCodes, UsageError } from '../errors.ts';

const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' } },
  required: ['name'],
  additionalProperties: false,
} as const;

/** Sweep names in `dir`, sorted. */
export function sweepNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name.slice(0, -'.json'.length))
    .sort();
}

/** The parsed sweep file `name` of `dir`: SERVER_NOT_FOUND (404) or SERVER_BAD_SWEEP (422). */
export function readSweep(dir: string, name: string): unknown {
  const path = join(dir, `${name}.json`);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) throw new UsageError(ErrorCodes.SERVER_NOT_FOUND, `no sweep named ${JSON.stringify(name)} in ${dir}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DeployTwinError(ErrorCodes.SERVER_BAD_SWEEP, `${path} is not JSON: ${(e as Error).message}`, 'usage');
  }
  const rows = Array.isArray(data) ? data : (data as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
    throw new DeployTwinError(ErrorCodes.SERVER_BAD_SWEEP, `${path} must hold an array of row objects, or {"rows": [...]}`, 'usage');
  }
  return data;
}

export function registerSweepRoutes(app: FastifyInstance, dir: string | undefined): void {
  app.get('/api/sweeps', async () => ({ dir: dir ?? null, sweeps: dir === undefined ? [] : sweepNames(dir) }));
  app.get('/api/sweeps/:name', { schema: { params: nameParams } }, async (req) => {
    const { name } = req.params as { name: string };
    if (dir === undefined) throw new UsageError(ErrorCodes.SERVER_NOT_FOUND, 'no sweep directory: start the server with --sweeps DIR');
    return readSweep(dir, name);
  });
}
