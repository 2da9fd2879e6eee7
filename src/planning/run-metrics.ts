/**
 * One simulation run of a planning task: a scenario file as written (overrides applied), resolved
 * and simulated with one seed, reduced to the figures a sweep or a regression check keeps. Used
 * in-process and by the worker threads (simulate-worker.ts), so both give the same numbers.
 */
import type { SimulationResult } from '../twin/result.ts';
import { resolveScenario } from '../twin/scenario.ts';
import type { ScenarioFile } from '../twin/scenario-schema.ts';
import { simulate } from '../twin/simulate.ts';

/** What a worker is given: plain data only (it crosses a thread boundary). */
export interface RunTask {
  file: ScenarioFile;
  /** Where the file came from (for messages). */
  source: string;
  seed: string;
}

export interface RunMetrics {
  seed: string;
  /** Seconds. */
  makespan: number;
  /** Nodes that did not deploy. */
  failedNodes: number;
  /**
   * Highest peak utilisation (0..1) of a shared network link: server NICs and rack uplinks, on any
   * network. A node's own access link running full is normal, so it is left out.
   */
  peakLinkUtilisation: number;
  /** Highest peak utilisation (0..1) of a deployment server's resources: its NICs, HTTP reads, rsync files, NFS operations. */
  peakServerUtilisation: number;
}

const SHARED_LINK = /(^|\.)(server\d*\.nic|rack\d+\.uplink)(:|$)/;
const SERVER_RESOURCE = /(^|\.)server\d*\./;

export function metricsOf(result: SimulationResult): RunMetrics {
  let link = 0;
  let server = 0;
  for (const l of result.links) {
    if (SHARED_LINK.test(l.name)) link = Math.max(link, l.peakUtilisation);
    if (SERVER_RESOURCE.test(l.name)) server = Math.max(server, l.peakUtilisation);
  }
  return { seed: result.seed, makespan: result.makespan, failedNodes: result.failures.length, peakLinkUtilisation: link, peakServerUtilisation: server };
}

export async function runTask(task: RunTask): Promise<RunMetrics> {
  const scenario = resolveScenario(task.file, task.source);
  return metricsOf(await simulate(scenario, { seed: task.seed }));
}
