/**
 * How the root filesystem reaches a node, by method. The source is the node's deployment server,
 * or its relay once the driver has made one serve.
 *
 * - http: one download of the image (SquashFS over HTTP, KiERA), retried like wget when refused or
 *   timed out; with `admission`, each source's rootfs downloads go through a TCP backoff lockout
 *   (http-admission.ts) that the Ethernet boot files of the same server do not see;
 * - rsync: the file tree, per-file work plus bytes (BCM, SystemImager);
 * - nfs: diskless NFS root, the boot working set read op by op (DRBL);
 * - hybrid: an HTTP-fetched capsule plus an NFS-mounted part (Perceus VNFS);
 * - multicast, chain, p2p: collective sessions (Clonezilla, Kadeploy, BitTorrent).
 * With `target: disk` the image is written to local disk and the node reboots from it.
 */
import { bootReadCost, transferBytes, writeTime, type ImageFormat } from '../../models/image-format.ts';
import { SQUASHFS_RATIO } from '../../models/image-format-params.ts';
import { HttpAdmission } from '../../models/http-admission.ts';
import { httpDownloadWithRetry, wgetBackoff, type HttpServer } from '../../models/http-server.ts';
import { NfsRootServer } from '../../models/nfs-root.ts';
import { RsyncServer } from '../../models/rsync.ts';
import type { Route } from '../../engine/network/link.ts';
import { drawRate } from './client-rate.ts';
import type { DeploymentTwin } from './cluster.ts';
import type { ImageSpec } from './deployment-scenario.ts';

/** SquashFS block size, bytes (mksquashfs default). */
const SQUASHFS_BLOCK = 128 * 1024;

/** The image as the image-format model sees it; `size` in a scenario is what travels. */
export function imageFormat(spec: ImageSpec): ImageFormat {
  switch (spec.format) {
    case 'tree':
      return { kind: 'tree', bytes: spec.size, files: spec.files };
    case 'squashfs':
      return { kind: 'squashfs', sourceBytes: spec.size * SQUASHFS_RATIO[spec.algorithm], algorithm: spec.algorithm, blockSize: SQUASHFS_BLOCK };
    default:
      return { kind: 'disk', bytes: spec.size, writeRate: spec.writeRate };
  }
}

/** Per-source servers, created when first used. */
function sourceName(twin: DeploymentTwin, node: number): string {
  const relay = twin.rootfsSource[node];
  if (relay >= 0) return `relay${relay}`;
  return twin.scenario.cluster.servers === 1 ? 'server' : `server${twin.serverOf(node)}`;
}

function httpSource(twin: DeploymentTwin, node: number): HttpServer {
  const relay = twin.rootfsSource[node];
  return relay < 0 ? twin.http[twin.serverOf(node)] : twin.relayHttpServer(relay);
}

/** The rootfs lockout of each HTTP source (server or relay), made when first used; none unless the scenario sets one. */
const admissions = new WeakMap<HttpServer, HttpAdmission>();

function rootfsAdmission(twin: DeploymentTwin, server: HttpServer): HttpAdmission | undefined {
  const params = twin.scenario.boot.rootfs.admission;
  if (params === null) return undefined;
  let admission = admissions.get(server);
  if (admission === undefined) admissions.set(server, (admission = new HttpAdmission(twin.engine, `${server.name}.rootfs`, params)));
  return admission;
}

function rsyncSource(twin: DeploymentTwin, node: number): RsyncServer {
  const name = sourceName(twin, node);
  let server = twin.rsync.get(name);
  if (server === undefined) twin.rsync.set(name, (server = new RsyncServer(twin.engine, twin.network, `${name}.rsync`, twin.scenario.services.rsync)));
  return server;
}

function nfsSource(twin: DeploymentTwin, node: number): NfsRootServer {
  const name = sourceName(twin, node);
  let server = twin.nfs.get(name);
  if (server === undefined) twin.nfs.set(name, (server = new NfsRootServer(twin.engine, twin.network, `${name}.nfs`, twin.scenario.services.nfs)));
  return server;
}

/** One copy of the image from the node's source, by the scenario's method. */
async function fetchImageOnce(twin: DeploymentTwin, node: number, route: Route, image: ImageFormat, clientRate: number | undefined, signal: AbortSignal): Promise<void> {
  const rootfs = twin.scenario.boot.rootfs;
  const http = () => {
    const server = httpSource(twin, node);
    // The initrd's download loop behaves like wget --retry-connrefused --tries=N --waitretry=W.
    return httpDownloadWithRetry(server, route, transferBytes(image), {
      clientRate,
      admission: rootfsAdmission(twin, server),
      signal,
      retries: rootfs.retry.tries - 1,
      backoff: wgetBackoff(rootfs.retry.waitretry),
    });
  };
  switch (rootfs.method) {
    case 'http':
      await http();
      return;
    case 'rsync':
      await rsyncSource(twin, node).sync(route, { files: image.kind === 'tree' ? image.files : 1, bytes: transferBytes(image), clientRate, signal });
      return;
    case 'nfs':
      await nfsSource(twin, node).boot(route, { signal });
      return;
    case 'hybrid':
      await http();
      await nfsSource(twin, node).boot(route, { signal });
      return;
    default:
      await twin.collective.join(node, signal);
  }
}

export async function fetchRootfs(twin: DeploymentTwin, node: number, signal: AbortSignal): Promise<void> {
  const rootfs = twin.scenario.boot.rootfs;
  const relay = twin.rootfsSource[node];
  const route = relay < 0 ? twin.fromServer(rootfs.network, node) : twin.fabric(rootfs.network).nodeToNode(relay, node);
  const image = imageFormat(rootfs.image);
  const clientRate = drawRate(twin, rootfs.clientRate, node, 'rootfs');
  // A relay receives its own system and then the image it will serve (BCM): relayImages copies.
  const copies = twin.relays.has(node) ? twin.scenario.deploy.relayImages : 1;
  for (let copy = 0; copy < copies; copy++) await fetchImageOnce(twin, node, route, image, clientRate, signal);
  // Written to local disk after the transfer; multicast receivers write as they receive instead.
  if (rootfs.target === 'disk' && rootfs.method !== 'multicast') await twin.engine.timeout(writeTime(image), signal);
}

/** Seconds of mount work beyond the transfer: reading and decompressing the boot working set. */
export function rootfsMountCost(twin: DeploymentTwin, _node: number): number {
  const { rootfs } = twin.scenario.boot;
  if (rootfs.image.format !== 'squashfs') return 0;
  return bootReadCost(imageFormat(rootfs.image), rootfs.image.bootRead, twin.scenario.hardware.cores);
}
