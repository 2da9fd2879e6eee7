/**
 * Shared mechanism of the file-tree models (rsync, NFS root): a client that alternates between
 * per-item work (files to stat/create, NFS operations) and byte transfer, one after the other,
 * the way a single-threaded receiver does.
 *
 * Both kinds of work are flows of the same FlowNetwork, so both are shared max-min with every
 * other client: bytes over the network route, items over a server constraint measured in items/s
 * (`<server>.files`, `<server>.nfsops`). The network is unit-agnostic; only the caller knows that
 * one constraint counts files and another bytes. A flow crosses either the item constraint or the
 * network, never both, so the two kinds never compete for the same capacity.
 *
 * Why alternate in K chunks rather than run both at once: a receiver that handles one file at a
 * time cannot overlap a file's stat/create round trips with the bytes of the same file, so its
 * time is the sum of the two terms, end = start + items/itemRate + bytes/byteRate. Splitting the
 * work into K chunks (items/K, then bytes/K, K times) keeps that sum for an uncontended client
 * while making a client hold each server resource only part of the time, as a real one does, so
 * that concurrent clients interleave on the two resources instead of each resource seeing every
 * client for the whole transfer.
 */
import { UsageError } from '../errors.ts';
import type { FlowNetwork } from '../engine/network/flow-network.ts';
import type { Link, Route } from '../engine/network/link.ts';

/**
 * Adds a constraint counted in items per second (files/s, ops/s) as a link of the network. Its
 * capacity is divided by the sharing model's bandwidth factor, because that factor (LV08: 0.97)
 * corrects TCP's usable share of a wire and must not shrink a CPU or IOPS limit: flows see exactly
 * `itemsPerSecond` in total. The link has no latency, so no TCP window bound applies to it either.
 */
export function addItemConstraint(network: FlowNetwork, name: string, itemsPerSecond: number, code: string): Link {
  if (!(itemsPerSecond > 0) || itemsPerSecond === Infinity) {
    throw new UsageError(code, `${name}: capacity must be a finite number > 0 per second, got ${itemsPerSecond}`);
  }
  return network.addLink({ name, capacity: itemsPerSecond / network.model.bandwidthFactor, latency: 0 });
}

export interface AlternatingWork {
  /** Items of per-item work (files, ops), >= 0. */
  items: number;
  /** The item constraint (one direction is used: "up"). */
  itemConstraint: Link;
  /** This client's own item rate limit, items/s (e.g. 1/perFileCost). */
  itemCap: number;
  /** Bytes to move, >= 0. */
  bytes: number;
  /** Network route the bytes cross. */
  route: Route;
  /** This client's own byte rate limit, bytes/s (Infinity: none). */
  byteCap: number;
  /** Number of alternations, integer >= 1. */
  chunks: number;
}

/** Seconds spent in each kind of work; itemTime + byteTime = end - start. */
export interface AlternatingTimes {
  itemTime: number;
  byteTime: number;
}

/**
 * Runs the K alternations: items/K over the item constraint, then bytes/K over the route, K times.
 * Each byte chunk pays the route's latency before its first byte (the flow network charges latency
 * per flow): K x latency in all, microseconds on a cluster LAN; set chunks = 1 to pay it once.
 */
export async function runAlternating(network: FlowNetwork, work: AlternatingWork, code: string, signal?: AbortSignal): Promise<AlternatingTimes> {
  const { items, bytes, chunks } = work;
  if (!(items >= 0) || items === Infinity) throw new UsageError(code, `item count must be a finite number >= 0, got ${items}`);
  if (!(bytes >= 0) || bytes === Infinity) throw new UsageError(code, `bytes must be a finite number >= 0, got ${bytes}`);
  if (!(Number.isInteger(chunks) && chunks >= 1)) throw new UsageError(code, `chunks must be an integer >= 1, got ${chunks}`);
  if (!(work.itemCap > 0)) throw new UsageError(code, `per-client item rate must be > 0 per second, got ${work.itemCap}`);
  if (!(work.byteCap > 0)) throw new UsageError(code, `per-client byte rate must be > 0 bytes/s, got ${work.byteCap}`);
  const engine = network.engine;
  const itemRoute: Route = [work.itemConstraint.hopUp];
  const times: AlternatingTimes = { itemTime: 0, byteTime: 0 };
  for (let k = 0; k < chunks; k++) {
    if (items > 0) {
      const t0 = engine.now;
      await network.transferAsync(itemRoute, items / chunks, { cap: work.itemCap, signal, label: 'items' });
      times.itemTime += engine.now - t0;
    }
    if (bytes > 0) {
      const t0 = engine.now;
      await network.transferAsync(work.route, bytes / chunks, { cap: work.byteCap, signal, label: 'bytes' });
      times.byteTime += engine.now - t0;
    }
  }
  return times;
}

/** Clients of a server doing alternating work: how many are being served, the most at once, and how many finished. */
export class ClientTally {
  inFlight = 0;
  peak = 0;
  completed = 0;

  /** Counts one client around `work`. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    if (++this.inFlight > this.peak) this.peak = this.inFlight;
    try {
      const result = await work();
      this.completed++;
      return result;
    } finally {
      this.inFlight--;
    }
  }
}
