/**
 * A scenario with every quantity resolved to base units (bytes, bytes/s, seconds), ready to run.
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import { hostlistCount } from '../scenario/hostlist.ts';
import { parseBytes, parseDuration, parseRate } from '../scenario/units.ts';
import type { SharingModelName } from '../engine/network/sharing.ts';
import type { NetworkFile, ScenarioFile } from './scenario-schema.ts';
import { resolveDeployment, type DeploymentScenario } from './deployment/deployment-scenario.ts';

export type DistributionPlan = { method: 'flat'; concurrency: number } | { method: 'relay'; relays: number };

/** One network (fabric): units bytes/s and seconds. */
export interface NetworkParams {
  serverNic: number;
  rackUplink: number;
  access: number;
  /** One-way, per link. */
  latency: number;
  duplex: 'full' | 'half';
}

export interface ScenarioBase {
  name: string;
  note: string;
  seed: string;
  /** File it was loaded from, if any (for messages). */
  source?: string;
  cluster: {
    nodes: number;
    nodesPerRack: number;
    /** Hostlist of node names in rack-major order. */
    names: string;
    servers: number;
  };
  /** Networks in the order the file lists them. */
  networks: ReadonlyArray<{ name: string } & NetworkParams>;
  sharing: SharingModelName;
}

export interface TransferScenario extends ScenarioBase {
  kind: 'transfer';
  transfer: {
    /** bytes */
    image: number;
    /** Name of the network the image crosses. */
    network: string;
    distribution: DistributionPlan;
  };
}

export type Scenario = TransferScenario | DeploymentScenario;

function resolveNetwork(name: string, n: NetworkFile): { name: string } & NetworkParams {
  return {
    name,
    serverNic: parseRate(n.serverNic),
    rackUplink: parseRate(n.rackUplink),
    access: parseRate(n.access),
    latency: n.latency === undefined ? 0 : parseDuration(n.latency),
    duplex: n.duplex ?? 'full',
  };
}

/** The default hostlist of N nodes: node[0001-N], padded to at least 4 digits. */
export function defaultNodeNames(nodes: number): string {
  const width = Math.max(4, String(nodes).length);
  return `node[${'1'.padStart(width, '0')}-${String(nodes).padStart(width, '0')}]`;
}

function where(source: string | undefined, path: string): string {
  return source ? `${source}: ${path}` : path;
}

/** Resolves the parts every scenario has. */
export function resolveBase(file: ScenarioFile, source?: string): ScenarioBase {
  const names = file.cluster.names ?? defaultNodeNames(file.cluster.nodes);
  const count = hostlistCount(names);
  if (count !== file.cluster.nodes) {
    throw new UsageError(ErrorCodes.SCENARIO_INVALID, `${where(source, 'cluster.names')}: names ${count} nodes, but cluster.nodes is ${file.cluster.nodes}`);
  }
  return {
    name: file.name,
    note: file.note ?? '',
    seed: String(file.seed ?? 1),
    source,
    cluster: { nodes: file.cluster.nodes, nodesPerRack: file.cluster.nodesPerRack, names, servers: file.cluster.servers ?? 1 },
    networks: Object.entries(file.networks).map(([name, n]) => resolveNetwork(name, n)),
    sharing: file.sharing ?? 'maxmin',
  };
}

/** Checks that `name` is one of the scenario's networks (the first one when omitted). */
export function networkNamed(base: ScenarioBase, name: string | undefined, path: string): string {
  if (name === undefined) return base.networks[0].name;
  if (!base.networks.some((n) => n.name === name)) {
    const known = base.networks.map((n) => `"${n.name}"`).join(', ');
    throw new UsageError(ErrorCodes.SCENARIO_INVALID, `${where(base.source, path)}: no network named "${name}" (defined: ${known})`);
  }
  return name;
}

/** Converts a validated scenario file to base units. */
export function resolveScenario(file: ScenarioFile, source?: string): Scenario {
  const base = resolveBase(file, source);
  if (file.transfer === undefined) return resolveDeployment(base, file);
  const d = file.transfer.distribution;
  return {
    ...base,
    kind: 'transfer',
    transfer: {
      image: parseBytes(file.transfer.image),
      network: networkNamed(base, file.transfer.network, 'transfer.network'),
      distribution: d.method === 'flat' ? { method: 'flat', concurrency: d.concurrency ?? Infinity } : { method: 'relay', relays: d.relays },
    },
  };
}
