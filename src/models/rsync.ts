/**
 * rsync of a whole file tree to a node, the way Bright Cluster Manager provisions a node's root
 * (KiERA Table I: "Rootfs Transfer Method: rsync, Operating System Format: individual files").
 *
 * rsync over many small files is bound by per-file costs, not bytes (serverfault #365103): for
 * every file the receiver stats, creates, writes and sets attributes, with round trips to the
 * sender. Two server resources are therefore used, and both are shared by all clients:
 * - the network route carries the bytes (each client also capped at `clientRate`, rsync being
 *   CPU-bound on a slow core: checksums, ssh or daemon protocol);
 * - the constraint `<server>.files` carries the per-file work in file units, of capacity
 *   `serverFileRate` files/s (the server's CPU and IOPS for stat/open), each client also capped at
 *   1/perFileCost files/s (its own round trips).
 *
 * How the two combine: rsync's receiver handles one file at a time, so a file's round trips and
 * its bytes do not overlap; the time is the SUM end = start + files/fileRate + bytes/byteRate,
 * which for an uncontended client is files x perFileCost + bytes / clientRate. It is implemented
 * by alternating in K chunks (files/K of per-file work, then bytes/K of data, K times; see
 * alternating-work.ts), so each client holds each server resource only part of the time and
 * concurrent clients interleave on them, instead of one phase per resource for the whole tree.
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { FlowNetwork } from '../engine/network/flow-network.ts';
import type { Link, Route } from '../engine/network/link.ts';
import { addItemConstraint, ClientTally, runAlternating } from './alternating-work.ts';

/**
 * KiERA Table I (seed 000): an uncontended BCM rsync of the 5.1 GB RHEL 7.9 root tree took 214 s
 * over OPA, while wget moved the 2 GB SquashFS over the same fabric in 26 s. The byte stream is
 * taken to run at that same per-client rate, 2 GB / 26 s = 76.9 MB/s, so bytes account for
 * 5.1e9 / (2e9 / 26) = 66.3 s and per-file work for the remaining 147.7 s; spread over a RHEL 7.9
 * tree of ~150,000 files that is 147.7 / 150,000 = 0.985 ms per file.
 */
const KIERA_RSYNC_SECONDS = 214;
const KIERA_TREE_BYTES = 5.1e9;
const KIERA_WGET_RATE = 2e9 / 26;
const RHEL79_TREE_FILES = 150_000;

/** Parameters of an rsync server and of the trees it sends. Units: seconds, bytes, bytes/s, files/s. */
export interface RsyncParams {
  /** Files in the tree. Default 150,000 (a RHEL 7.9 root tree; calibrated). */
  files: number;
  /** Bytes in the tree. Default 5.1e9 (KiERA Table I, BCM rootfs). */
  bytes: number;
  /**
   * Seconds of client and server round trips per file (stat, create, set attributes), which bound
   * one client at 1/perFileCost files/s. Default (214 - 5.1e9 / (2e9/26)) / 150,000 = 0.985 ms
   * (calibrated on KiERA Table I, see above; serverfault #365103 for why it dominates).
   */
  perFileCost: number;
  /** Bytes/s cap of one rsync byte stream (CPU-bound on slow cores). Default 2e9/26 = 76.9 MB/s (KiERA Table I's wget rate). */
  clientRate: number;
  /** Files/s the server can stat/open across all clients (its CPU/IOPS limit). Default 20,000 (calibrated). */
  serverFileRate: number;
  /** Alternations between per-file work and bytes per transfer (integer >= 1). Default 16 (modelling choice). */
  chunks: number;
}

export const DEFAULT_RSYNC_PARAMS: Readonly<RsyncParams> = Object.freeze({
  files: RHEL79_TREE_FILES,
  bytes: KIERA_TREE_BYTES,
  perFileCost: (KIERA_RSYNC_SECONDS - KIERA_TREE_BYTES / KIERA_WGET_RATE) / RHEL79_TREE_FILES,
  clientRate: KIERA_WGET_RATE,
  serverFileRate: 20_000,
  chunks: 16,
});

/** Times of one rsync, in simulated seconds; fileTime + byteTime = end - start. */
export interface RsyncResult {
  start: number;
  end: number;
  /** Seconds spent on per-file work. */
  fileTime: number;
  /** Seconds spent moving bytes. */
  byteTime: number;
}

/** Per-call overrides of the tree and of the client's limits. */
export interface RsyncOptions {
  files?: number;
  bytes?: number;
  perFileCost?: number;
  clientRate?: number;
  signal?: AbortSignal;
}

export class RsyncServer {
  readonly params: Readonly<RsyncParams>;
  /** The `<server>.files` constraint, in files/s; per-file work crosses it "up". */
  readonly files: Link;
  /** Clients being served, the most at once, and how many finished. */
  readonly clients = new ClientTally();

  constructor(
    readonly engine: Engine,
    readonly network: FlowNetwork,
    readonly name: string,
    params: Partial<RsyncParams> = {},
  ) {
    const p = { ...DEFAULT_RSYNC_PARAMS, ...params };
    checkTree(name, p);
    if (!(Number.isInteger(p.chunks) && p.chunks >= 1)) throw bad(name, `chunks must be an integer >= 1, got ${p.chunks}`);
    this.params = Object.freeze(p);
    this.files = addItemConstraint(network, `${name}.files`, p.serverFileRate, ErrorCodes.RSYNC_BAD_PARAMS);
  }

  /** Sends the tree over `route` (server to node); resolves when every file and byte is there. */
  async sync(route: Route, options: RsyncOptions = {}): Promise<RsyncResult> {
    const p = { ...this.params, ...stripUndefined(options) };
    checkTree(this.name, p);
    const start = this.engine.now;
    const work = {
      items: p.files,
      itemConstraint: this.files,
      itemCap: 1 / p.perFileCost,
      bytes: p.bytes,
      route,
      byteCap: p.clientRate,
      chunks: p.chunks,
    };
    const times = await this.clients.track(() => runAlternating(this.network, work, ErrorCodes.RSYNC_BAD_PARAMS, options.signal));
    return { start, end: this.engine.now, fileTime: times.itemTime, byteTime: times.byteTime };
  }
}

function bad(name: string, what: string): UsageError {
  return new UsageError(ErrorCodes.RSYNC_BAD_PARAMS, `rsync server "${name}": ${what}`);
}

function checkTree(name: string, p: Pick<RsyncParams, 'files' | 'bytes' | 'perFileCost' | 'clientRate'>): void {
  if (!(p.files >= 0) || p.files === Infinity) throw bad(name, `files must be a finite number >= 0, got ${p.files}`);
  if (!(p.bytes >= 0) || p.bytes === Infinity) throw bad(name, `bytes must be a finite number >= 0, got ${p.bytes}`);
  if (!(p.perFileCost >= 0) || p.perFileCost === Infinity) throw bad(name, `perFileCost must be a finite number of seconds >= 0, got ${p.perFileCost}`);
  if (!(p.clientRate > 0)) throw bad(name, `clientRate must be > 0 bytes/s, got ${p.clientRate}`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'signal')) as Partial<T>;
}
