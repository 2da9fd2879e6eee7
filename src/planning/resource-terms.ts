/**
 * The terms of the lower bound that do not depend on relays' two levels: each role's own path
 * (its steps one after the other), the deployment servers' NICs and services, the rack uplinks, and
 * the peer-to-peer minimum distribution time.
 */
import { formatDuration } from '../scenario/units.ts';
import { Load, loadTerm, type BoundTerm } from './bound-term.ts';
import { pathSeconds, prefixSeconds, rackRoles, racksWithGroups, roleCount, suffixSeconds, type Demand, type RackRoles, type Role } from './demand.ts';

/** Each role's steps in sequence: no node can be faster than its own path. */
export function nodePathTerms(d: Demand): BoundTerm[] {
  return d.roles.map((r) => ({
    kind: 'node-path',
    label: `node path (${r.role})`,
    seconds: pathSeconds(r),
    detail: r.steps.filter((s) => s.seconds > 0).map((s) => `${s.name} ${formatDuration(s.seconds)}`).join(' + '),
  }));
}

/** The deployment servers: every NIC (per network) and service, summed over all servers. */
export function serverTerms(d: Demand): BoundTerm[] {
  const nic = new Map<string, Load>();
  const [http, rsync, nfs, tftp] = [new Load(), new Load(), new Load(), new Load()];
  for (const r of d.roles) {
    const count = roleCount(d, r.role);
    for (const t of r.transfers) {
      if (t.source !== 'server' || count === 0) continue;
      const [head, tail] = [prefixSeconds(r, t.step), suffixSeconds(r, t.step)];
      if (!nic.has(t.network)) nic.set(t.network, new Load());
      // A collective stream leaves the server once for the whole session.
      nic.get(t.network)!.add(t.collective ? t.bytes : count * t.bytes, head, tail);
      http.add(count * t.httpBytes, head, tail);
      rsync.add(count * t.rsyncFiles, head, tail);
      nfs.add(count * t.nfsOps, head, tail);
      tftp.add(count * t.tftpSeconds, head, tail);
    }
  }
  const k = d.servers;
  const c = d.capacities;
  const terms = [...nic].map(([name, load]) => loadTerm('server-nic', `server NICs (${name})`, load, k * d.networks.get(name)!.serverNic, 'bytes'));
  terms.push(
    loadTerm('server-http-read', 'server HTTP reads', http, k * c.serverHttpRead, 'bytes'),
    loadTerm('server-rsync-files', 'server rsync files', rsync, k * c.rsyncFileRate, 'files'),
    loadTerm('server-nfs-ops', 'server NFS operations', nfs, k * c.nfsOpsRate, 'ops'),
    loadTerm('tftp-slots', 'TFTP server slots', tftp, c.tftpSlots, 'slot-seconds'),
  );
  return terms.filter((t): t is BoundTerm => t !== null);
}

/** Nodes of `role` in a rack that receive from outside it: from the server, or from a relay in another rack. */
function fromOutside(rr: RackRoles, role: Role, source: 'server' | 'relay'): number {
  if (source === 'relay') return rr.childRemote;
  return role === 'node' ? rr.node : role === 'relay' ? rr.relay : rr.childLocal + rr.childRemote;
}

/** The busiest rack uplink (into the rack) of each network. */
export function rackUplinkTerms(d: Demand): BoundTerm[] {
  const best = new Map<string, BoundTerm>();
  for (const { rack, group } of racksWithGroups(d)) {
    const rr = rackRoles(d, rack, group);
    const loads = new Map<string, Load>();
    for (const r of d.roles) {
      for (const t of r.transfers) {
        const n = fromOutside(rr, r.role, t.source);
        if (n === 0) continue;
        if (!loads.has(t.network)) loads.set(t.network, new Load());
        loads.get(t.network)!.add(t.collective ? t.bytes : n * t.bytes, prefixSeconds(r, t.step), suffixSeconds(r, t.step));
      }
    }
    for (const [name, load] of loads) {
      const term = loadTerm('rack-uplink', `rack ${rack} uplink (${name})`, load, d.networks.get(name)!.rackUplink, 'bytes');
      if (term !== null && term.seconds > (best.get(name)?.seconds ?? 0)) best.set(name, term);
    }
  }
  return [...best.values()];
}

/**
 * Peer-to-peer (Kumar and Ross): every node must receive the image, and every byte received was
 * uploaded by a server or a peer, so N * S / (servers' NICs + every node's access link) at least.
 * (The other two terms of that bound, S / u_s and S / d_min, are the server NIC and node path terms.)
 */
export function p2pTerms(d: Demand): BoundTerm[] {
  if (d.p2p === null) return [];
  const n = d.networks.get(d.p2p.network)!;
  const load = new Load();
  for (const r of d.roles) load.add(roleCount(d, r.role) * d.p2p.bytes, prefixSeconds(r, d.imageStep), suffixSeconds(r, d.imageStep));
  const term = loadTerm('p2p-swarm', `p2p swarm upload (${d.p2p.network})`, load, d.servers * n.serverNic + d.nodes * n.access, 'bytes');
  return term === null ? [] : [term];
}
