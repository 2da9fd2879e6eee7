/**
 * Loads a YAML scenario file and checks it against a JSON schema, reporting every problem at
 * once as "file:line:col: message" so that a person fixes the whole file in one pass rather than
 * one error per run.
 *
 * Two stages: YAML syntax (including duplicate keys, which YAML forbids but many parsers accept
 * silently, the later one winning), then the schema. If the syntax is broken, the schema stage
 * does not run: the data would be a guess, and its problems noise.
 */
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, visit, type Document, type YAMLError } from 'yaml';
import { ErrorCodes, UsageError, type ErrorCode } from '../errors.ts';
import { explainAjvErrors } from './ajv-messages.ts';
import { locate, type Position } from './positions.ts';
import { createScenarioAjv } from './scenario-ajv.ts';

export interface ScenarioProblem extends Position {
  readonly file: string;
  readonly message: string;
}

/** The outcome of checking a scenario: the value when there are no problems. */
export type ScenarioCheck<T> =
  | { readonly ok: true; readonly value: T; readonly problems: readonly [] }
  | { readonly ok: false; readonly code: ErrorCode; readonly problems: readonly ScenarioProblem[] };

/** "scenarios/x.yaml:12:5: unknown key ..." */
export function formatProblem(p: ScenarioProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

// One Ajv instance for the loader; compiled validators are cached per schema object, since
// compiling is far slower than validating and the same schema is used for every file.
let ajv: ReturnType<typeof createScenarioAjv> | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    ajv ??= createScenarioAjv();
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** The key a duplicate-key error is about, for a message better than "Map keys must be unique". */
function duplicateKeyName(doc: Document, offset: number): string | undefined {
  let name: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as { range?: [number, number, number]; value?: unknown } | null;
      if (key?.range?.[0] === offset) {
        name = String(key.value ?? key);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return name;
}

function syntaxProblem(doc: Document, lines: LineCounter, file: string, e: YAMLError): ScenarioProblem {
  const offset = e.pos[0];
  const { line, col } = lines.linePos(offset);
  let message = e.message;
  if (e.code === 'DUPLICATE_KEY') {
    const name = duplicateKeyName(doc, offset);
    message = `duplicate key${name === undefined ? '' : ` "${name}"`}: keys must be unique within a mapping`;
  }
  return { file, line: Math.max(1, line), col: line === 0 ? offset + 1 : col, message };
}

function sorted(problems: ScenarioProblem[]): ScenarioProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

/** Parses and validates without throwing for problems in the text (for `deploytwin validate`). */
export function checkScenarioText<T>(text: string, file: string, schema: object): ScenarioCheck<T> {
  const lines = new LineCounter();
  // A byte-order mark is invisible in editors; leave it out rather than report it.
  const source = text.startsWith('\ufeff') ? text.slice(1) : text;
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  // Warnings (an unknown tag such as "!foo", read as a plain string) count as problems too: a
  // scenario has no use for tags, and a silently ignored one hides a mistake.
  const syntax = [...doc.errors, ...doc.warnings].map((e) => syntaxProblem(doc, lines, file, e));
  if (syntax.length > 0) return { ok: false, code: ErrorCodes.SCENARIO_YAML_SYNTAX, problems: sorted(syntax) };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // yaml refuses alias bombs ("billion laughs") here.
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, code: ErrorCodes.SCENARIO_YAML_SYNTAX, problems: [{ file, line: 1, col: 1, message }] };
  }

  const validate = validatorFor(schema);
  if (validate(value)) return { ok: true, value: value as T, problems: [] };
  const problems = explainAjvErrors(validate.errors ?? []).map((p) => ({ file, ...locate(doc, lines, p.path, p.at), message: p.message }));
  const unique = [...new Map(problems.map((p) => [formatProblem(p), p])).values()];
  return { ok: false, code: ErrorCodes.SCENARIO_INVALID, problems: sorted(unique) };
}

function readScenario(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new UsageError(ErrorCodes.CLI_FILE_NOT_FOUND, `cannot read scenario file "${path}": ${why}`, { cause: e });
  }
}

/** checkScenarioText on a file; an unreadable file throws UsageError(CLI_FILE_NOT_FOUND). */
export function checkScenarioFile<T>(path: string, schema: object): ScenarioCheck<T> {
  return checkScenarioText<T>(readScenario(path), path, schema);
}

/** The error thrown for a scenario with problems: one line per problem in `details`. */
export function scenarioError(file: string, check: Extract<ScenarioCheck<unknown>, { ok: false }>): UsageError {
  const n = check.problems.length;
  return new UsageError(check.code, `${file}: ${n} problem${n === 1 ? '' : 's'}`, { details: check.problems.map(formatProblem) });
}

/**
 * The scenario as plain data (exactly what the file says: no defaults filled in, no conversions),
 * or UsageError(SCENARIO_YAML_SYNTAX | SCENARIO_INVALID) listing every problem in `details`.
 * The schema is compiled once per schema object; an invalid schema throws Ajv's error (a bug).
 */
export function loadScenarioText<T>(text: string, file: string, schema: object): T {
  const check = checkScenarioText<T>(text, file, schema);
  if (!check.ok) throw scenarioError(file, check);
  return check.value;
}

export function loadScenarioFile<T>(path: string, schema: object): T {
  return loadScenarioText<T>(readScenario(path), path, schema);
}
