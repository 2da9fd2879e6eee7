/**
 * The physical lower bound of a scenario's makespan: the least time any schedule could take, given
 * only the network, the image and file sizes, the client rate caps, the services' capacities and
 * the least time of each boot phase. Every term is a valid bound on its own; the bound is the
 * largest, and the term that gives it is the one that binds.
 *
 * Terms (bound-term.ts for the head + work / capacity + tail form):
 * - node path, per role: POST, boot files, rootfs, write and reboot, mount, init, one after the
 *   other on the same node (none can overlap the next);
 * - server NICs per network (N x S / (servers x B) for the rootfs), HTTP reads, rsync files, NFS
 *   operations, TFTP slots, summed over all servers;
 * - the busiest rack uplink per network (nodes in the rack x S / uplink);
 * - relay fan-out: the relays' own receive, then the busiest relay's egress to its group;
 * - peer-to-peer: N x S / (u_s + sum u_i).
 * Pacing (wave, stagger, per-rack and per-source caps), the relays having to be deployed before
 * their group powers on, sessions waiting for their members, retries and failures are the
 * deployment's policy and luck, not physics: they are not in the bound, so the ratio of a run's
 * makespan to the bound shows what they cost. The bound assumes every node deploys: a run with
 * failed nodes can end sooner. It is the same for every seed (it uses the distributions' supports,
 * not their draws).
 */
import type { Scenario } from '../twin/scenario.ts';
import type { BoundTerm } from './bound-term.ts';
import { deploymentDemand } from './deployment-demand.ts';
import type { Demand } from './demand.ts';
import { relayFanOutTerm } from './relay-term.ts';
import { nodePathTerms, p2pTerms, rackUplinkTerms, serverTerms } from './resource-terms.ts';
import { transferDemand } from './transfer-demand.ts';

export type { BoundTerm, TermKind } from './bound-term.ts';

export interface LowerBound {
  /** The bound, seconds: the largest term. */
  seconds: number;
  /** The term that binds. */
  binding: BoundTerm;
  /** Every term, largest first (ties in the order they were computed). */
  terms: BoundTerm[];
}

export function demandOf(scenario: Scenario): Demand {
  return scenario.kind === 'transfer' ? transferDemand(scenario) : deploymentDemand(scenario);
}

/**
 * The lower bound of a scenario. Throws UsageError(DT_SCENARIO_INVALID) for a plan the twin cannot
 * run either (more relays than racks).
 */
export function lowerBound(scenario: Scenario): LowerBound {
  const d = demandOf(scenario);
  const relay = relayFanOutTerm(d);
  const terms = [...nodePathTerms(d), ...serverTerms(d), ...rackUplinkTerms(d), ...(relay === null ? [] : [relay]), ...p2pTerms(d)];
  const sorted = terms.map((t, i) => ({ t, i })).sort((a, b) => b.t.seconds - a.t.seconds || a.i - b.i).map((x) => x.t);
  return { seconds: sorted[0].seconds, binding: sorted[0], terms: sorted };
}

/** The bound as lines of text: the bound, then every term with its figure. */
export function formatLowerBound(b: LowerBound): string {
  const lines = [`lower bound ${b.seconds.toFixed(3)} s, bound by ${b.binding.label}`];
  for (const t of b.terms) lines.push(`  ${t.seconds.toFixed(3).padStart(12)} s  ${t.label}: ${t.detail}`);
  return lines.join('\n') + '\n';
}
