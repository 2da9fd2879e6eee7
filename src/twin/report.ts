/**
 * The three ways a result leaves the program: a plain-text summary for a person, CSV rows
 * (node,phase,start,end) and JSON for machines. All three are pure functions of the result, so the
 * same scenario and seed print the same bytes.
 */
import { formatBytes, formatDuration, formatRate } from '../scenario/units.ts';
import type { SimulationResult } from './result.ts';
import type { Scenario } from './scenario.ts';
import { summarize, type Stats, type Summary } from './summary.ts';

/** CSV with full float precision: JavaScript's shortest round-trip form of each double. */
export function toCsv(result: SimulationResult): string {
  const lines = ['node,phase,start,end'];
  for (const r of result.records) lines.push(`${r.node},${r.phase},${r.start},${r.end}`);
  return lines.join('\n') + '\n';
}

export interface JsonReport {
  scenario: string;
  seed: string;
  nodes: number;
  racks: number;
  summary: Summary;
  links: SimulationResult['links'];
  engine: SimulationResult['engine'];
  failures: SimulationResult['failures'];
  relays: SimulationResult['relays'];
  services: SimulationResult['services'];
  records: SimulationResult['records'];
}

export function toJson(result: SimulationResult): string {
  const report: JsonReport = {
    scenario: result.scenario,
    seed: result.seed,
    nodes: result.nodes,
    racks: result.racks,
    summary: summarize(result),
    links: result.links,
    engine: result.engine,
    failures: result.failures,
    relays: result.relays,
    services: result.services,
    records: result.records,
  };
  return JSON.stringify(report, null, 1) + '\n';
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function padLeft(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

function seconds(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3);
}

function statsRow(label: string, s: Stats, width: number): string {
  const cols = [s.count.toString(), seconds(s.mean), seconds(s.min), seconds(s.p50), seconds(s.p95), seconds(s.p99), seconds(s.max)];
  return pad(label, width) + cols.map((c) => padLeft(c, 9)).join('');
}

/** The lines describing what was simulated. */
function scenarioLines(result: SimulationResult, scenario: Scenario): string[] {
  const out: string[] = [];
  if (scenario.kind === 'transfer') {
    const d = scenario.transfer.distribution;
    const plan = d.method === 'flat' ? `flat${d.concurrency < Infinity ? `, at most ${d.concurrency} at once` : ', all at once'}` : `relay, ${d.relays} relays`;
    out.push(`  ${result.nodes} nodes in ${result.racks} racks; image ${formatBytes(scenario.transfer.image)}; ${plan}`);
  } else {
    const { rootfs } = scenario.boot;
    const { wave, stagger, relays } = scenario.deploy;
    out.push(
      `  ${result.nodes} nodes in ${result.racks} racks; rootfs ${rootfs.image.format} ${formatBytes(rootfs.image.size)} by ${rootfs.method} on ${rootfs.network}`,
    );
    out.push(`  waves of ${wave === Infinity ? 'all' : wave}, stagger ${formatDuration(stagger)}, ${relays} relays`);
  }
  for (const n of scenario.networks) {
    out.push(`  ${n.name}: server NIC ${formatRate(n.serverNic)}, rack uplinks ${formatRate(n.rackUplink)}, access ${formatRate(n.access)}`);
  }
  out.push(`  sharing ${scenario.sharing}`);
  return out;
}

export function toText(result: SimulationResult, scenario: Scenario): string {
  const summary = summarize(result);
  const out: string[] = [];
  out.push(`scenario ${result.scenario} (seed ${result.seed})`);
  out.push(...scenarioLines(result, scenario));
  out.push('');
  out.push(`makespan ${formatDuration(result.makespan)} (${result.makespan} s)`);
  out.push('');
  // Label columns as wide as their longest label, so long phase and link names keep the table aligned.
  const statsWidth = Math.max(16, ...summary.phases.map((p) => `phase ${p.phase}`.length + 1));
  out.push(pad('seconds', statsWidth) + ['count', 'mean', 'min', 'p50', 'p95', 'p99', 'max'].map((h) => padLeft(h, 9)).join(''));
  out.push(statsRow('node completion', summary.nodeCompletion, statsWidth));
  for (const p of summary.phases) out.push(statsRow(`phase ${p.phase}`, p, statsWidth));
  out.push('');
  const kindWidth = Math.max(20, ...summary.linkKinds.map((k) => k.kind.length + 1));
  out.push(pad('links by kind', kindWidth + 2) + padLeft('count', 7) + padLeft('peak max', 11) + padLeft('peak mean', 11));
  for (const k of summary.linkKinds) {
    out.push(`  ${pad(k.kind, kindWidth)}${padLeft(String(k.count), 7)}${padLeft((k.max * 100).toFixed(1) + ' %', 11)}${padLeft((k.mean * 100).toFixed(1) + ' %', 11)}`);
  }
  if (result.services.length > 0) {
    out.push('');
    out.push(pad('services', 22) + padLeft('peak', 7) + padLeft('limit', 8) + padLeft('served', 9) + padLeft('refused', 9));
    // Relays' services read as one line per kind (there may be hundreds); unused ones are left out.
    const shown = result.services.filter((x) => !x.name.startsWith('relay'));
    for (const kind of ['http', 'rsync', 'nfs'] as const) {
      const relays = result.services.filter((x) => x.name.startsWith('relay') && x.kind === kind && x.served + x.refused > 0);
      if (relays.length === 0) continue;
      shown.push({
        name: `relay#.${kind} x${relays.length}`,
        kind,
        peak: Math.max(...relays.map((x) => x.peak)),
        limit: relays[0].limit,
        served: relays.reduce((a, x) => a + x.served, 0),
        refused: relays.reduce((a, x) => a + x.refused, 0),
      });
    }
    for (const x of shown) {
      const limit = x.limit === Infinity ? '-' : String(x.limit);
      out.push(`  ${pad(x.name, 20)}${padLeft(String(x.peak), 7)}${padLeft(limit, 8)}${padLeft(String(x.served), 9)}${padLeft(String(x.refused), 9)}`);
    }
  }
  if (result.failures.length > 0) {
    out.push('');
    out.push(`failed nodes: ${result.failures.length}`);
    for (const f of result.failures.slice(0, 10)) out.push(`  node ${f.node} at ${seconds(f.at)} s: ${f.reason}`);
    if (result.failures.length > 10) out.push(`  ... and ${result.failures.length - 10} more (see --json)`);
  }
  out.push('');
  out.push(`engine: ${result.engine.events} events, ${result.engine.flows} flows, ${result.engine.recomputations} rate recomputations (${result.engine.flowsResolved} flow re-solves)`);
  return out.join('\n') + '\n';
}
