/**
 * The body of a simulation worker thread: loads the scenario with its overrides, runs the twin
 * and posts what happens (protocol in sim-protocol.ts). Journal entries (node state changes,
 * failures) are posted while the engine runs, batched by wall time so a 100,000-node run does
 * not post a message per entry; the events only the finished result holds follow at the end
 * (run-source.ts), in chunks, then the result with its records as transferred columns.
 */
import { parentPort } from 'node:worker_threads';
import { DeployTwinError, ErrorCodes } from '../errors.ts';
import type { PhaseListener } from '../models/phase-log.ts';
import type { JournalEntry } from '../ports/index.ts';
import { expandHostlist } from '../scenario/hostlist.ts';
import { simulateDeployment } from '../twin/deployment/simulate-deployment.ts';
import { DEFAULT_SCENARIO, loadScenario } from '../twin/load.ts';
import type { SimulationResult } from '../twin/result.ts';
import type { Scenario } from '../twin/scenario.ts';
import { simulateTransfer } from '../twin/simulate.ts';
import { summarize } from '../twin/summary.ts';
import { toColumns, transferList } from './record-columns.ts';
import type { RunEvent } from './run-events.ts';
import { downloadsOf, journalEvents, LivePhases, resultEvents } from './run-source.ts';
import { LoadSampler } from './load-sampler.ts';
import { LinkLoadMeter } from '../twin/link-load.ts';
import type { DeploymentTwin } from '../twin/deployment/cluster.ts';
import { loadWithOverrides } from './scenario-overrides.ts';
import type { SimWorkerInput, SimWorkerMessage } from './sim-protocol.ts';

const port = parentPort!;
/** Events per message once the run has ended: small enough to receive without holding the server's loop. */
const CHUNK = 5000;
const post = (m: SimWorkerMessage): void => port.postMessage(m);
const nextMessage = <T>() => new Promise<T>((resolve) => port.once('message', resolve));

/**
 * Holds the simulation back to `pace` simulated seconds per wall-clock second: returns a
 * function that blocks until simulated time `t` is due, calling `before` first if it has to wait.
 * The engine never yields, so no timer can do it: the worker blocks in Atomics.wait (allowed off
 * the main thread), in short slices so that stopping the run (worker.terminate) never waits long.
 */
function pacer(pace: number | null | undefined): (t: number, before: () => void) => void {
  if (pace === null || pace === undefined) return () => {};
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const start = performance.now();
  return (t, before) => {
    const due = start + (t / pace) * 1000;
    if (performance.now() >= due) return;
    before();
    for (let left = due - performance.now(); left > 0; left = due - performance.now()) Atomics.wait(cell, 0, 0, Math.min(left, 50));
  };
}

async function simulate(scenario: Scenario, input: SimWorkerInput): Promise<void> {
  const seed = input.overrides.seed;
  const index = new Map(expandHostlist(scenario.cluster.names).map((name, i) => [name, i]));
  const failed = new Set<number>();
  const batchMs = input.batchMs ?? 50;
  let entries: JournalEntry[] = [];
  let events: RunEvent[] = [];
  let lastPost = performance.now();
  const waitFor = pacer(input.pace);
  const flush = (now: number): void => {
    post({ type: 'progress', entries, events, now });
    entries = [];
    events = [];
    lastPost = performance.now();
  };
  let reached = 0;
  /** Everything the twin tells goes through here, at simulated time `t` (the engine's now). */
  const happened = (t: number, add: () => void): void => {
    // What happened before `t` is sent before waiting for it.
    waitFor(t, () => {
      if (entries.length + events.length > 0) flush(reached);
    });
    reached = Math.max(reached, t);
    add();
    const sample = load?.at(t);
    if (sample) events.push(sample);
    // The engine never yields to the event loop while it runs, so no timer could fire here:
    // the wall clock is read at each notification instead.
    if (performance.now() - lastPost >= batchMs) flush(reached);
  };
  const onJournal = (entry: JournalEntry): void =>
    happened(entry.at, () => {
      entries.push(entry);
      for (const e of journalEvents(entry, (name) => index.get(name))) {
        events.push(e);
        if (e.kind === 'failure') failed.add(e.node);
      }
    });
  let load: LoadSampler | null = null;
  const onTwin = (twin: DeploymentTwin): void => {
    load = new LoadSampler(new LinkLoadMeter(twin.network), input.loadInterval ?? 5);
  };
  const phases = new LivePhases();
  const onPhase: PhaseListener = {
    began: (node, phase, t) => happened(t, () => events.push(phases.began(node, phase, t))),
    recorded: (r) => happened(r.end, () => events.push(...phases.recorded(r))),
  };
  let result: SimulationResult;
  if (scenario.kind === 'transfer') result = simulateTransfer(scenario, { seed });
  else result = await simulateDeployment(scenario, { seed, onJournal, onPhase, onTwin });
  const last = (load as LoadSampler | null)?.at(result.makespan, true);
  if (last) events.push(last);
  if (entries.length + events.length > 0) flush(Math.max(reached, result.makespan));
  const derived = resultEvents(result, downloadsOf(scenario), failed, scenario.kind !== 'transfer');
  // One chunk at a time, each when the server asks for more: messages queued together would all
  // be received in one turn of the server's event loop, however small each is.
  for (let i = 0; i < derived.length; i += CHUNK) {
    post({ type: 'events', events: derived.slice(i, i + CHUNK) });
    await nextMessage<'more'>();
  }
  const { records, ...rest } = result;
  const columns = toColumns(records);
  port.postMessage({ type: 'done', result: rest, records: columns, summary: summarize(result) } satisfies SimWorkerMessage, transferList(columns));
}

async function serve(): Promise<void> {
  const input = await nextMessage<SimWorkerInput>();
  const scenario = loadWithOverrides(input.path, input.overrides);
  const names = expandHostlist(scenario.cluster.names);
  post({ type: 'started', kind: scenario.kind, seed: input.overrides.seed ?? scenario.seed, names, nodesPerRack: scenario.cluster.nodesPerRack });
  await nextMessage<'go'>();
  await simulate(scenario, input);
}

// A worker waits idle for its run (worker-pool.ts): meanwhile it loads a scenario once, so the
// first load's cost (compiling the scenario schema, seconds on a busy machine) is paid now.
try {
  loadScenario(DEFAULT_SCENARIO);
} catch {
  // Only a warm-up: the real load reports its own errors.
}

serve().catch((e: unknown) => {
  const error =
    e instanceof DeployTwinError
      ? { code: e.code, message: [e.message, ...e.details].join('\n'), kind: e.kind }
      : { code: ErrorCodes.SERVER_RUN_FAILED, message: e instanceof Error ? e.message : String(e), kind: 'internal' };
  post({ type: 'error', error });
});
