/**
 * `npm run bench`: runs each reference scenario in a fresh Node process (so cold times and peak
 * memory are the scenario's own) and prints a table. The figures go into the README by hand; they
 * are not asserted anywhere, because wall time on a shared machine is not a test.
 *
 * "sim" is the wall time of simulate(): building the network, running the engine, collecting the
 * records (not loading the YAML file, not starting Node). Cold is the first call in the process,
 * warm the median of the calls after it.
 *
 * Sweep entries (by name, e.g. `npm run bench -- sweep-1000`) time the whole `deploytwin sweep`
 * command as a user runs it: Node start-up, checking every point, worker threads, simulations.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const SWEEPS: Record<string, { label: string; points: number; args: string[] }> = {
  'sweep-1000': {
    label: 'sweep 1,000 points of kiera-nurion-169, one seed each',
    points: 1000,
    args: ['sweep', 'kiera-nurion-169', '--set', 'relays=0..9/1', '--set', 'wave=5..500/5', '--seeds', '1', '--no-progress', '--top', '1'],
  },
};

const asked = process.argv.slice(2);
const scenarios = asked.length ? asked.filter((a) => !(a in SWEEPS)) : ['flat-169', 'flat-8437-w100', 'relay-13000', 'relay-100000'];
const sweeps = asked.length ? asked.filter((a) => a in SWEEPS) : Object.keys(SWEEPS);
const one = fileURLToPath(new URL('./one.ts', import.meta.url));

interface Row {
  scenario: string;
  nodes: number;
  makespan: number;
  events: number;
  flows: number;
  recomputations: number;
  coldSeconds: number;
  warmMedianSeconds: number;
  peakRssMB: number;
}

const rows: Row[] = [];
for (const name of scenarios) {
  const reps = name === 'relay-100000' ? '3' : '7';
  const out = execFileSync(process.execPath, ['--import', 'tsx', one, name, reps], { encoding: 'utf8' });
  rows.push(JSON.parse(out.trim().split('\n').pop()!) as Row);
}

const header = ['scenario', 'nodes', 'makespan s', 'events', 'flows', 'recomputes', 'sim cold s', 'sim warm s', 'peak RSS MB'];
const table = rows.map((r) => [
  r.scenario,
  String(r.nodes),
  r.makespan.toFixed(3),
  String(r.events),
  String(r.flows),
  String(r.recomputations),
  r.coldSeconds.toFixed(3),
  r.warmMedianSeconds.toFixed(3),
  r.peakRssMB.toFixed(0),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
if (rows.length) {
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of table) console.log(line(row));
}

if (sweeps.length) {
  const bin = fileURLToPath(new URL('../bin/deploytwin.js', import.meta.url));
  console.log('');
  console.log('| sweep | points | wall s |');
  console.log('|-------|--------|--------|');
  for (const name of sweeps) {
    const sweep = SWEEPS[name];
    const t0 = performance.now();
    execFileSync(process.execPath, [bin, ...sweep.args], { encoding: 'utf8' });
    console.log(`| ${sweep.label} | ${sweep.points} | ${((performance.now() - t0) / 1000).toFixed(1)} |`);
  }
}
