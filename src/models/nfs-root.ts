/**
 * A diskless NFS root (DRBL, seed 001; also Warewulf/Perceus "hybrid NFS", seed 002): nothing is
 * copied to the node up front; at boot it reads its working set from the server through NFS.
 *
 * A boot reads W bytes in K NFS operations (lookups, getattrs, reads). Two server resources are
 * shared by every booting client:
 * - the constraint `<server>.nfsops`, in operations: the server's ops/s limit (nfsd threads, CPU,
 *   disk seeks), each client also capped at window / opLatency ops/s, since it has at most
 *   `window` operations outstanding and each takes opLatency to come back;
 * - the network route (the server's NIC first) for the W bytes.
 *
 * How they combine: with one outstanding operation the client waits for each reply, data
 * included, before it sends the next, so an operation's round trip and its data's transfer add
 * up: end = start + K / opRate + W / byteRate. The same form is kept for window > 1 (operations
 * overlap each other but not their data, a conservative choice). It is implemented, like rsync,
 * by alternating in chunks between operations and bytes (alternating-work.ts), so that concurrent
 * clients interleave on the two resources as real ones do.
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { FlowNetwork } from '../engine/network/flow-network.ts';
import type { Link, Route } from '../engine/network/link.ts';
import { addItemConstraint, ClientTally, runAlternating } from './alternating-work.ts';

/** Parameters of a diskless NFS root server and its clients' boots. Units: seconds, bytes, ops/s. */
export interface NfsRootParams {
  /** Bytes a node reads from its NFS root while booting. Default 200e6 (a Debian/RHEL boot; calibrated). */
  workingSetBytes: number;
  /** NFS operations of one boot (lookups, getattrs, reads). Default 20,000 (calibrated). */
  ops: number;
  /** Operations/s the server completes across all clients. Default 15,000 (a 2009-era server; calibrated). */
  serverOpsRate: number;
  /**
   * Seconds from sending an operation to its reply, data excluded, on an idle server: the network
   * round trip plus nfsd's service time. Default 0.5 ms (calibrated: ~0.1 ms GbE RTT + ~0.4 ms
   * server and client stack).
   */
  opLatency: number;
  /** Operations a client keeps outstanding (1: synchronous; a small readahead window above). Default 1. */
  window: number;
  /** Alternations between operations and bytes per boot (integer >= 1). Default 16 (modelling choice). */
  chunks: number;
}

export const DEFAULT_NFS_ROOT_PARAMS: Readonly<NfsRootParams> = Object.freeze({
  workingSetBytes: 200e6,
  ops: 20_000,
  serverOpsRate: 15_000,
  opLatency: 0.0005,
  window: 1,
  chunks: 16,
});

/** Times of one boot's NFS reads, in simulated seconds; opTime + byteTime = end - start. */
export interface NfsBootResult {
  start: number;
  end: number;
  /** Seconds spent waiting on operations. */
  opTime: number;
  /** Seconds spent moving the working set's bytes. */
  byteTime: number;
}

export class NfsRootServer {
  readonly params: Readonly<NfsRootParams>;
  /** The `<server>.nfsops` constraint, in ops/s; operations cross it "up". */
  readonly nfsops: Link;
  /** Clients being served, the most at once, and how many finished. */
  readonly clients = new ClientTally();

  constructor(
    readonly engine: Engine,
    readonly network: FlowNetwork,
    readonly name: string,
    params: Partial<NfsRootParams> = {},
  ) {
    const p = { ...DEFAULT_NFS_ROOT_PARAMS, ...params };
    const bad = (what: string) => new UsageError(ErrorCodes.NFS_BAD_PARAMS, `NFS root server "${name}": ${what}`);
    if (!(p.workingSetBytes >= 0) || p.workingSetBytes === Infinity) throw bad(`workingSetBytes must be a finite number >= 0, got ${p.workingSetBytes}`);
    if (!(p.ops >= 0) || p.ops === Infinity) throw bad(`ops must be a finite number >= 0, got ${p.ops}`);
    if (!(p.opLatency > 0) || p.opLatency === Infinity) throw bad(`opLatency must be a finite number of seconds > 0, got ${p.opLatency}`);
    if (!(Number.isInteger(p.window) && p.window >= 1)) throw bad(`window must be an integer >= 1, got ${p.window}`);
    if (!(Number.isInteger(p.chunks) && p.chunks >= 1)) throw bad(`chunks must be an integer >= 1, got ${p.chunks}`);
    this.params = Object.freeze(p);
    this.nfsops = addItemConstraint(network, `${name}.nfsops`, p.serverOpsRate, ErrorCodes.NFS_BAD_PARAMS);
  }

  /** One client's ops/s limit on an idle server: window / opLatency. */
  get clientOpsRate(): number {
    return this.params.window / this.params.opLatency;
  }

  /** Reads one boot's working set over `route` (server to node); resolves when it is all read. */
  async boot(route: Route, options: { signal?: AbortSignal } = {}): Promise<NfsBootResult> {
    const p = this.params;
    const start = this.engine.now;
    const work = {
      items: p.ops,
      itemConstraint: this.nfsops,
      itemCap: this.clientOpsRate,
      bytes: p.workingSetBytes,
      route,
      byteCap: Infinity,
      chunks: p.chunks,
    };
    const times = await this.clients.track(() => runAlternating(this.network, work, ErrorCodes.NFS_BAD_PARAMS, options.signal));
    return { start, end: this.engine.now, opTime: times.itemTime, byteTime: times.byteTime };
  }
}
