/**
 * Per-node client rate caps (a boot loader's slow HTTP stack, one wget stream on a slow CPU):
 * drawn from a per-node, per-purpose stream so that a node's draws do not depend on the others.
 */
import type { Sampler } from '../../models/sampler.ts';
import type { DeploymentTwin } from './cluster.ts';

/** The client's cap in bytes/s, or undefined when the scenario sets none. */
export function drawRate(twin: DeploymentTwin, sampler: Sampler | null, node: number, what: string): number | undefined {
  if (sampler === null) return undefined;
  const rate = sampler.sample(twin.engine.stream(`client-rate.${what}.${node}`).fn);
  // A drawn rate of 0 would never finish; treat it as the smallest meaningful rate.
  return Math.max(rate, 1);
}
