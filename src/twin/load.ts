/**
 * Finds and loads a scenario: by path ("scenarios/reference/flat-169.yaml") or by the name of a
 * built-in one ("flat-169"), validated against the schema and resolved to base units.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, ErrorCodes } from '../errors.ts';
import { loadScenarioFile } from '../scenario/yaml-loader.ts';
import { resolveScenario, type Scenario } from './scenario.ts';
import { scenarioSchema, type ScenarioFile } from './scenario-schema.ts';

/** The scenarios/ folder shipped with deploytwin. */
export const BUILTIN_SCENARIOS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');

/** The scenario `deploytwin simulate` runs when given none. */
export const DEFAULT_SCENARIO = 'kiera-nurion-169';

/** The .yaml files under `dir` (searched recursively) by name (file name without .yaml), sorted by name. */
export function scenarioFilesIn(dir: string): Map<string, string> {
  const found: Array<[string, string]> = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.yaml')) found.push([entry.name.slice(0, -'.yaml'.length), p]);
    }
  };
  walk(dir);
  found.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(found);
}

/** Built-in scenarios by name (file name without .yaml), searched recursively, sorted by name. */
export function builtinScenarios(): Map<string, string> {
  return existsSync(BUILTIN_SCENARIOS_DIR) ? scenarioFilesIn(BUILTIN_SCENARIOS_DIR) : new Map();
}

/** A path as given, or the built-in scenario of that name. */
export function locateScenario(pathOrName: string): string {
  if (existsSync(pathOrName)) return pathOrName;
  const looksLikeName = !pathOrName.includes('/') && !pathOrName.endsWith('.yaml') && !pathOrName.endsWith('.yml');
  if (looksLikeName) {
    const builtin = builtinScenarios().get(pathOrName);
    if (builtin) return builtin;
    const names = [...builtinScenarios().keys()].join(', ');
    throw new UsageError(ErrorCodes.CLI_FILE_NOT_FOUND, `no scenario file or built-in scenario named "${pathOrName}" (built-in: ${names})`);
  }
  throw new UsageError(ErrorCodes.CLI_FILE_NOT_FOUND, `scenario file not found: ${pathOrName}`);
}

/** The scenario file as written (validated, not resolved), and where it was found. */
export function loadScenarioSource(pathOrName: string): { file: ScenarioFile; source: string } {
  const source = locateScenario(pathOrName);
  return { file: loadScenarioFile<ScenarioFile>(source, scenarioSchema), source };
}

export function loadScenario(pathOrName: string): Scenario {
  const { file, source } = loadScenarioSource(pathOrName);
  return resolveScenario(file, source);
}
