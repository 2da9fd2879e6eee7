/**
 * Turns Ajv errors into messages a scenario author can act on, in the file's own terms
 * (mapping, list, key) and with the offending value quoted:
 *
 *   unknown key "nodesPerRak" in topology (did you mean "nodesPerRack"?)
 *   nodes: expected an integer >= 1, got -3
 *   topology.access: expected a rate like "10Gb/s", ..., got "1 gigabit"
 *
 * Each problem also says which YAML node it is about (a path, and whether the key or the value
 * is meant), so the loader can give its line and column.
 */
import type { ErrorObject } from 'ajv';
import { collapseAjvErrors } from './ajv-collapse.ts';
import { suggestionSuffix } from './did-you-mean.ts';
import { displayPath, pathSegments } from './paths.ts';
import { checkFormat, isScenarioFormat } from './scenario-ajv.ts';

export interface SchemaProblem {
  /** The node the problem is about, as keys and list indexes from the document root. */
  readonly path: readonly string[];
  /** Point at the key of the last path segment (an unknown key) rather than at its value. */
  readonly at: 'key' | 'value';
  readonly message: string;
}

type Schema = Record<string, unknown>;

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'an empty value',
};

/** How a value is quoted in "got ...": strings in quotes (shortened), containers by kind. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

/** "an integer between 1 and 100", "a number > 0", "a string", from a schema's keywords. */
function expectation(schema: Schema, type: unknown = schema.type): string {
  const types = (Array.isArray(type) ? type : String(type ?? '').split(',')).filter((t) => t !== '');
  let text = types.length === 0 ? 'a value' : types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
  const { minimum: min, maximum: max, exclusiveMinimum: xmin, exclusiveMaximum: xmax } = schema;
  if (min !== undefined && max !== undefined) text += ` between ${min} and ${max}`;
  else if (min !== undefined) text += ` >= ${min}`;
  else if (max !== undefined) text += ` <= ${max}`;
  if (xmin !== undefined) text += ` > ${xmin}`;
  if (xmax !== undefined) text += ` < ${xmax}`;
  if (schema.multipleOf !== undefined) text += ` (a multiple of ${schema.multipleOf})`;
  return text;
}

/** The explanation of a unit or hostlist format's own parser for a bad value. */
function formatMessage(format: unknown, data: unknown): string | undefined {
  if (!isScenarioFormat(format)) return undefined;
  try {
    checkFormat(format, data);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function quoteAll(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** The message for one error; `where` is the display path of the value it is about. */
function explain(e: ErrorObject, where: string): string {
  const parent = (e.parentSchema ?? {}) as Schema;
  const custom = typeof parent['x-expected'] === 'string' ? parent['x-expected'] : undefined;
  const got = describeValue(e.data);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing required key "${p.missingProperty}" in ${where}`;
    case 'dependentRequired':
    case 'dependencies':
      return `missing required key "${p.missingProperty}" in ${where} (needed when "${p.property}" is set)`;
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(p.additionalProperty ?? p.unevaluatedProperty);
      const allowed = Object.keys((parent.properties ?? {}) as Schema);
      const hint = suggestionSuffix(key, allowed);
      // Without a likely typo, a short list of what is allowed is the next most useful thing.
      const list = hint === '' && allowed.length > 0 && allowed.length <= 8 ? ` (allowed: ${quoteAll(allowed)})` : '';
      return `unknown key "${key}" in ${where}${hint}${list}`;
    }
    case 'type':
      return `${where}: ${formatMessage(parent.format, e.data) ?? `expected ${custom ?? expectation(parent, p.type)}, got ${got}`}`;
    case 'format':
      return `${where}: ${formatMessage(p.format, e.data) ?? `expected ${custom ?? `a "${p.format}" string`}, got ${got}`}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
      return `${where}: expected ${expectation(parent)}, got ${got}`;
    case 'enum': {
      const allowed = (p.allowedValues ?? []) as unknown[];
      const hint = typeof e.data === 'string' ? suggestionSuffix(e.data, allowed.filter((a): a is string => typeof a === 'string')) : '';
      return `${where}: expected ${allowed.length === 1 ? JSON.stringify(allowed[0]) : `one of ${quoteAll(allowed)}`}, got ${got}${hint}`;
    }
    case 'const':
      return `${where}: expected ${JSON.stringify(p.allowedValue)}, got ${got}`;
    case 'pattern':
      return `${where}: expected ${custom ?? `a string matching /${p.pattern}/`}, got ${got}`;
    case 'minLength':
      return `${where}: expected ${custom ?? (p.limit === 1 ? 'a non-empty string' : `a string of at least ${p.limit} characters`)}, got ${got}`;
    case 'maxLength':
      return `${where}: expected ${custom ?? `a string of at most ${p.limit} characters`}, got ${got}`;
    case 'minItems':
      return `${where}: expected a list of at least ${p.limit} item${p.limit === 1 ? '' : 's'}, got ${Array.isArray(e.data) ? e.data.length : got}`;
    case 'maxItems':
      return `${where}: expected a list of at most ${p.limit} items, got ${Array.isArray(e.data) ? e.data.length : got}`;
    case 'uniqueItems':
      return `${where}: items ${p.j} and ${p.i} are the same; list each once`;
    case 'x-distribution':
      return e.message ?? `${where}: invalid distribution`;
    case 'oneOf':
      return `${where}: matches more than one of the allowed forms`;
    case 'false schema':
      return `${where}: not allowed here`;
    default:
      return `${where}: ${e.message ?? `fails "${e.keyword}"`}`;
  }
}

/** Readable problems for Ajv's errors, without Ajv's noise and without repeats. */
export function explainAjvErrors(raw: readonly ErrorObject[]): SchemaProblem[] {
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const e of collapseAjvErrors(raw)) {
    const base = pathSegments(e.instancePath);
    const unknownKey = e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties';
    const path = unknownKey ? [...base, String(e.params.additionalProperty ?? e.params.unevaluatedProperty)] : base;
    const problem: SchemaProblem = { path, at: unknownKey ? 'key' : 'value', message: explain(e, displayPath(base)) };
    const key = `${path.join('\u0000')}\u0001${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}
