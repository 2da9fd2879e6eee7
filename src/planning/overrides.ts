/**
 * Setting parameters of a scenario file by path, then checking the result exactly as a file is
 * checked: the JSON schema (with the loader's messages), the resolution to base units (hostlists,
 * distributions, network names) and the lower bound's own check (no more relays than racks). A bad
 * path or value is a UsageError(DT_PLAN_BAD_SET) naming the --set it came from.
 */
import { stringify } from 'yaml';
import { ErrorCodes, UsageError } from '../errors.ts';
import { provisioningScheme } from '../orchestrator/provisioning.ts';
import { checkScenarioText } from '../scenario/yaml-loader.ts';
import { resolveScenario, type Scenario } from '../twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../twin/scenario-schema.ts';
import { lowerBound, type LowerBound } from './lower-bound.ts';

export interface Override {
  /** The --set NAME it comes from (for messages and result columns). */
  name: string;
  path: readonly string[];
  value: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "wave=25, method=http" */
export function describeOverrides(overrides: readonly Override[]): string {
  return overrides.map((o) => `${o.name}=${typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}`).join(', ');
}

/**
 * A deep copy of `file` with every override set. Missing sections are created (deploy, services.tftp,
 * ...), except a network, which must exist. Throws DT_PLAN_BAD_SET for a path through a value.
 */
export function applyOverrides(file: ScenarioFile, overrides: readonly Override[]): ScenarioFile {
  const copy = structuredClone(file) as unknown as Record<string, unknown>;
  for (const o of overrides) {
    let node = copy;
    o.path.forEach((key, i) => {
      const here = o.path.slice(0, i + 1).join('.');
      if (i === o.path.length - 1) {
        node[key] = structuredClone(o.value);
        return;
      }
      if (i === 1 && o.path[0] === 'networks' && !(key in node)) {
        const known = Object.keys(node).map((n) => `"${n}"`).join(', ');
        throw new UsageError(ErrorCodes.PLAN_BAD_SET, `--set ${o.name}: no network named "${key}" (defined: ${known})`);
      }
      if (node[key] === undefined) node[key] = {};
      const next = node[key];
      if (!isObject(next)) throw new UsageError(ErrorCodes.PLAN_BAD_SET, `--set ${o.name}: ${here} is ${JSON.stringify(next)}, not a section with keys`);
      node = next;
    });
  }
  return copy as unknown as ScenarioFile;
}

/**
 * The orchestrator's own refusal, made here before anything runs (the full plan is too slow to
 * make for every point of a large cluster): collective schemes cannot be served by relays.
 * (More relays than racks is refused by lowerBound.)
 */
function checkRunnable(scenario: Scenario): void {
  if (scenario.kind !== 'deployment' || scenario.deploy.relays === 0) return;
  const method = scenario.boot.rootfs.method;
  if (!provisioningScheme(method).relays) {
    throw new UsageError(ErrorCodes.SCENARIO_INVALID, `boot.rootfs.method: "${method}" cannot be served by relays (deploy.relays is ${scenario.deploy.relays}): set relays to 0 or use http, rsync, nfs or hybrid`);
  }
}

export interface CheckedPoint {
  file: ScenarioFile;
  scenario: Scenario;
  bound: LowerBound;
}

/**
 * Applies the overrides and checks the result as a file would be checked. `what` says where the
 * overrides come from in an error ("point 3 (wave=25, relays=260)"); `code` is the error's code.
 */
export function checkOverrides(file: ScenarioFile, source: string, overrides: readonly Override[], what: string, code: string = ErrorCodes.PLAN_BAD_SET): CheckedPoint {
  const changed = applyOverrides(file, overrides);
  const check = checkScenarioText<ScenarioFile>(stringify(changed), source, scenarioSchema);
  if (!check.ok) {
    const problems = check.problems.map((p) => p.message);
    throw new UsageError(code, `${what}: ${problems[0]}`, { details: problems.slice(1).map((p) => `  ${p}`) });
  }
  try {
    const scenario = resolveScenario(check.value, source);
    checkRunnable(scenario);
    return { file: check.value, scenario, bound: lowerBound(scenario) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const message = e.message.startsWith(`${source}: `) ? e.message.slice(source.length + 2) : e.message;
    throw new UsageError(code, `${what}: ${message}`, { cause: e, details: e.details });
  }
}
