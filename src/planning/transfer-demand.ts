/**
 * The demand (demand.ts) of a transfer scenario: every node receives one image, from the server
 * (flat) or from its relay, which first receives it from the server (relay). One step per role, at
 * one route latency plus the image over the fastest the route allows. A flat plan's concurrency
 * limit is policy, not physics: it is not in the bound.
 */
import type { NetworkParams, TransferScenario } from '../twin/scenario.ts';
import { relayGroupsOf, type Demand, type RoleDemand } from './demand.ts';

const NO_SERVICES = { serverHttpRead: Infinity, relayHttpRead: Infinity, rsyncFileRate: Infinity, nfsOpsRate: Infinity, tftpSlots: Infinity };

export function transferDemand(s: TransferScenario): Demand {
  const networks = new Map<string, NetworkParams>(s.networks.map((n) => [n.name, n]));
  const { image, network, distribution } = s.transfer;
  const n = networks.get(network)!;
  const { nodes, nodesPerRack, servers } = s.cluster;
  const relays = distribution.method === 'relay' ? distribution.relays : 0;
  const groups = relayGroupsOf(nodes, nodesPerRack, relays, `${s.source ? `${s.source}: ` : ''}transfer.distribution.relays`);
  const fromServer = 3 * n.latency + image / Math.min(n.access, n.rackUplink, n.serverNic);
  const fromRelay = 2 * n.latency + image / n.access;
  const role = (r: RoleDemand['role'], seconds: number, source: 'server' | 'relay'): RoleDemand => ({
    role: r,
    steps: [{ name: 'image', seconds }],
    transfers: [{ step: 'image', network, source, bytes: image, collective: false, httpBytes: 0, rsyncFiles: 0, nfsOps: 0, tftpSeconds: 0 }],
  });
  const roles =
    groups.length === 0
      ? [role('node', fromServer, 'server')]
      : [role('relay', fromServer, 'server'), ...(groups.length < nodes ? [role('child', fromRelay, 'relay')] : [])];
  return {
    nodes,
    nodesPerRack,
    racks: Math.ceil(nodes / nodesPerRack),
    servers,
    networks,
    roles,
    imageStep: 'image',
    groups,
    capacities: NO_SERVICES,
    p2p: null,
  };
}
