/**
 * The JSON-Schema vocabulary for scenario files: the Ajv instance the loader validates with, the
 * custom formats for quantities and hostlists, and schema fragments that scenario schemas reuse.
 *
 * The instance is ours alone (never shared with an HTTP server's), strict so that a typo in a
 * schema fails at compile time, and never changes the data (no defaults, no coercion): what the
 * loader returns is exactly what the file says.
 *
 * Vocabulary beyond JSON Schema:
 * - formats "bytes", "rate", "duration" (units.ts) and "hostlist" (hostlist.ts); use them with
 *   `type: 'string'` (see unitSchema / hostlistSchema);
 * - "x-expected": a phrase used in messages when a value has the wrong type or shape
 *   ("expected <phrase>, got 12");
 * - "x-distribution": checks the meaning of a distribution (min <= max, weights...) once its
 *   shape is right; distributionSchema() adds it.
 */
import { Ajv, type AnySchemaObject } from 'ajv';
import { DISTRIBUTION_KINDS, DISTRIBUTION_PARAMS, parseDistribution } from './distribution.ts';
import { checkHostlist } from './hostlist.ts';
import { displayPath, pathSegments } from './paths.ts';
import { unitExpectations, unitParsers, type UnitFormat } from './units.ts';

/** A JSON schema as a plain object (what Ajv compiles). */
export type JsonSchema = AnySchemaObject;

export const UNIT_FORMATS: readonly UnitFormat[] = ['bytes', 'rate', 'duration'];

/** Formats whose failure message comes from our own parsers rather than Ajv's. */
export const SCENARIO_FORMATS = [...UNIT_FORMATS, 'hostlist'] as const;
export type ScenarioFormat = (typeof SCENARIO_FORMATS)[number];

export function isScenarioFormat(f: unknown): f is ScenarioFormat {
  return typeof f === 'string' && (SCENARIO_FORMATS as readonly string[]).includes(f);
}

/** Runs the parser behind a format, to validate or to get its explanation of a bad value. */
export function checkFormat(format: ScenarioFormat, value: unknown): void {
  if (format === 'hostlist') {
    if (typeof value !== 'string') throw new TypeError(`expected a hostlist like "node[001-128],login1", got ${String(value)}`);
    checkHostlist(value);
  } else {
    unitParsers[format](value);
  }
}

function passes(format: ScenarioFormat, value: unknown): boolean {
  try {
    checkFormat(format, value);
    return true;
  } catch {
    return false;
  }
}

function validateDistribution(format: unknown, data: unknown, _schema?: unknown, cxt?: { instancePath?: string }): boolean {
  const validate = validateDistribution as typeof validateDistribution & { errors?: unknown[] };
  try {
    parseDistribution(data, unitParsers[format as UnitFormat], displayPath(pathSegments(cxt?.instancePath ?? '')));
    validate.errors = [];
    return true;
  } catch (e) {
    validate.errors = [{ keyword: 'x-distribution', message: e instanceof Error ? e.message : String(e), params: {} }];
    return false;
  }
}

/** A fresh Ajv instance with the scenario vocabulary. The loader keeps one; tests may make more. */
export function createScenarioAjv(): Ajv {
  // verbose: errors carry the failing value and schema, which the messages quote and read.
  // allowUnionTypes: lets a schema say `type: [string, 'null']` under strict mode.
  const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: false, coerceTypes: false, verbose: true, allowUnionTypes: true });
  for (const format of SCENARIO_FORMATS) ajv.addFormat(format, { type: 'string', validate: (s: string) => passes(format, s) });
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-distribution', schemaType: 'string', errors: true, validate: validateDistribution });
  return ajv;
}

/** A quantity written with a unit: `{ type: 'string', format }`. */
export function unitSchema(format: UnitFormat): JsonSchema {
  return { type: 'string', format };
}

/** A hostlist expression such as "node[001-128],login1" (syntax and size checked). */
export function hostlistSchema(): JsonSchema {
  return { type: 'string', format: 'hostlist' };
}

/**
 * A parameter that is either a quantity with a unit ("45s": constant) or a distribution mapping
 * ({ dist: uniform, min: 40s, max: 60s }, see distribution.ts). Read the loaded value with
 * parseDistribution(value, unitParsers[format], where).
 *
 * Built with if/then rather than oneOf so that errors name the one form that applies: a string is
 * checked as a quantity, a mapping by its "dist", and only that kind's keys are allowed.
 */
export function distributionSchema(format: UnitFormat): JsonSchema {
  const unit = unitSchema(format);
  const example = { bytes: '"2GB"', rate: '"10Gb/s"', duration: '"45s"' }[format];
  const paramSchema = (key: string): JsonSchema => {
    if (key === 'values') return { type: 'array', minItems: 1, items: unit };
    if (key === 'weights') return { type: 'array', minItems: 1, items: { type: 'number', minimum: 0 } };
    return unit;
  };
  return {
    'x-distribution': format,
    if: { type: 'string' },
    then: unit,
    else: {
      type: 'object',
      'x-expected': `${unitExpectations[format].replace(/ like .*/, '')} like ${example}, or a distribution such as {dist: uniform, min: ..., max: ...}`,
      required: ['dist'],
      properties: { dist: { type: 'string', enum: DISTRIBUTION_KINDS } },
      allOf: DISTRIBUTION_KINDS.map((kind) => {
        const { required, optional } = DISTRIBUTION_PARAMS[kind];
        const properties: Record<string, JsonSchema | boolean> = { dist: true };
        for (const key of [...required, ...optional]) properties[key] = paramSchema(key);
        return {
          if: { properties: { dist: { const: kind } }, required: ['dist'] },
          then: { properties, required: [...required], additionalProperties: false },
        };
      }),
    },
  };
}
