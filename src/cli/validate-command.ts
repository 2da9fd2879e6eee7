/**
 * `deploytwin validate <file...>`: check scenario files without running them; every problem of
 * every file is printed, and the exit code is 2 if any file is bad.
 */
import type { Command } from 'commander';
import { DeployTwinError } from '../errors.ts';
import { loadScenario } from '../twin/load.ts';

export function registerValidate(program: Command, out: (s: string) => void, err: (s: string) => void, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check scenario files against the schema without running them')
    .argument('<scenario...>', 'scenario files or built-in scenario names')
    .action((files: string[]) => {
      for (const file of files) {
        try {
          const s = loadScenario(file);
          out(`${file}: ok (${s.name}, ${s.cluster.nodes} nodes)\n`);
        } catch (e) {
          if (!(e instanceof DeployTwinError) || e.kind !== 'usage') throw e;
          err(`${e.message} [${e.code}]\n`);
          for (const line of e.details) err(`${line}\n`);
          setExit(2);
        }
      }
    });
}
