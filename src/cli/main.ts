/**
 * The deploytwin command line. main() returns the exit code instead of exiting, so tests can call
 * it in-process: 0 success, 1 a failure while running, 2 a bad command line or input file.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { DeployTwinError, ErrorCodes } from '../errors.ts';
import { registerSimulate } from './simulate-command.ts';
import { registerValidate } from './validate-command.ts';
import { registerDeploy } from './deploy-command.ts';
import { registerStageCommands } from './stage-commands.ts';
import { registerSweep } from './sweep-command.ts';
import { registerPlan } from './plan-command.ts';
import { registerCheck } from './check-command.ts';
import { registerServe } from './serve-command.ts';
import { registerSiteCommands } from './site-command.ts';
import { registerImageCommands } from './image-command.ts';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** stderr is a terminal (progress bars) */
  isTTY?: boolean;
}

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: process.stderr.isTTY === true,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('deploytwin')
    .description('Digital twin and testbed for HPC cluster OS deployment')
    .version(version())
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      // Commander's own usage errors: one line, our format.
      outputError: (str, write) => write(`deploytwin: ${str.replace(/^error: /, '').trim()} [${ErrorCodes.CLI_BAD_ARGUMENT}]\n`),
    });
  program.configureHelp({ sortSubcommands: true });
  // Options after a subcommand belong to it: `sweep merge DIR --csv F` is merge's --csv, not sweep's.
  program.enablePositionalOptions();
  registerSimulate(program, io.out);
  registerValidate(program, io.out, io.err, (c) => (exitCode = Math.max(exitCode, c)));
  registerStageCommands(program, io.out);
  registerDeploy(program, io.out, { write: io.err, isTTY: io.isTTY ?? false });
  registerSweep(program, io.out, { write: io.err, isTTY: io.isTTY ?? false });
  registerPlan(program, io.out, { write: io.err, isTTY: io.isTTY ?? false });
  registerCheck(program, io.out, { write: io.err, isTTY: io.isTTY ?? false }, (c) => (exitCode = Math.max(exitCode, c)));
  registerServe(program, io.out);
  registerSiteCommands(program, io.out, io.err, (c) => (exitCode = Math.max(exitCode, c)));
  registerImageCommands(program, io.out);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof DeployTwinError) {
      io.err(`deploytwin: ${e.message} [${e.code}]\n`);
      for (const line of e.details) io.err(`${line}\n`);
      return e.kind === 'usage' ? 2 : 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`deploytwin: internal error: ${message}\n`);
    if (process.env.DEPLOYTWIN_DEBUG && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    return 1;
  }
}
