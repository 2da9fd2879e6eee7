/**
 * Serves the per-node iPXE scripts DnsmasqBootConfig writes, as a route on any fastify server
 * (the artifact server, or a test's own): GET <prefix>/<node>.ipxe. Scripts are read from disk
 * on every request, so a script rewritten by write() is served at once, and several servers (or a
 * server in another process or network namespace) can serve the same state directory.
 *
 * Answers: 200 text/plain with the script; 400 {error} for a name that is not a node name; 404
 * {error} when the node has no entry.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ErrorCodes } from '../../errors.ts';
import { NODE_NAME_PATTERN } from './entry-check.ts';

export interface IpxeRouteOptions {
  /** The scripts directory (bootStateLayout(stateDir).scriptsDir). */
  scriptsDir: string;
  /** URL path prefix, no trailing slash. Default "/boot": scripts at /boot/<node>.ipxe. */
  prefix?: string;
}

export function registerIpxeRoutes(app: FastifyInstance, options: IpxeRouteOptions): void {
  const prefix = (options.prefix ?? '/boot').replace(/\/+$/, '');
  app.get<{ Params: { file: string } }>(`${prefix}/:file`, async (req, reply) => {
    const file = req.params.file;
    const node = file.endsWith('.ipxe') ? file.slice(0, -'.ipxe'.length) : '';
    if (!NODE_NAME_PATTERN.test(node)) {
      return reply.code(400).send({ error: { code: ErrorCodes.BOOT_BAD_ENTRY, message: `${prefix}/${file}: expected <node>.ipxe with a node name of A-Z a-z 0-9 and inner hyphens` } });
    }
    try {
      const script = await readFile(join(options.scriptsDir, `${node}.ipxe`), 'utf8');
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(script);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return reply.code(404).send({ error: { code: ErrorCodes.BOOT_SCRIPT_NOT_FOUND, message: `no boot entry for node ${node} (no ${node}.ipxe in ${options.scriptsDir})` } });
    }
  });
}
