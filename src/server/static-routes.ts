/**
 * The dashboards (plain HTML and ES modules, no build step) and the browser libraries they
 * import, served from node_modules: /vendor/chart.js/ (Chart.js's ES module build) and
 * /vendor/kurkle-color/ (the one module it imports). Each page maps the bare specifiers to these
 * URLs with an import map.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dashboards/ folder shipped with deploytwin. */
export const DASHBOARDS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../dashboards');

const require = createRequire(import.meta.url);

/** Folder of an installed package's entry file (its dist/); `from`: resolve as that file would. */
function distOf(pkg: string, from = require): string {
  return dirname(from.resolve(pkg));
}

export async function registerStaticRoutes(app: FastifyInstance, dashboardsDir = DASHBOARDS_DIR): Promise<void> {
  await app.register(fastifyStatic, { root: dashboardsDir, prefix: '/', index: 'index.html' });
  await app.register(fastifyStatic, { root: distOf('chart.js'), prefix: '/vendor/chart.js/', decorateReply: false });
  await app.register(fastifyStatic, { root: distOf('@kurkle/color', createRequire(require.resolve('chart.js'))), prefix: '/vendor/kurkle-color/', decorateReply: false });
}
