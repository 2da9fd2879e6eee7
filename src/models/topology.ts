/**
 * The common cluster network shape: a server NIC into a core switch, R racks whose edge switches
 * have an uplink into the core, M nodes per rack on access links. Node i (0-based, rack-major) is
 * in rack floor(i / M); the last rack may be partly filled.
 *
 * Link ends follow the network's convention: "up" is towards the core. The server's NIC is the
 * link between the server and the core, so the server sends "up" it.
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import type { FlowNetwork } from '../engine/network/flow-network.ts';
import type { Link, Route } from '../engine/network/link.ts';

/** Units: capacity in bytes/s, latency in seconds. */
export interface LinkParams {
  capacity: number;
  latency?: number;
  duplex?: 'full' | 'half';
}

export interface RackTopologySpec {
  /** Number of nodes, >= 1. */
  nodes: number;
  /** Nodes per rack (M), >= 1. */
  nodesPerRack: number;
  /** Each server's NIC into the core switch. */
  serverNic: LinkParams;
  /** Number of servers on this fabric (default 1), each with its own NIC into the core. */
  servers?: number;
  /** Each rack's edge-switch uplink into the core. */
  rackUplink: LinkParams;
  /** Each node's access link into its rack's edge switch. */
  access: LinkParams;
  /** Prefix of link names, to keep several fabrics apart in one network (e.g. "eth", "opa"). */
  prefix?: string;
}

export class RackTopology {
  /** The first server's NIC (the only one in single-server topologies). */
  readonly serverNic: Link;
  /** Every server's NIC, index = server number. */
  readonly serverNics: readonly Link[];
  readonly rackUplinks: readonly Link[];
  readonly access: readonly Link[];
  readonly racks: number;

  constructor(
    readonly network: FlowNetwork,
    readonly spec: RackTopologySpec,
  ) {
    const { nodes, nodesPerRack } = spec;
    if (!(Number.isInteger(nodes) && nodes >= 1)) throw new UsageError(ErrorCodes.NETWORK_BAD_LINK, `topology: nodes must be an integer >= 1, got ${nodes}`);
    if (!(Number.isInteger(nodesPerRack) && nodesPerRack >= 1)) {
      throw new UsageError(ErrorCodes.NETWORK_BAD_LINK, `topology: nodesPerRack must be an integer >= 1, got ${nodesPerRack}`);
    }
    const p = spec.prefix ? `${spec.prefix}.` : '';
    this.racks = Math.ceil(nodes / nodesPerRack);
    const servers = spec.servers ?? 1;
    if (!(Number.isInteger(servers) && servers >= 1)) throw new UsageError(ErrorCodes.NETWORK_BAD_LINK, `topology: servers must be an integer >= 1, got ${servers}`);
    // A single server keeps the plain name "server.nic"; several are server0.nic, server1.nic, ...
    const nics: Link[] = [];
    for (let s = 0; s < servers; s++) nics.push(network.addLink({ name: servers === 1 ? `${p}server.nic` : `${p}server${s}.nic`, ...spec.serverNic }));
    this.serverNics = nics;
    this.serverNic = nics[0];
    const uplinks: Link[] = [];
    for (let r = 0; r < this.racks; r++) uplinks.push(network.addLink({ name: `${p}rack${r}.uplink`, ...spec.rackUplink }));
    const access: Link[] = [];
    for (let i = 0; i < nodes; i++) access.push(network.addLink({ name: `${p}node${i}.access`, ...spec.access }));
    this.rackUplinks = uplinks;
    this.access = access;
  }

  get nodes(): number {
    return this.spec.nodes;
  }

  rackOf(node: number): number {
    return Math.floor(node / this.spec.nodesPerRack);
  }

  /** Nodes of rack r: [first, end). */
  rackNodes(rack: number): { first: number; end: number } {
    const m = this.spec.nodesPerRack;
    return { first: rack * m, end: Math.min((rack + 1) * m, this.spec.nodes) };
  }

  /** Server to node: server NIC, the node's rack uplink (down), the node's access link (down). */
  serverToNode(node: number, server = 0): Route {
    return [this.serverNics[server].hopUp, this.rackUplinks[this.rackOf(node)].hopDown, this.access[node].hopDown];
  }

  /** Node to server: the reverse path (uploads, status reports). */
  nodeToServer(node: number, server = 0): Route {
    return [this.access[node].hopUp, this.rackUplinks[this.rackOf(node)].hopUp, this.serverNics[server].hopDown];
  }

  /** One-way latency of the server-node path, seconds (before any sharing-model factor). */
  serverNodeLatency(node: number, server = 0): number {
    return this.network.routeLatency(this.serverToNode(node, server));
  }

  /** Node to node: through the edge switch if in one rack, else up to the core and down again. */
  nodeToNode(src: number, dst: number): Route {
    const rs = this.rackOf(src);
    const rd = this.rackOf(dst);
    if (rs === rd) return [this.access[src].hopUp, this.access[dst].hopDown];
    return [this.access[src].hopUp, this.rackUplinks[rs].hopUp, this.rackUplinks[rd].hopDown, this.access[dst].hopDown];
  }
}
