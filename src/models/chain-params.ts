/**
 * Parameters, records and errors of the pipelined chain broadcast (src/models/chain.ts), the
 * method of Kascade and Kadeploy.
 */
import { DeployTwinError, ErrorCodes } from '../errors.ts';

/** Units: bytes and seconds. */
export interface ChainParams {
  /**
   * Chunk size c, bytes: a node forwards a chunk once it has received it whole, so each node lags
   * its predecessor by c / b seconds. Default 1 MiB, calibrated (the order of Kascade's buffers).
   */
  chunkSize: number;
  /**
   * Order of the chain. 'rack-major' (default): the given nodes sorted by rack, stable within a
   * rack, so most hops stay inside a rack and each rack uplink is crossed once each way;
   * 'given': exactly the order of the list.
   */
  order: 'rack-major' | 'given';
  /**
   * Seconds from a node failure to the re-chained stream starting again (failure detection and
   * reconnection; the new route's latency is paid on top by the network). Default 0, calibrated:
   * set it from a measured fail-over.
   */
  rechainDelay: number;
  /** Called at the instant each node has the whole image. */
  onNodeDone?: (record: ChainRecord) => void;
}

export const DEFAULT_CHAIN_PARAMS: Readonly<ChainParams> = Object.freeze({
  chunkSize: 1024 * 1024,
  order: 'rack-major',
  rechainDelay: 0,
});

/** What happened to one node of the chain; times in simulated seconds. */
export interface ChainRecord {
  node: number;
  /** Its place in the chain as first formed (0 = fed by the server). */
  position: number;
  /** When the broadcast was started. */
  start: number;
  /** When it had the whole image; NaN if it failed before. */
  end: number;
  /** When it failed; NaN if it never did. */
  failedAt: number;
  /** The failure, when it failed. */
  error: BroadcastNodeFailed | null;
}

export interface ChainResult {
  /** One record per node, in chain order. */
  records: ChainRecord[];
  /** Node numbers in chain order. */
  order: number[];
  /** Times the chain was re-formed after a failure. */
  rechains: number;
}

/** A node of a broadcast died; redeploying it may well work, so retrying can help. */
export class BroadcastNodeFailed extends DeployTwinError {
  constructor(
    readonly node: number,
    readonly at: number,
  ) {
    super(ErrorCodes.BROADCAST_NODE_FAILED, `node ${node} failed at t=${at}s during the chain broadcast`, 'retryable');
    this.name = 'BroadcastNodeFailed';
  }
}
