/**
 * Reduces Ajv's raw error list (allErrors mode) to the errors a person should read.
 *
 * Ajv reports every failing keyword of every alternative: a value that should match one of three
 * oneOf branches produces errors from all three plus "must match exactly one schema". Reading
 * those, one cannot tell which form was meant. Here, for each oneOf/anyOf, only the branch that
 * came closest is kept; "if" wrappers are dropped (their then/else errors say what is wrong); and
 * the semantic x-distribution check is dropped where the shape is already reported.
 */
import type { ErrorObject } from 'ajv';

const isCombinator = (e: ErrorObject) => e.keyword === 'oneOf' || e.keyword === 'anyOf';
const depth = (path: string) => (path === '' ? 0 : path.split('/').length - 1);
const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

interface Branch {
  readonly index: number;
  readonly errors: ErrorObject[];
}

/**
 * How far off a branch is; lower is closer. A branch whose type does not match the value at all
 * is furthest; one whose discriminator (a const or enum on a direct child, like `dist`) does not
 * match is next; otherwise the branch with fewer errors, then the earlier one, wins.
 */
function distance(b: Branch, at: string, prefix: string): [number, number, number, number] {
  const rootType = b.errors.some((e) => e.keyword === 'type' && e.instancePath === at && e.schemaPath === `${prefix}${b.index}/type`);
  const discriminator = b.errors.some((e) => (e.keyword === 'const' || e.keyword === 'enum') && depth(e.instancePath) === depth(at) + 1 && under(e.instancePath, at));
  return [rootType ? 1 : 0, discriminator ? 1 : 0, b.errors.length, b.index];
}

function lexicographic(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The types every branch asked for, when the value matched none of them at all. */
function unionTypeError(combinator: ErrorObject, branches: Branch[]): ErrorObject {
  const types = new Set<string>();
  for (const b of branches) {
    for (const e of b.errors) if (e.keyword === 'type' && e.instancePath === combinator.instancePath) String(e.params.type).split(',').forEach((t) => types.add(t));
  }
  return { ...combinator, keyword: 'type', params: { type: [...types].join(',') } };
}

function collapseCombinator(errors: ErrorObject[], combinator: ErrorObject): ErrorObject[] {
  const prefix = `${combinator.schemaPath}/`;
  // oneOf failing because several branches pass has no branch errors: keep Ajv's own error.
  const inside = errors.filter((e) => e !== combinator && e.schemaPath.startsWith(prefix));
  if (inside.length === 0) return errors;
  const byIndex = new Map<number, ErrorObject[]>();
  for (const e of inside) {
    const index = Number.parseInt(e.schemaPath.slice(prefix.length), 10);
    byIndex.set(index, [...(byIndex.get(index) ?? []), e]);
  }
  const branches = [...byIndex].map(([index, errs]) => ({ index, errors: errs }));
  const scored = branches.map((b) => ({ b, d: distance(b, combinator.instancePath, prefix) }));
  scored.sort((x, y) => lexicographic(x.d, y.d));
  const insideSet = new Set(inside);
  const rest = errors.filter((e) => e !== combinator && !insideSet.has(e));
  if (scored[0].d[0] === 1) return [...rest, unionTypeError(combinator, branches)];
  return [...rest, ...scored[0].b.errors];
}

export function collapseAjvErrors(raw: readonly ErrorObject[]): ErrorObject[] {
  let errors = raw.filter((e) => e.keyword !== 'if');
  // Innermost combinators first, so that an outer one compares already-collapsed branches.
  const combinators = errors.filter(isCombinator).sort((a, b) => depth(b.schemaPath) - depth(a.schemaPath));
  for (const c of combinators) if (errors.includes(c)) errors = collapseCombinator(errors, c);
  // The distribution check repeats, in one line, what shape errors already say.
  errors = errors.filter(
    (e) => e.keyword !== 'x-distribution' || !errors.some((o) => o !== e && o.keyword !== 'x-distribution' && under(o.instancePath, e.instancePath)),
  );
  return errors;
}
