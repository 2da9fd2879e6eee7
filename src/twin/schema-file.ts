/** The published form of the scenario schema (scenarios/schema.json). */
import { join } from 'node:path';
import { BUILTIN_SCENARIOS_DIR } from './load.ts';
import { scenarioSchema } from './scenario-schema.ts';

export const SCHEMA_FILE = join(BUILTIN_SCENARIOS_DIR, 'schema.json');

export function schemaFileContent(): string {
  return JSON.stringify(scenarioSchema, null, 2) + '\n';
}
