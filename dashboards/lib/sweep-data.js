// Sweep results (`deploytwin sweep --json FILE`) for the sweep page: validation, the recommended
// point, and the cells of a heatmap over two parameters.
//
// Accepted file format (what `deploytwin sweep --json` writes; extra fields are ignored):
//   {
//     "scenario": "kiera-nurion-169",            optional, shown as the title
//     "parameters": [{"name": "relays"}, ...],    optional: the swept parameters, in sweep order
//     "rows": [ row, ... ]                        one per point
//   }
// or a bare array of rows. A row:
//   {
//     "point": 3,                                 optional, 1-based sweep order
//     "parameters": {"relays": 0, "wave": 169},   the point's parameter values (numbers or text);
//                                                 without it, every field not named below is one
//     "makespan": {"mean": s, "p50": s, "p95": s, "p99": s},   seconds, all four required
//     "lowerBound": s,                            seconds, required
//     "ratio": r,                                 optional: mean / lowerBound when absent
//     "missProbability": p | null,                optional, 0..1 (with --deadline)
//     "boundBy": "server NICs (opa)",             optional, the bound's binding term
//     "recommended": true                         optional: marks the recommended point
//   }
// Recommended point: the row marked "recommended", else the first in `deploytwin sweep`'s own
// order: least P(miss), then lowest p95, then lowest mean, then sweep order.

const METRIC_FIELDS = new Set(['point', 'parameters', 'makespan', 'lowerBound', 'ratio', 'missProbability', 'boundBy', 'recommended', 'runs', 'failedRuns', 'failedNodesMean', 'peakLinkUtilisation', 'peakServerUtilisation', 'makespans']);

export const METRICS = ['mean', 'p50', 'p95', 'p99', 'ratio'];

function fail(where, what) {
  throw new Error(`sweep ${where}: ${what}`);
}

function isNumber(x) {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Validates and normalises a sweep file's JSON: {title, parameters: [names], rows, recommended}. */
export function parseSweep(data) {
  const rawRows = Array.isArray(data) ? data : data?.rows;
  if (!Array.isArray(rawRows) || rawRows.length === 0) fail('file', 'expected an array of rows or {"rows": [...]} with at least one row');
  const rows = rawRows.map((r, i) => {
    const where = `row ${i + 1}`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) fail(where, 'is not an object');
    const m = r.makespan;
    if (typeof m !== 'object' || m === null) fail(where, '"makespan" must be an object {mean, p50, p95, p99} (seconds)');
    for (const k of ['mean', 'p50', 'p95', 'p99']) if (!isNumber(m[k])) fail(where, `"makespan.${k}" must be a number of seconds, got ${JSON.stringify(m[k])}`);
    if (!isNumber(r.lowerBound)) fail(where, `"lowerBound" must be a number of seconds, got ${JSON.stringify(r.lowerBound)}`);
    const parameters = r.parameters ?? Object.fromEntries(Object.entries(r).filter(([k]) => !METRIC_FIELDS.has(k)));
    if (typeof parameters !== 'object' || Object.keys(parameters).length === 0) fail(where, 'has no parameters');
    return {
      point: isNumber(r.point) ? r.point : i + 1,
      parameters,
      makespan: { mean: m.mean, p50: m.p50, p95: m.p95, p99: m.p99 },
      lowerBound: r.lowerBound,
      ratio: isNumber(r.ratio) ? r.ratio : m.mean / r.lowerBound,
      missProbability: isNumber(r.missProbability) ? r.missProbability : null,
      boundBy: typeof r.boundBy === 'string' ? r.boundBy : '',
      recommended: r.recommended === true,
    };
  });
  const declared = Array.isArray(data?.parameters) ? data.parameters.map((p) => (typeof p === 'string' ? p : p?.name)).filter((n) => typeof n === 'string') : [];
  const parameters = declared.length > 0 ? declared : [...new Set(rows.flatMap((r) => Object.keys(r.parameters)))];
  const ranked = bestFirst(rows);
  return { title: typeof data?.scenario === 'string' ? data.scenario : 'sweep', parameters, rows, ranked, recommended: rows.find((r) => r.recommended) ?? ranked[0] };
}

/** `deploytwin sweep`'s order: least P(miss), lowest p95, lowest mean, sweep order. */
export function bestFirst(rows) {
  return [...rows].sort((a, b) => (a.missProbability ?? 0) - (b.missProbability ?? 0) || a.makespan.p95 - b.makespan.p95 || a.makespan.mean - b.makespan.mean || a.point - b.point);
}

export function metricOf(row, metric) {
  return metric === 'ratio' ? row.ratio : row.makespan[metric];
}

/** Distinct values of a parameter, numbers ascending, else in order of appearance. */
export function valuesOf(rows, name) {
  const values = [...new Set(rows.map((r) => r.parameters[name]))];
  return values.every((v) => typeof v === 'number') ? values.sort((a, b) => a - b) : values;
}

/**
 * The heatmap over parameters x and y: rows whose other parameters equal the recommended
 * point's. Returns {xs, ys, cells: [{i, j, value, row}]} (i, j: indices into xs, ys).
 */
export function heatmapCells(sweep, x, y, metric) {
  const others = sweep.parameters.filter((p) => p !== x && p !== y);
  const rows = sweep.rows.filter((r) => others.every((p) => r.parameters[p] === sweep.recommended.parameters[p]));
  const xs = valuesOf(rows, x);
  const ys = valuesOf(rows, y);
  const cells = rows.map((row) => ({ i: xs.indexOf(row.parameters[x]), j: ys.indexOf(row.parameters[y]), value: metricOf(row, metric), row }));
  return { xs, ys, cells };
}

/** Colour of `value` between lo (pale yellow) and hi (dark red), viridis-free and readable in print. */
export function heatColour(value, lo, hi) {
  const f = hi > lo ? (value - lo) / (hi - lo) : 0;
  const hue = 55 - 55 * f;
  const light = 88 - 50 * f;
  return `hsl(${hue.toFixed(0)}, 90%, ${light.toFixed(0)}%)`;
}
