/** Scenarios for the planning tests, written as YAML text and loaded as a file would be. */
import { loadScenarioText } from '../../src/scenario/yaml-loader.ts';
import { resolveScenario, type Scenario } from '../../src/twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../../src/twin/scenario-schema.ts';

export function scenarioFromText(text: string, file = 'test.yaml'): Scenario {
  return resolveScenario(loadScenarioText<ScenarioFile>(text, file, scenarioSchema), file);
}
