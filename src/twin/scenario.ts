/**
 * A scenario with every quantity resolved to base units (bytes, bytes/s, seconds), ready to run.
 */
import { parseBytes, parseDuration, parseRate } from '../scenario/units.ts';
import type { SharingModelName } from '../engine/network/sharing.ts';
import type { ScenarioFile } from './scenario-schema.ts';

export type DistributionPlan = { method: 'flat'; concurrency: number } | { method: 'relay'; relays: number };

export interface Scenario {
  name: string;
  note: string;
  seed: string;
  /** File it was loaded from, if any (for messages). */
  source?: string;
  cluster: { nodes: number; nodesPerRack: number };
  network: {
    sharing: SharingModelName;
    /** bytes/s */
    serverNic: number;
    /** bytes/s */
    rackUplink: number;
    /** bytes/s */
    access: number;
    /** seconds, one way, per link */
    latency: number;
    duplex: 'full' | 'half';
  };
  transfer: {
    /** bytes */
    image: number;
    distribution: DistributionPlan;
  };
}

/** Converts a validated scenario file to base units. */
export function resolveScenario(file: ScenarioFile, source?: string): Scenario {
  const d = file.transfer.distribution;
  return {
    name: file.name,
    note: file.note ?? '',
    seed: String(file.seed ?? 1),
    source,
    cluster: { nodes: file.cluster.nodes, nodesPerRack: file.cluster.nodesPerRack },
    network: {
      sharing: file.network.sharing ?? 'maxmin',
      serverNic: parseRate(file.network.serverNic),
      rackUplink: parseRate(file.network.rackUplink),
      access: parseRate(file.network.access),
      latency: file.network.latency === undefined ? 0 : parseDuration(file.network.latency),
      duplex: file.network.duplex ?? 'full',
    },
    transfer: {
      image: parseBytes(file.transfer.image),
      distribution: d.method === 'flat' ? { method: 'flat', concurrency: d.concurrency ?? Infinity } : { method: 'relay', relays: d.relays },
    },
  };
}
