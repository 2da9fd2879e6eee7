/**
 * The twin of a cluster being deployed: one engine and flow network, a rack topology per named
 * network (fabric), the deployment server's services (DHCP, TFTP, HTTP per server), a BMC per node,
 * and the phase log. Built from a deployment scenario; driven by a deployment driver (the
 * orchestrator, through the twin's ports).
 */
import { Engine } from '../../engine/engine.ts';
import { FlowNetwork } from '../../engine/network/flow-network.ts';
import type { Route } from '../../engine/network/link.ts';
import { SHARING_MODELS } from '../../engine/network/sharing.ts';
import { BmcModel } from '../../models/bmc.ts';
import { DhcpServer } from '../../models/dhcp.ts';
import { HttpServer } from '../../models/http-server.ts';
import type { NfsRootServer } from '../../models/nfs-root.ts';
import type { RsyncServer } from '../../models/rsync.ts';
import { PhaseLog } from '../../models/phase-log.ts';
import { TftpServer } from '../../models/tftp.ts';
import { RackTopology } from '../../models/topology.ts';
import { CollectiveSessions } from './collective.ts';
import type { DeploymentScenario } from './deployment-scenario.ts';

export class DeploymentTwin {
  readonly engine: Engine;
  readonly network: FlowNetwork;
  readonly fabrics = new Map<string, RackTopology>();
  readonly dhcp: DhcpServer;
  readonly tftp: TftpServer;
  /** One HTTP server per deployment server. */
  readonly http: HttpServer[] = [];
  readonly bmcs: BmcModel[] = [];
  readonly log = new PhaseLog();
  /**
   * Where each node gets its root filesystem: -1 for its deployment server, else a relay's node
   * index. Set by the deployment driver before the node powers on.
   */
  readonly rootfsSource: Int32Array;
  /** Nodes whose next boot is the commissioning environment (kernel and initrd, no rootfs). */
  readonly commissioning = new Set<number>();
  /** Relay nodes (set by the driver before power-on). */
  readonly relays = new Set<number>();
  /** HTTP servers of relays that are serving, by relay node index. */
  readonly relayHttp = new Map<number, HttpServer>();
  /** rsync and NFS servers by source name ("server", "server1", "relay42"), created on first use. */
  readonly rsync = new Map<string, RsyncServer>();
  readonly nfs = new Map<string, NfsRootServer>();
  /** Multicast, chain and peer-to-peer sessions; built once the driver has set the relays. */
  private sessions: CollectiveSessions | null = null;

  constructor(
    readonly scenario: DeploymentScenario,
    hooks: { onPowerOn(node: number): void; onPowerOff(node: number): void },
    options: { seed?: string } = {},
  ) {
    this.engine = new Engine({ seed: options.seed ?? scenario.seed });
    this.network = new FlowNetwork(this.engine, SHARING_MODELS[scenario.sharing]);
    const { nodes, nodesPerRack, servers } = scenario.cluster;
    for (const n of scenario.networks) {
      const link = (capacity: number) => ({ capacity, latency: n.latency, duplex: n.duplex });
      this.fabrics.set(
        n.name,
        new RackTopology(this.network, {
          nodes,
          nodesPerRack,
          servers,
          prefix: n.name,
          serverNic: link(n.serverNic),
          rackUplink: link(n.rackUplink),
          access: link(n.access),
        }),
      );
    }
    this.dhcp = new DhcpServer(this.engine, scenario.services.dhcp);
    this.tftp = new TftpServer(this.engine, this.network, scenario.services.tftp);
    for (let s = 0; s < servers; s++) this.http.push(new HttpServer(this.engine, this.network, servers === 1 ? 'server' : `server${s}`, scenario.services.http));
    for (let i = 0; i < nodes; i++) this.bmcs.push(new BmcModel(this.engine, scenario.hardware.bmc, i, hooks));
    this.rootfsSource = new Int32Array(nodes).fill(-1);
  }

  /** A relay's HTTP server, created the first time the relay serves (it holds the files in RAM). */
  relayHttpServer(relay: number): HttpServer {
    let server = this.relayHttp.get(relay);
    if (server === undefined) {
      const params = { ...this.scenario.services.http, readBandwidth: this.scenario.deploy.relayServeRate };
      this.relayHttp.set(relay, (server = new HttpServer(this.engine, this.network, `relay${relay}`, params)));
    }
    return server;
  }

  /** The collective sessions (creating them fixes who is expected at each source). */
  get collective(): CollectiveSessions {
    if (this.sessions === null) this.sessions = new CollectiveSessions(this);
    return this.sessions;
  }

  get nodes(): number {
    return this.scenario.cluster.nodes;
  }

  fabric(name: string): RackTopology {
    return this.fabrics.get(name)!;
  }

  /** The deployment server a node is served by: racks are spread round-robin over the servers. */
  serverOf(node: number): number {
    const first = this.fabrics.values().next().value as RackTopology;
    return first.rackOf(node) % this.scenario.cluster.servers;
  }

  /** Route from the node's deployment server to the node on a fabric. */
  fromServer(fabric: string, node: number): Route {
    return this.fabric(fabric).serverToNode(node, this.serverOf(node));
  }
}
