/**
 * `deploytwin serve`: the dashboard server (src/server) until interrupted (Ctrl-C, SIGTERM).
 * `--real <journal>` (repeatable) adds real deployments, followed read-only from their journal.
 */
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { ErrorCodes, UsageError } from '../errors.ts';
import { storeFile } from '../server/journal-follower.ts';
import { createServer } from '../server/server.ts';

interface ServeFlags {
  host: string;
  port: string;
  token?: string;
  sweeps?: string;
  scenarios?: string;
  real: string[];
}

export interface ServeHooks {
  /** Resolves when the server should stop (default: on SIGINT or SIGTERM). */
  until?: () => Promise<void>;
  /** Called with the base URL and token once listening (tests). */
  onListening?: (url: string, token: string) => void;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^[0-9]{1,5}$/.test(value) || port > 65535) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `--port: expected an integer from 0 to 65535, got "${value}"`);
  return port;
}

function directory(flag: string, path: string | undefined): string | undefined {
  if (path !== undefined && !statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(ErrorCodes.CLI_FILE_NOT_FOUND, `${flag}: not a directory: ${path}`);
  }
  return path;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function registerServe(program: Command, out: (s: string) => void, hooks: ServeHooks = {}): void {
  program
    .command('serve')
    .description('serve the dashboards: watch twin runs live, compare runs, view sweeps (Ctrl-C stops)')
    .option('--host <address>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port (0: any free port)', '8080')
    .option('--token <token>', 'control token (default: $DEPLOYTWIN_TOKEN, else a random one, printed)')
    .option('--sweeps <dir>', 'directory of sweep result files (*.json) for the sweep dashboard')
    .option('--scenarios <dir>', 'directory of extra scenario files (*.yaml) runs may use')
    .option('--real <journal>', "follow a real deployment read-only: its deploytwin.sqlite or the site's stateDir (repeatable)", (v: string, all: string[]) => [...all, v], [])
    .action(async (flags: ServeFlags) => {
      const port = parsePort(flags.port);
      const journals = flags.real.map(storeFile);
      const given = flags.token ?? process.env.DEPLOYTWIN_TOKEN;
      const server = await createServer({
        host: flags.host,
        port,
        token: given,
        sweepsDir: directory('--sweeps', flags.sweeps),
        scenariosDir: directory('--scenarios', flags.scenarios),
      });
      try {
        const real = journals.map((file) => server.registry.follow(file));
        const url = await server.listen().catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES' && e.code !== 'EADDRNOTAVAIL') throw e;
          throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `--host ${flags.host} --port ${port}: cannot listen there (${e.code})`);
        });
        out(`deploytwin serve: dashboards at ${url}/\n`);
        // A token the user chose is not echoed; a generated one must be shown to be usable.
        if (given === undefined) out(`control token: ${server.token}\nopen ${url}/#token=${server.token} to start and stop runs from the browser\n`);
        else out(`control token: as given (${flags.token !== undefined ? '--token' : 'DEPLOYTWIN_TOKEN'})\n`);
        for (const r of real) out(`real deployment ${r.file}: ${r.id} (${url}/live.html?run=${r.id})\n`);
        if (!LOOPBACK.has(flags.host)) out(`warning: listening on ${flags.host}, not loopback: plain HTTP, the token crosses the network unencrypted\n`);
        hooks.onListening?.(url, server.token);
        await (hooks.until ?? untilSignal)();
      } finally {
        await server.close();
      }
    });
}
