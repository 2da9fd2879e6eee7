/**
 * What `deploytwin plan` may change in a scenario, and within which limits: the knobs (transfer
 * method, relay count, wave size), their ranges after the constraints, the scenario's own setting
 * to start from, and how each knob setting is written into the file (overrides.ts).
 *
 * Relay placement has no knob of its own in the scenario model: relays always serve groups of
 * whole, contiguous racks split evenly (demand.ts relayGroupsOf), so the count decides the
 * placement. The constraints are mapped onto real scenario parameters by plan-constraints.ts.
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import { SCHEME_NAMES, provisioningScheme } from '../orchestrator/provisioning.ts';
import type { ScenarioFile } from '../twin/scenario-schema.ts';
import type { Override } from './overrides.ts';

/** One setting of the knobs. In a transfer scenario, wave is the flat method's concurrency. */
export interface Knobs {
  method: string;
  relays: number;
  wave: number;
}

export interface IntRange {
  lo: number;
  hi: number;
}

export const TRANSFER_METHODS = ['flat', 'relay'] as const;
export const DEPLOYMENT_METHODS: readonly string[] = SCHEME_NAMES;

export interface PlanLimits {
  /** Methods to consider (already checked against the scenario's kind). */
  methods: string[];
  maxRelays: number;
  /** Most nodes in flight, when a constraint caps the wave (plan-constraints.ts); else Infinity. */
  maxWave: (method: string) => number;
  /** Most relays a constraint allows besides --max-relays (transfer relay: one server connection each). */
  maxRelaysFor: (method: string) => number;
}

export interface PlanSpace {
  kind: 'deployment' | 'transfer';
  nodes: number;
  racks: number;
  methods: string[];
  relayRange(method: string): IntRange;
  waveRange(method: string): IntRange;
  /** The scenario's own knobs, clamped into the ranges. */
  start: Knobs;
}

export function scenarioKind(file: ScenarioFile): 'deployment' | 'transfer' {
  return file.transfer === undefined ? 'deployment' : 'transfer';
}

/** Whether a method can be served by relays. */
export function methodTakesRelays(kind: 'deployment' | 'transfer', method: string): boolean {
  return kind === 'transfer' ? method === 'relay' : provisioningScheme(method as (typeof SCHEME_NAMES)[number]).relays;
}

/** Parses --methods against the scenario's kind; default: every method of that kind. */
export function parseMethods(arg: string | undefined, kind: 'deployment' | 'transfer'): string[] {
  const known: readonly string[] = kind === 'transfer' ? TRANSFER_METHODS : DEPLOYMENT_METHODS;
  if (arg === undefined) return [...known];
  const methods = [...new Set(arg.split(',').map((m) => m.trim()))];
  for (const m of methods) {
    if (!known.includes(m)) {
      throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `--methods: "${m}" is not a method of a ${kind} scenario (known: ${known.join(', ')})`);
    }
  }
  return methods;
}

/** The scenario's own knobs as written (wave: all nodes when unset). */
function ownKnobs(file: ScenarioFile): Knobs {
  const nodes = file.cluster.nodes;
  if (file.transfer !== undefined) {
    const d = file.transfer.distribution;
    return d.method === 'flat' ? { method: 'flat', relays: 0, wave: d.concurrency ?? nodes } : { method: 'relay', relays: d.relays, wave: nodes };
  }
  const deploy = file.deploy ?? {};
  const rootfs = (file.boot?.rootfs ?? {}) as Record<string, unknown>;
  return { method: String(rootfs.method), relays: (deploy.relays as number | undefined) ?? 0, wave: Math.min((deploy.wave as number | undefined) ?? nodes, nodes) };
}

const clamp = (x: number, r: IntRange) => Math.min(r.hi, Math.max(r.lo, x));

/** The space, or a UsageError(DT_PLAN_INFEASIBLE) when the constraints leave a method no setting at all. */
export function planSpace(file: ScenarioFile, limits: PlanLimits): PlanSpace {
  const kind = scenarioKind(file);
  const nodes = file.cluster.nodes;
  const racks = Math.ceil(nodes / file.cluster.nodesPerRack);
  const relayRange = (method: string): IntRange => {
    if (!methodTakesRelays(kind, method)) return { lo: 0, hi: 0 };
    const hi = Math.min(racks, limits.maxRelays, limits.maxRelaysFor(method));
    return { lo: kind === 'transfer' ? 1 : 0, hi };
  };
  const waveRange = (method: string): IntRange => (kind === 'transfer' && method === 'relay' ? { lo: nodes, hi: nodes } : { lo: 1, hi: Math.min(nodes, limits.maxWave(method)) });
  const methods = limits.methods.filter((m) => relayRange(m).hi >= relayRange(m).lo);
  if (methods.length === 0) {
    throw new UsageError(ErrorCodes.PLAN_INFEASIBLE, `no method of ${limits.methods.join(', ')} can run within the constraints (the relay method needs at least one relay: raise --max-relays)`);
  }
  const own = ownKnobs(file);
  const method = methods.includes(own.method) ? own.method : methods[0];
  return { kind, nodes, racks, methods, relayRange, waveRange, start: normalise({ kind, relayRange, waveRange }, { ...own, method }) };
}

/** Knobs moved into the method's ranges (a method without relays gets 0; the relay transfer has no wave). */
export function normalise(space: Pick<PlanSpace, 'kind' | 'relayRange' | 'waveRange'>, k: Knobs): Knobs {
  const relays = clamp(k.relays, space.relayRange(k.method));
  return { method: k.method, relays: relays === 0 && space.kind === 'transfer' && k.method === 'relay' ? 1 : relays, wave: clamp(k.wave, space.waveRange(k.method)) };
}

/** A stable identity of a setting (cache key, tie-breaker). */
export function knobsKey(k: Knobs): string {
  return `${k.method}|${String(k.relays).padStart(9, '0')}|${String(k.wave).padStart(9, '0')}`;
}

/** "method=http relays=13 wave=150" (wave "all" when every node may be in flight). */
export function describeKnobs(space: Pick<PlanSpace, 'kind' | 'nodes'>, k: Knobs): string {
  if (space.kind === 'transfer') return k.method === 'relay' ? `method=relay relays=${k.relays}` : `method=flat concurrency=${k.wave === space.nodes ? 'all' : k.wave}`;
  return `method=${k.method} relays=${k.relays} wave=${k.wave === space.nodes ? `all (${k.wave})` : k.wave}`;
}

/** The overrides that write a setting into the scenario file. */
export function knobOverrides(space: Pick<PlanSpace, 'kind'>, k: Knobs): Override[] {
  if (space.kind === 'transfer') {
    const value = k.method === 'relay' ? { method: 'relay', relays: k.relays } : { method: 'flat', concurrency: k.wave };
    return [{ name: 'method', path: ['transfer', 'distribution'], value }];
  }
  return [
    { name: 'method', path: ['boot', 'rootfs', 'method'], value: k.method },
    { name: 'relays', path: ['deploy', 'relays'], value: k.relays },
    { name: 'wave', path: ['deploy', 'wave'], value: k.wave },
  ];
}

/** Number of settings in the space: the cross product the search stands in for. */
export function crossProductSize(space: PlanSpace): number {
  let n = 0;
  for (const m of space.methods) {
    const r = space.relayRange(m);
    const w = space.waveRange(m);
    n += (r.hi - r.lo + 1) * (w.hi - w.lo + 1);
  }
  return n;
}
