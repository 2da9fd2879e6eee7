/**
 * Benchmarks one scenario in this (fresh) process and prints one JSON line: the first run's
 * simulation wall time (cold: the JIT has not warmed up), the median of the warm runs after it,
 * the scenario's figures, and the peak resident memory of the process.
 * Usage: tsx bench/one.ts <scenario> [warm runs]
 */
import { performance } from 'node:perf_hooks';
import { loadScenario } from '../src/twin/load.ts';
import { simulate } from '../src/twin/simulate.ts';

const [name, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 5);
const scenario = loadScenario(name);

const times: number[] = [];
let result = simulate(scenario);
for (let i = 0; i <= reps; i++) {
  const t0 = performance.now();
  result = simulate(scenario);
  times.push((performance.now() - t0) / 1000);
}
const cold = times[0];
const warm = times.slice(1).sort((a, b) => a - b);
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
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
