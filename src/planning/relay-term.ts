/**
 * The two levels of a relay plan as one bound. Level one: the relays receive their images from the
 * servers; the k-th relay to have its image cannot have it before
 *   LB(k) = head + max(one relay's own image time, k x one relay's share of the busiest server resource)
 * (k relays' worth of work has crossed that resource by then). Level two: once relay r has its
 * image it still has to send it to its group, at least q_r = (the busiest of its egress resources:
 * its access link, its rack uplink towards the other racks, its HTTP, rsync or NFS server) plus the
 * least tail of a child after its image, and no less than the relay's own tail. Whatever order
 * the relays get their images in, the makespan is at least max over relays of LB(rank) + q; the
 * order that makes this smallest gives the largest q the smallest rank (an exchange argument), so
 * the bound is max_k LB(k) + q_(k), with q sorted in decreasing order.
 */
import { formatDuration } from '../scenario/units.ts';
import type { BoundTerm } from './bound-term.ts';
import { prefixSeconds, stepSeconds, suffixSeconds, type Demand, type RelayGroup, type RoleDemand } from './demand.ts';

/** Seconds one relay's image costs the busiest server resource (0 for a collective stream, shared by all). */
function perRelayServerSeconds(d: Demand, relay: RoleDemand): number {
  let worst = 0;
  const k = d.servers;
  for (const t of relay.transfers) {
    if (t.step !== d.imageStep || t.source !== 'server' || t.collective) continue;
    const c = d.capacities;
    worst = Math.max(
      worst,
      t.bytes / (k * d.networks.get(t.network)!.serverNic),
      t.httpBytes / (k * c.serverHttpRead),
      t.rsyncFiles / (k * c.rsyncFileRate),
      t.nfsOps / (k * c.nfsOpsRate),
    );
  }
  return worst;
}

/** q_r: the least time from relay r having its image to the end of its group. */
function groupSeconds(d: Demand, g: RelayGroup, relay: RoleDemand, child: RoleDemand | undefined): { seconds: number; why: string } {
  const own = suffixSeconds(relay, d.imageStep);
  const children = g.endNode - g.firstNode - 1;
  if (child === undefined || children === 0) return { seconds: own, why: 'the relay alone' };
  const local = Math.min((g.firstRack + 1) * d.nodesPerRack, g.endNode) - g.firstNode - 1;
  const remote = children - local;
  const c = d.capacities;
  let busiest = 0;
  let why = '';
  let tail = Infinity;
  const consider = (seconds: number, what: string) => {
    if (seconds > busiest) [busiest, why] = [seconds, what];
  };
  const perNetwork = new Map<string, { access: number; uplink: number }>();
  let [http, files, ops] = [0, 0, 0];
  // Only the image counts: a relay holds the boot files it may also serve before it has the image.
  for (const t of child.transfers) {
    if (t.source !== 'relay' || t.step !== d.imageStep) continue;
    tail = Math.min(tail, suffixSeconds(child, t.step));
    const n = perNetwork.get(t.network) ?? { access: 0, uplink: 0 };
    n.access += t.collective ? t.bytes : children * t.bytes;
    n.uplink += t.collective ? (remote > 0 ? t.bytes : 0) : remote * t.bytes;
    perNetwork.set(t.network, n);
    http += children * t.httpBytes;
    files += children * t.rsyncFiles;
    ops += children * t.nfsOps;
  }
  for (const [name, n] of perNetwork) {
    const p = d.networks.get(name)!;
    consider(n.access / p.access, `access link (${name})`);
    consider(n.uplink / p.rackUplink, `rack uplink out (${name})`);
  }
  consider(http / c.relayHttpRead, 'HTTP serve rate');
  consider(files / c.rsyncFileRate, 'rsync files');
  consider(ops / c.nfsOpsRate, 'NFS operations');
  if (tail === Infinity) tail = 0;
  return busiest + tail >= own ? { seconds: busiest + tail, why: `${children} children through its ${why || 'links'}` } : { seconds: own, why: 'the relay alone' };
}

export function relayFanOutTerm(d: Demand): BoundTerm | null {
  const relay = d.roles.find((r) => r.role === 'relay');
  if (relay === undefined || d.groups.length === 0) return null;
  const child = d.roles.find((r) => r.role === 'child');
  const head = prefixSeconds(relay, d.imageStep);
  const single = stepSeconds(relay, d.imageStep);
  const share = perRelayServerSeconds(d, relay);
  const q = d.groups.map((g) => groupSeconds(d, g, relay, child)).sort((a, b) => b.seconds - a.seconds);
  let best = { seconds: 0, k: 0 };
  q.forEach((x, i) => {
    const t = head + Math.max(single, (i + 1) * share) + x.seconds;
    if (t > best.seconds) best = { seconds: t, k: i + 1 };
  });
  const x = q[best.k - 1];
  const ready = Math.max(single, best.k * share);
  return {
    kind: 'relay-fan-out',
    label: `relay fan-out (${d.groups.length} relay${d.groups.length === 1 ? '' : 's'})`,
    seconds: best.seconds,
    detail: `${formatDuration(head)} before + relay #${best.k} has its image after ${formatDuration(ready)} + ${formatDuration(x.seconds)} (${x.why})`,
  };
}
