/**
 * How the root filesystem reaches a node, by method. The source is the node's deployment server,
 * or its relay once the driver has made one serve.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import { httpDownloadWithRetry, wgetBackoff } from '../../models/http-server.ts';
import { drawRate } from './client-rate.ts';
import type { DeploymentTwin } from './cluster.ts';

export async function fetchRootfs(twin: DeploymentTwin, node: number, signal: AbortSignal): Promise<void> {
  const rootfs = twin.scenario.boot.rootfs;
  const fabric = twin.fabric(rootfs.network);
  const relay = twin.rootfsSource[node];
  const route = relay < 0 ? twin.fromServer(rootfs.network, node) : fabric.nodeToNode(relay, node);
  const server = relay < 0 ? twin.http[twin.serverOf(node)] : twin.relayHttp.get(relay)!;
  switch (rootfs.method) {
    case 'http': {
      // The initrd's download loop behaves like wget --retry-connrefused --tries=N --waitretry=W.
      const clientRate = drawRate(twin, rootfs.clientRate, node, 'rootfs');
      await httpDownloadWithRetry(server, route, rootfs.image.size, { clientRate, signal, retries: rootfs.retry.tries - 1, backoff: wgetBackoff(rootfs.retry.waitretry) });
      return;
    }
    default:
      throw new UsageError(ErrorCodes.SCENARIO_INVALID, `boot.rootfs.method "${rootfs.method}" is not available in the twin yet`);
  }
}

/** Seconds of mount work beyond the transfer (reading and decompressing the boot working set). */
export function rootfsMountCost(_twin: DeploymentTwin, _node: number): number {
  return 0;
}
