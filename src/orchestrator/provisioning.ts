/**
 * Provisioning schemes: how a node gets its root filesystem, as plug-ins behind one interface
 * (the "generic provisioning framework" the OSCAR/Perceus seed asks for). The orchestrator's
 * deployment stage is the same for all of them; a scheme only decides what goes into each node's
 * boot entry (the kernel command line its initrd acts on) and whether relays may serve it.
 *
 * The command lines follow what the real tools take: dracut's dmsquash-live for a SquashFS over
 * HTTP (KiERA), an rsync URL for a file tree (BCM, SystemImager), root=/dev/nfs for a diskless NFS
 * root (DRBL), Perceus's two-stage capsule, udpcast, a Kascade-style chain and a torrent. With
 * target "disk" the initrd writes the image to local disk and reboots: the orchestrator sets PXE
 * for the next boot only, so that reboot comes up from disk with no extra BMC command.
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import type { BootEntry, NodeRole, PublishedImage } from '../ports/index.ts';

export const SCHEME_NAMES = ['http', 'rsync', 'nfs', 'hybrid', 'multicast', 'chain', 'p2p'] as const;
export type SchemeName = (typeof SCHEME_NAMES)[number];

export interface SchemeContext {
  image: PublishedImage;
  /** "ram" (diskless) or "disk" (installed to local disk, then rebooted from it). */
  target: 'ram' | 'disk';
  /** Base URL of the status endpoint nodes report to; the token authenticates the reports. */
  statusUrl: string;
  token: string;
}

export interface ProvisioningScheme {
  readonly name: SchemeName;
  /** One line for plans and help. */
  readonly description: string;
  /** Whether relay nodes can serve this scheme's rootfs to their group. */
  readonly relays: boolean;
  /** The boot entry of `node`, whose rootfs comes from `source` ("server" or a relay's name). */
  entry(node: string, source: string, role: NodeRole, ctx: SchemeContext): BootEntry;
}

/** Where the rootfs lives on a source: the server's published URL, or the same path and port on a relay. */
function rootfsUrlAt(source: string, ctx: SchemeContext): string {
  if (source === 'server') return ctx.image.rootfsUrl;
  const url = new URL(ctx.image.rootfsUrl);
  url.hostname = source;
  return url.toString();
}

/** The host name of a source, for protocols with their own ports (rsync, NFS). */
function hostOf(source: string, ctx: SchemeContext): string {
  return source === 'server' ? new URL(ctx.image.rootfsUrl).hostname : source;
}

type RootArgs = (source: string, ctx: SchemeContext) => string;

function scheme(name: SchemeName, description: string, relays: boolean, rootArgs: RootArgs): ProvisioningScheme {
  return {
    name,
    description,
    relays,
    entry(node, source, role, ctx) {
      if (source !== 'server' && !relays) {
        throw new UsageError(ErrorCodes.ORCH_BAD_PLAN, `scheme "${name}" cannot be served by relays, but node ${node} was given relay ${source}`);
      }
      const cmdline = [
        rootArgs(source, ctx),
        `deploytwin.target=${ctx.target}`,
        `deploytwin.status=${ctx.statusUrl}`,
        `deploytwin.token=${ctx.token}`,
        `deploytwin.node=${node}`,
      ].join(' ');
      return {
        node,
        kernelUrl: ctx.image.kernelUrl,
        initrdUrl: ctx.image.initrdUrl,
        cmdline,
        rootfsSource: source,
        role: role === 'relay' ? 'relay' : 'compute',
        scheme: name,
      };
    },
  };
}

const SCHEMES: Record<SchemeName, ProvisioningScheme> = {
  http: scheme('http', 'SquashFS (or tree/disk image) downloaded over HTTP, mounted under an overlay (KiERA)', true, (s, c) =>
    [`root=live:${rootfsUrlAt(s, c)}`, 'rd.live.ram=1', 'rd.live.overlay.overlayfs=1'].join(' '),
  ),
  rsync: scheme('rsync', 'File tree copied by rsync, through relays (Bright Cluster Manager, SystemImager)', true, (s, c) => `deploytwin.rsync=rsync://${hostOf(s, c)}/images/${c.image.image.name}/`),
  nfs: scheme('nfs', 'Diskless: root filesystem mounted read-only over NFS (DRBL)', true, (s, c) => `root=/dev/nfs nfsroot=${hostOf(s, c)}:/images/${c.image.image.name},ro ip=dhcp`),
  hybrid: scheme('hybrid', 'Two-stage capsule: a small OS fetched over HTTP, the rest mounted over NFS (Perceus VNFS)', true, (s, c) =>
    `perceus.vnfs=${rootfsUrlAt(s, c)} perceus.nfs=${hostOf(s, c)}:/images/${c.image.image.name}`,
  ),
  multicast: scheme('multicast', 'One multicast session paced by the slowest receiver (udpcast, Clonezilla)', false, (_s, c) => `deploytwin.udpcast=${hostOf('server', c)}`),
  chain: scheme('chain', 'Image streamed along a pipelined chain of nodes (Kadeploy/Kascade)', false, (_s, c) => `deploytwin.chain=${hostOf('server', c)}`),
  p2p: scheme('p2p', 'Peer-to-peer swarm seeded by the server (BitTorrent)', false, (_s, c) => `deploytwin.torrent=${c.image.rootfsUrl}.torrent`),
};

export function provisioningScheme(name: string): ProvisioningScheme {
  const s = (SCHEMES as Record<string, ProvisioningScheme | undefined>)[name];
  if (s === undefined) throw new UsageError(ErrorCodes.ORCH_BAD_PLAN, `unknown provisioning scheme "${name}" (expected one of ${SCHEME_NAMES.join(', ')})`);
  return s;
}
