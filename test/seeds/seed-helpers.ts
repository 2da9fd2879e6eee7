/** Shared helpers for the seed-scenario tests: run a built-in scenario and read its phases. */
import { loadScenario } from '../../src/twin/load.ts';
import type { PhaseRecord, SimulationResult } from '../../src/twin/result.ts';
import { simulate } from '../../src/twin/simulate.ts';

export async function run(name: string): Promise<SimulationResult> {
  return simulate(loadScenario(name));
}

/** Durations of one phase, one per node that went through it, sorted ascending. */
export function durations(result: SimulationResult, phase: string): number[] {
  return result.records
    .filter((r) => r.phase === phase)
    .map((r) => r.end - r.start)
    .sort((a, b) => a - b);
}

export function byNode(result: SimulationResult, phase: string): Map<number, PhaseRecord> {
  return new Map(result.records.filter((r) => r.phase === phase).map((r) => [r.node, r]));
}

/** Each node's end of its last phase. */
export function completion(result: SimulationResult): Map<number, number> {
  const end = new Map<number, number>();
  for (const r of result.records) end.set(r.node, Math.max(end.get(r.node) ?? 0, r.end));
  return end;
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** |actual - expected| <= tolerance x expected */
export function within(actual: number, expected: number, tolerance: number): boolean {
  return Math.abs(actual - expected) <= tolerance * expected;
}
