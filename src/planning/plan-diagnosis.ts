/**
 * What keeps a plan's makespan above the physical lower bound, read from one run of it and from
 * the bound's own terms (nothing here is written per scenario):
 * - how busy the binding term's resource really was over the run (a bound by the server NIC means
 *   little if the NIC was half idle);
 * - the timeline of the last node to finish: the wait before its power-on (a wave place, its
 *   relay being deployed first, the stagger) and each phase's time above the least the bound
 *   allows it (demand.ts steps);
 * - the scenario's per-client limits on the transfer that lost the most time (client rate caps,
 *   a backoff lockout of the downloads, rsync's per-file work) and whether, with the nodes that
 *   can be at it at once, they keep the binding resource below its capacity.
 */
import { maxOf } from './support.ts';
import type { DeploymentScenario } from '../twin/deployment/deployment-scenario.ts';
import type { SimulationResult } from '../twin/result.ts';
import type { Scenario } from '../twin/scenario.ts';
import { formatRate } from '../scenario/units.ts';
import { demandOf, type LowerBound } from './lower-bound.ts';
import { relayGroupsOf, type Role } from './demand.ts';

export interface Contribution {
  /** "wait before power-on", or a phase name. */
  what: string;
  seconds: number;
  /** The least the bound allows it (0 for a wait). */
  least: number;
  /** Why, when it can be told (e.g. "its relay was ready at 919 s"). */
  why?: string;
}

export interface Diagnosis {
  seed: string;
  makespan: number;
  /** Busiest link of the binding term's resource: share of the run it carried data at full rate. null: not a link. */
  bindingBusy: number | null;
  lastNode: { node: number; role: Role; contributions: Contribution[] };
  /** Sentences, most important first. */
  causes: string[];
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const sec = (x: number) => `${x.toFixed(0)} s`;

/** Links of the binding term, by its label ("server NICs (opa)", "rack 3 uplink (ethernet)"). */
function bindingBusy(bound: LowerBound, result: SimulationResult): number | null {
  const t = bound.binding;
  const network = /\(([^)]+)\)$/.exec(t.label)?.[1];
  let pattern: RegExp | null = null;
  if (t.kind === 'server-nic') pattern = new RegExp(`^${network}\\.server\\d*\\.nic:`);
  else if (t.kind === 'rack-uplink') pattern = new RegExp(`^${network}\\.rack${/rack (\d+)/.exec(t.label)?.[1]}\\.uplink:`);
  else if (t.kind === 'server-http-read') pattern = /^server\d*\.disk/;
  if (pattern === null || !(result.makespan > 0)) return null;
  const busy = result.links.filter((l) => pattern.test(l.name)).map((l) => l.bytesCarried / l.capacity);
  return busy.length === 0 ? null : Math.max(...busy) / result.makespan;
}

function lastNodeOf(result: SimulationResult): number {
  let node = 0;
  let end = -Infinity;
  for (const r of result.records) if (r.end > end) [node, end] = [r.node, r.end];
  return node;
}

function roleOf(result: SimulationResult, node: number): Role {
  if (result.relays.length === 0) return 'node';
  return result.relays.includes(node) ? 'relay' : 'child';
}

function timeline(scenario: Scenario, result: SimulationResult, node: number, role: Role): Contribution[] {
  const d = demandOf(scenario);
  const steps = d.roles.find((r) => r.role === role)?.steps ?? [];
  const records = result.records.filter((r) => r.node === node);
  const out: Contribution[] = [];
  const powerOn = records.length === 0 ? 0 : records[0].start;
  let why: string | undefined;
  if (role === 'child' && scenario.kind === 'deployment') {
    const g = relayGroupsOf(d.nodes, d.nodesPerRack, result.relays.length, 'deploy.relays').find((x) => node >= x.firstNode && node < x.endNode);
    const ready = g === undefined ? NaN : Math.max(...result.records.filter((r) => r.node === g.relay).map((r) => r.end));
    if (ready <= powerOn + 1e-9) why = `its relay (node ${g!.relay}) was deployed first, ready at ${sec(ready)}: the relay deployment cycle`;
  }
  if (why === undefined && scenario.kind === 'deployment') {
    why = scenario.deploy.wave < d.nodes ? `waiting for a place in the wave of ${scenario.deploy.wave}` : scenario.deploy.stagger > 0 ? `the stagger of ${scenario.deploy.stagger} s between power-ons` : undefined;
  }
  out.push({ what: 'wait before power-on', seconds: powerOn, least: 0, ...(why === undefined ? {} : { why }) });
  const byPhase = new Map<string, number>();
  for (const r of records) byPhase.set(r.phase, (byPhase.get(r.phase) ?? 0) + (r.end - r.start));
  for (const [phase, seconds] of byPhase) out.push({ what: phase, seconds, least: steps.find((s) => s.name === phase)?.seconds ?? 0 });
  return out.sort((a, b) => b.seconds - b.least - (a.seconds - a.least));
}

/** The per-client limits of a phase's transfer, as phrases, and the aggregate rate they allow. */
function clientLimits(s: DeploymentScenario, phase: string, inFlight: number): { limits: string[]; aggregate: number } {
  const limits: string[] = [];
  let perClient = Infinity;
  let movers = inFlight;
  if (phase === 'rootfs') {
    const r = s.boot.rootfs;
    perClient = maxOf(r.clientRate);
    if (perClient < Infinity) limits.push(`a per-client rate cap (boot.rootfs.clientRate, at most ${formatRate(perClient)})`);
    if (r.method === 'rsync') {
      perClient = Math.min(perClient, s.services.rsync.clientRate);
      limits.push(`one rsync stream per client (${formatRate(s.services.rsync.clientRate)}) plus per-file work (${s.services.rsync.perFileCost * 1000} ms a file)`);
    }
    if (r.admission !== null && (r.method === 'http' || r.method === 'hybrid')) {
      movers = Math.min(movers, r.admission.flows);
      limits.push(`a TCP backoff lockout letting ${r.admission.flows} downloads move at once per source (boot.rootfs.admission)`);
    }
  } else if (phase === 'kernel' || phase === 'initrd' || phase === 'bootloader') {
    perClient = maxOf(s.boot[phase].clientRate);
    if (perClient < Infinity) limits.push(`a per-client rate cap (boot.${phase}.clientRate, at most ${formatRate(perClient)})`);
  }
  return { limits, aggregate: perClient * movers };
}

export function diagnose(scenario: Scenario, bound: LowerBound, result: SimulationResult): Diagnosis {
  const node = lastNodeOf(result);
  const role = roleOf(result, node);
  const contributions = timeline(scenario, result, node, role);
  const busy = bindingBusy(bound, result);
  const causes: string[] = [];
  const gap = result.makespan - bound.seconds;
  if (busy !== null && busy < 0.8) {
    causes.push(`${bound.binding.label}, the binding term, carried data only ${pct(busy)} of the run: the bound assumes it busy throughout`);
  }
  const top = contributions.filter((c) => c.seconds - c.least > 0.05 * gap).slice(0, 3);
  const roleText = role === 'node' ? 'served by the server' : role === 'relay' ? 'a relay' : "a relay's child";
  for (const c of top) {
    const excess = c.seconds - c.least;
    const head = `the last node to finish (node ${node}, ${roleText}) ${c.what === 'wait before power-on' ? `waited ${sec(c.seconds)} before its power-on` : `spent ${sec(c.seconds)} in ${c.what}, ${sec(excess)} above its least ${sec(c.least)}`}`;
    causes.push(c.why === undefined ? head : `${head} (${c.why})`);
    if (scenario.kind === 'deployment' && c.what !== 'wait before power-on') {
      const inFlight = Math.min(scenario.deploy.wave, result.nodes);
      const { limits, aggregate } = clientLimits(scenario, c.what, inFlight);
      if (limits.length > 0) {
        const capacityNote = bound.binding.kind === 'server-nic' && aggregate < Infinity ? `; together at most ${formatRate(aggregate)} per source` : '';
        causes.push(`  ${c.what} is held by ${limits.join(' and ')}${capacityNote}`);
      }
    }
  }
  return { seed: result.seed, makespan: result.makespan, bindingBusy: busy, lastNode: { node, role, contributions }, causes };
}
