/**
 * Benchmarks one scenario in this (fresh) process and prints one JSON line: the first run's
 * simulation wall time (cold: the JIT has not warmed up), the median of the warm runs after it,
 * the scenario's figures, and the peak resident memory of the process after the first run
 * (Node itself, the loaded scenario and one simulation).
 * Usage: tsx bench/one.ts <scenario> [warm runs]
 */
import { performance } from 'node:perf_hooks';
import { loadScenario } from '../src/twin/load.ts';
import { simulate } from '../src/twin/simulate.ts';

const [name, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 5);
const scenario = loadScenario(name);

async function timed(): Promise<{ seconds: number; result: Awaited<ReturnType<typeof simulate>> }> {
  const t0 = performance.now();
  const result = await simulate(scenario);
  return { seconds: (performance.now() - t0) / 1000, result };
}

// The first call is the cold one; the peak memory is read right after it, before warm runs
// leave garbage of their own behind.
const first = await timed();
const cold = first.seconds;
const peakRssMB = process.resourceUsage().maxRSS / 1024;
const result = first.result;
const warm: number[] = [];
for (let i = 0; i < reps; i++) warm.push((await timed()).seconds);
warm.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    scenario: name,
    nodes: result.nodes,
    makespan: result.makespan,
    events: result.engine.events,
    flows: result.engine.flows,
    recomputations: result.engine.recomputations,
    coldSeconds: cold,
    warmMedianSeconds: warm.length ? warm[Math.floor(warm.length / 2)] : cold,
    peakRssMB,
  }),
);
