/**
 * `deploytwin simulate <scenario> --seeds N`: the Monte Carlo distribution of one scenario's
 * makespan. Run i uses the seed "<seed>-i" (the scenario's seed, or --seed), as a sweep point's
 * runs do, so the distribution is that of N single `simulate --seed <seed>-i` runs, and the runs go
 * through the same pool (run-pool.ts): the same figures whatever the number of workers.
 */
import { loadScenarioSource } from '../twin/load.ts';
import { resolveScenario } from '../twin/scenario.ts';
import { lowerBound } from './lower-bound.ts';
import { runTasks } from './run-pool.ts';
import { runSeeds, runStats, type RunStats } from './run-stats.ts';

export interface SeedRunsResult extends RunStats {
  scenario: string;
  seeds: string[];
  /** Seconds, or null. */
  deadline: number | null;
  lowerBound: number;
  boundBy: string;
}

export interface SeedRunsOptions {
  seeds: number;
  /** Base seed (default: the scenario's). */
  seed?: string;
  deadline?: number;
  workers: number;
  onProgress?: (done: number, total: number) => void;
}

export async function runScenarioSeeds(scenarioArg: string, o: SeedRunsOptions): Promise<SeedRunsResult> {
  const { file, source } = loadScenarioSource(scenarioArg);
  const bound = lowerBound(resolveScenario(file, source));
  const seeds = runSeeds(o.seed ?? String(file.seed ?? 1), o.seeds);
  const metrics = await runTasks(
    seeds.map((seed) => ({ file, source, seed })),
    { workers: o.workers, onProgress: o.onProgress, describe: (i) => `seed ${seeds[i]}` },
  );
  return { scenario: file.name, seeds, deadline: o.deadline ?? null, ...runStats(metrics, o.deadline), lowerBound: bound.seconds, boundBy: bound.binding.label };
}

export function seedRunsJson(r: SeedRunsResult): string {
  return JSON.stringify(r, null, 1) + '\n';
}

const s = (x: number) => x.toFixed(3);

export function seedRunsText(r: SeedRunsResult): string {
  const m = r.makespan;
  const lines = [
    `scenario ${r.scenario}: ${r.runs} runs, seeds ${r.seeds[0]} ... ${r.seeds[r.seeds.length - 1]}`,
    `  makespan mean ${s(m.mean)} s, p50 ${s(m.p50)} s, p95 ${s(m.p95)} s, p99 ${s(m.p99)} s, min ${s(m.min)} s, max ${s(m.max)} s`,
  ];
  if (r.deadline !== null) lines.push(`  P(makespan > ${r.deadline} s) = ${((r.missProbability ?? 0) * 100).toFixed(1)} % (a run with a failed node counts as a miss)`);
  lines.push(`  runs with failed nodes: ${r.failedRuns} of ${r.runs} (${r.failedNodesMean} failed nodes per run on average)`);
  lines.push(`  peak utilisation: shared links ${(r.peakLinkUtilisation * 100).toFixed(0)} %, server ${(r.peakServerUtilisation * 100).toFixed(0)} %`);
  lines.push(`  lower bound ${s(r.lowerBound)} s (${r.boundBy}); mean / bound = ${(m.mean / r.lowerBound).toFixed(2)}`);
  return lines.join('\n') + '\n';
}
