/**
 * A plan's result as text for the terminal (the recommendation, its distribution, its ratio to
 * the bound and what holds it back, the runners-up, the search's cost) and as JSON (pure
 * functions of the result: the same plan gives the same bytes).
 */
import type { PlanPoint, PlanResult } from './plan.ts';
import { RATIO_TO_EXPLAIN } from './plan.ts';

function s(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function distribution(p: PlanPoint, deadline: number | null): string {
  const m = p.stats.makespan;
  const miss = deadline === null ? '' : `, P(> ${deadline} s) ${((p.stats.missProbability ?? 0) * 100).toFixed(1)} %`;
  const failed = p.stats.failedRuns > 0 ? `, ${p.stats.failedRuns}/${p.stats.runs} runs with failed nodes` : '';
  return `p50 ${s(m.p50)} s, p95 ${s(m.p95)} s, p99 ${s(m.p99)} s, mean ${s(m.mean)} s${miss}${failed}`;
}

export function planJson(result: PlanResult): string {
  return JSON.stringify(result, null, 1) + '\n';
}

export function planText(r: PlanResult): string {
  const best = r.recommended;
  const lines = [`plan for ${r.scenario}: objective ${r.objective}, ${r.seeds.length} seed${r.seeds.length === 1 ? '' : 's'} (${r.seeds[0]} ... ${r.seeds[r.seeds.length - 1]})`];
  for (const c of r.constraints) lines.push(`  constraint ${c}`);
  lines.push('', `recommended: ${best.description}`, `  makespan ${distribution(best, r.deadline)}`);
  lines.push(`  lower bound ${s(best.lowerBound)} s, bound by ${best.boundBy}; ${r.objective} / bound = ${best.ratio.toFixed(2)}${best.ratio <= RATIO_TO_EXPLAIN ? ` (within ${RATIO_TO_EXPLAIN}x)` : ''}`);
  const d = best.diagnosis;
  if (d !== null) {
    lines.push(`  above ${RATIO_TO_EXPLAIN}x the bound; what holds it back (run with seed ${d.seed}, makespan ${s(d.makespan)} s):`);
    for (const c of d.causes) lines.push(`    - ${c.trimStart()}`);
    const next = best.boundTerms.slice(1, 3).map((t) => `${t.label} ${s(t.seconds)} s`);
    if (next.length) lines.push(`    - next bound terms: ${next.join(', ')}`);
  }
  lines.push('', r.runnersUp.length ? 'runners-up:' : 'runners-up: none (no other setting ran)');
  r.runnersUp.forEach((p, i) => lines.push(`  ${i + 2}. ${p.description}: ${distribution(p, r.deadline)}; x bound ${p.ratio.toFixed(2)}`));
  const q = r.search;
  const stop = q.stoppedBy === 'budget' ? ', stopped by --max-runs' : '';
  lines.push(
    '',
    `search: ${q.runs} runs over ${r.evaluated.length} settings (${q.passes} pass${q.passes === 1 ? '' : 'es'}${stop}); ` +
      `the full cross product of the ranges searched is ${q.crossProductPoints} settings x ${r.seeds.length} seeds = ${q.crossProductRuns} runs`,
  );
  if (r.refused.length) lines.push(`  ${r.refused.length} setting${r.refused.length === 1 ? '' : 's'} refused by the scenario model (see --json)`);
  return lines.join('\n') + '\n';
}
