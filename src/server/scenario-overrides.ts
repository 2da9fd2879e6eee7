/**
 * The scenario a dashboard run simulates: a named scenario file with the plan's knobs overridden
 * (wave size, relays, seed). Overrides are applied to the file as written, before it is
 * resolved, so the resolved scenario goes through every check a hand-edited file would.
 */
import { statSync } from 'node:fs';
import { ErrorCodes, UsageError } from '../errors.ts';
import { loadScenarioFile } from '../scenario/yaml-loader.ts';
import { builtinScenarios, scenarioFilesIn } from '../twin/load.ts';
import { resolveScenario, type Scenario } from '../twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../twin/scenario-schema.ts';

export interface RunOverrides {
  /** Most nodes in flight at once (deployment), or the flat distribution's concurrency (transfer). Integer >= 1. */
  wave?: number;
  /** Relay nodes, one per group of whole racks: 0 (none) to the number of racks. */
  relays?: number;
  /** The run's seed instead of the scenario's (1-64 of A-Z a-z 0-9 . _ -). */
  seed?: string;
}

/** Scenario names a server offers: the built-in ones plus, if given, the YAML files of `extraDir`'s tree. */
export function scenarioCatalogue(extraDir?: string): Map<string, string> {
  const all = builtinScenarios();
  // Extra files win over built-in ones of the same name: the user asked for them.
  if (extraDir !== undefined) for (const [name, path] of yamlFilesIn(extraDir)) all.set(name, path);
  return new Map([...all].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** The .yaml files under `dir`; --scenarios names a directory that must exist. */
function yamlFilesIn(dir: string): Map<string, string> {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(ErrorCodes.CLI_FILE_NOT_FOUND, `--scenarios: not a directory: ${dir}`);
  }
  return scenarioFilesIn(dir);
}

function bad(message: string): never {
  throw new UsageError(ErrorCodes.SERVER_BAD_OVERRIDE, message);
}

/** Applies the overrides to a scenario file as written (a fresh object from the loader). */
export function applyOverrides(file: ScenarioFile, overrides: RunOverrides): ScenarioFile {
  const { wave, relays } = overrides;
  const racks = Math.ceil(file.cluster.nodes / file.cluster.nodesPerRack);
  if (relays !== undefined && relays > racks) bad(`overrides.relays: ${relays} relays for ${racks} racks (one relay per group of whole racks: at most ${racks})`);
  if (file.transfer !== undefined) {
    const d = file.transfer.distribution;
    if (relays !== undefined && relays > 0) {
      if (wave !== undefined) bad('overrides: a transfer scenario is either flat (wave) or relayed (relays > 0), not both');
      file.transfer.distribution = { method: 'relay', relays };
    } else if (wave !== undefined || relays === 0) {
      const concurrency = wave ?? (d.method === 'flat' ? d.concurrency : undefined);
      file.transfer.distribution = concurrency === undefined ? { method: 'flat' } : { method: 'flat', concurrency };
    }
    return file;
  }
  file.deploy = { ...(file.deploy ?? {}), ...(wave !== undefined ? { wave } : {}), ...(relays !== undefined ? { relays } : {}) };
  return file;
}

/** Loads the scenario file at `path`, applies the overrides and resolves it. */
export function loadWithOverrides(path: string, overrides: RunOverrides): Scenario {
  const file = applyOverrides(loadScenarioFile<ScenarioFile>(path, scenarioSchema), overrides);
  return resolveScenario(file, path);
}
