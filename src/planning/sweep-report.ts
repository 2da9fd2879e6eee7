/**
 * A sweep's results as CSV and JSON (one row per point, pure functions of the result: the same
 * sweep gives the same bytes) and as a terminal table of the best points.
 */
import type { SweepResult, SweepRow } from './sweep.ts';

/** A parameter value as a cell: strings as written, numbers in full, anything else as JSON. */
function cell(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Columns: point, one per --set (its NAME), seeds, makespan_mean/p50/p95/p99/min/max (seconds),
 * failed_runs, failed_nodes_mean, p_miss (share of runs missing the deadline; empty without one),
 * peak_link_utilisation, peak_server_utilisation (0..1), lower_bound (seconds), bound_by, ratio.
 */
export function sweepCsv(result: SweepResult): string {
  const header = ['point', ...result.parameters.map((p) => p.name), 'seeds', 'makespan_mean', 'makespan_p50', 'makespan_p95', 'makespan_p99', 'makespan_min', 'makespan_max'];
  header.push('failed_runs', 'failed_nodes_mean', 'p_miss', 'peak_link_utilisation', 'peak_server_utilisation', 'lower_bound', 'bound_by', 'ratio');
  const lines = [header.map(csvField).join(',')];
  for (const r of result.rows) {
    const m = r.makespan;
    const values = [String(r.point), ...result.parameters.map((p) => cell(r.parameters[p.name])), String(r.runs)];
    values.push(...[m.mean, m.p50, m.p95, m.p99, m.min, m.max].map(String));
    values.push(String(r.failedRuns), String(r.failedNodesMean), r.missProbability === null ? '' : String(r.missProbability));
    values.push(String(r.peakLinkUtilisation), String(r.peakServerUtilisation), String(r.lowerBound), r.boundBy, String(r.ratio));
    lines.push(values.map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

export function sweepJson(result: SweepResult): string {
  return JSON.stringify(result, null, 1) + '\n';
}

/** Best first: least chance of missing the deadline, then lowest p95, then lowest mean, then sweep order. */
export function bestFirst(rows: readonly SweepRow[]): SweepRow[] {
  return [...rows].sort(
    (a, b) => (a.missProbability ?? 0) - (b.missProbability ?? 0) || a.makespan.p95 - b.makespan.p95 || a.makespan.mean - b.makespan.mean || a.point - b.point,
  );
}

function seconds(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** Columns padded to their widest cell: numbers to the right, the first and last column (text) to the left. */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const last = widths.length - 1;
  return rows.map((r) => r.map((s, c) => (c === 0 || c === last ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ').trimEnd());
}

/** The `top` best points as a table (seconds; utilisations and P(miss) in %). */
export function sweepTable(result: SweepResult, top: number): string {
  const withDeadline = result.deadline !== null;
  const header = ['#', ...result.parameters.map((p) => p.name), 'mean s', 'p50 s', 'p95 s', 'p99 s'];
  if (withDeadline) header.push('P(miss)');
  header.push('failed', 'link %', 'server %', 'bound s', 'x bound', 'bound by');
  const body = bestFirst(result.rows)
    .slice(0, top)
    .map((r) => {
      const m = r.makespan;
      const row = [String(r.point), ...result.parameters.map((p) => cell(r.parameters[p.name])), seconds(m.mean), seconds(m.p50), seconds(m.p95), seconds(m.p99)];
      if (withDeadline) row.push(`${((r.missProbability ?? 0) * 100).toFixed(1)} %`);
      row.push(`${r.failedRuns}/${r.runs}`, (r.peakLinkUtilisation * 100).toFixed(0), (r.peakServerUtilisation * 100).toFixed(0), seconds(r.lowerBound), r.ratio.toFixed(2), r.boundBy);
      return row;
    });
  const shown = Math.min(top, result.rows.length);
  const title = `${result.scenario}: best ${shown} of ${result.rows.length} point${result.rows.length === 1 ? '' : 's'}, ${result.seeds.length} seed${result.seeds.length === 1 ? '' : 's'} each`;
  const deadline = withDeadline ? `; P(miss) = share of runs over the deadline (${result.deadline} s) or with a failed node` : '';
  return [title + deadline, ...table([header, ...body])].join('\n') + '\n';
}
