/**
 * A deployment scenario resolved to model parameters: what the twin needs to take every node from
 * power-on to booted. Defaults come from the models (each documents its source); the file
 * overrides them.
 */
import { DEFAULT_IPMI_BMC_PARAMS, DEFAULT_REDFISH_BMC_PARAMS, type BmcParams } from '../../models/bmc.ts';
import { DEFAULT_DHCP_SERVER_PARAMS, type DhcpServerParams } from '../../models/dhcp.ts';
import { DEFAULT_HTTP_ADMISSION_PARAMS, type HttpAdmissionParams } from '../../models/http-admission.ts';
import { DEFAULT_HTTP_SERVER_PARAMS, type HttpServerParams } from '../../models/http-server.ts';
import { DEFAULT_NFS_ROOT_PARAMS, type NfsRootParams } from '../../models/nfs-root.ts';
import { DEFAULT_RSYNC_PARAMS, type RsyncParams } from '../../models/rsync.ts';
import { IPXE_DISCOVER_TIMEOUTS, PXE_DISCOVER_TIMEOUTS } from '../../models/pxe.ts';
import { constant, type Sampler } from '../../models/sampler.ts';
import { DEFAULT_TFTP_PARAMS, type TftpParams } from '../../models/tftp.ts';
import { ErrorCodes, UsageError } from '../../errors.ts';
import { parseDistribution } from '../../scenario/distribution.ts';
import { parseBytes, parseDuration, parseRate } from '../../scenario/units.ts';
import type { ScenarioFile } from '../scenario-schema.ts';
import { networkNamed, type ScenarioBase } from '../scenario.ts';

export type RootfsMethod = 'http' | 'rsync' | 'nfs' | 'hybrid' | 'multicast' | 'chain' | 'p2p';

export type ImageSpec =
  | { format: 'tree'; size: number; files: number }
  | { format: 'squashfs'; size: number; algorithm: 'gzip' | 'lzo' | 'lz4' | 'xz' | 'zstd'; bootRead: number }
  | { format: 'disk'; size: number; writeRate: number };

export interface BootFileSpec {
  /** bytes */
  size: number;
  protocol: 'tftp' | 'http';
  network: string;
  /** Per-node client rate cap, bytes/s; null when the client is not the limit. */
  clientRate: Sampler | null;
}

export interface DeploymentScenario extends ScenarioBase {
  kind: 'deployment';
  hardware: {
    post: Sampler;
    bmc: BmcParams;
    /** Cores decompressing the SquashFS boot working set in parallel (and reported at commissioning). */
    cores: number;
    /** Memory of a node, bytes (reported at commissioning). */
    memory: number;
    /** Local disk, bytes (0: diskless). */
    disk: number;
    /** Seconds from a reboot into the installed system to its init (POST not included). */
    localBoot: Sampler;
  };
  services: { dhcp: DhcpServerParams; tftp: TftpParams; http: HttpServerParams; rsync: RsyncParams; nfs: NfsRootParams };
  boot: {
    /** DHCP DISCOVER timeouts, seconds. */
    pxeSchedule: readonly number[];
    dhcpLoss: number;
    bootloader: BootFileSpec;
    kernel: BootFileSpec;
    initrd: BootFileSpec;
    rootfs: {
      method: RootfsMethod;
      image: ImageSpec;
      network: string;
      clientRate: Sampler | null;
      /** The client's retries of refused or timed-out downloads (wget --tries, --waitretry in seconds). */
      retry: { tries: number; waitretry: number };
      /** http, hybrid: the TCP backoff lockout of each source's rootfs downloads; null: none. */
      admission: HttpAdmissionParams | null;
      /** Collective methods: seconds a session waits after its first joiner for the others. */
      sessionWait: number;
      /** ram: diskless; disk: written to local disk, then the node reboots from it. */
      target: 'ram' | 'disk';
    };
    /** Kernel start-up between the initrd and the rootfs download; null: not modelled (no phase). */
    kernelStart: Sampler | null;
    mount: Sampler;
    init: Sampler;
  };
  deploy: {
    /** Most nodes in flight; Infinity = all. */
    wave: number;
    /** Seconds between two power-ons. */
    stagger: number;
    /** Each power-on waits a further uniform 0..jitter seconds. */
    jitter: number;
    relays: number;
    /** Copies of the rootfs image a relay receives (its own system, then the image it serves). */
    relayImages: number;
    /** Relays also serve their group's HTTP boot files (kernel, initrd), not only the rootfs. */
    relayBootFiles: boolean;
    /** Bytes/s a relay's HTTP server delivers to all its clients together (its page cache or its NIC stack). */
    relayServeRate: number;
    /** A relay whose group is done becomes a compute node (BCM). */
    relaysBecomeCompute: boolean;
    /** The orchestrator's retry policy: attempts in all, seconds per boot, first backoff (doubling), soft-off grace. */
    attempts: number;
    bootTimeout: number;
    backoff: number;
    softOffGrace: number;
    /** Caps on nodes in flight per rack and per rootfs source, and on BMC commands in flight; Infinity = none. */
    perRack: number;
    perSource: number;
    bmcCommands: number;
  };
}

type Obj = Record<string, unknown>;

const durationDist = (v: unknown, where: string) => parseDistribution(v, parseDuration, where);
const rateDist = (v: unknown, where: string) => parseDistribution(v, parseRate, where);

function bootFile(base: ScenarioBase, f: Obj, path: string): BootFileSpec {
  return {
    size: parseBytes(f.size),
    protocol: f.protocol as 'tftp' | 'http',
    network: networkNamed(base, f.network as string | undefined, `${path}.network`),
    clientRate: f.clientRate === undefined ? null : rateDist(f.clientRate, `${path}.clientRate`),
  };
}

function admission(base: ScenarioBase, a: Obj | undefined): HttpAdmissionParams | null {
  if (a === undefined) return null;
  const d = DEFAULT_HTTP_ADMISSION_PARAMS;
  const first = a.first === undefined ? d.first : durationDist(a.first, 'boot.rootfs.admission.first');
  const max = a.max === undefined ? d.max : parseDuration(a.max);
  if (max < first.mean()) {
    const at = `${base.source ? `${base.source}: ` : ''}boot.rootfs.admission`;
    throw new UsageError(ErrorCodes.SCENARIO_INVALID, `${at}: max (${max} s) is below first (mean ${first.mean()} s); the timeout doubles from first up to max`);
  }
  const giveUpAfter = a.giveUpAfter === undefined ? d.giveUpAfter : parseDuration(a.giveUpAfter);
  return { flows: a.flows as number, first, max, giveUpAfter };
}

function image(i: Obj): ImageSpec {
  switch (i.format) {
    case 'tree':
      return { format: 'tree', size: parseBytes(i.size), files: i.files as number };
    case 'squashfs':
      return {
        format: 'squashfs',
        size: parseBytes(i.size),
        algorithm: (i.algorithm as 'gzip') ?? 'xz',
        bootRead: i.bootRead === undefined ? 300e6 : parseBytes(i.bootRead),
      };
    default:
      return { format: 'disk', size: parseBytes(i.size), writeRate: i.writeRate === undefined ? 150e6 : parseRate(i.writeRate) };
  }
}

/** Resolves the deployment sections of a validated scenario file. */
export function resolveDeployment(base: ScenarioBase, file: ScenarioFile): DeploymentScenario {
  const hw = (file.hardware ?? {}) as Obj;
  const bmcFile = (hw.bmc ?? {}) as Obj;
  const bmcDefaults = bmcFile.protocol === 'redfish' ? DEFAULT_REDFISH_BMC_PARAMS : DEFAULT_IPMI_BMC_PARAMS;
  const bmc: BmcParams = {
    ...bmcDefaults,
    ...(bmcFile.latency === undefined ? {} : { commandLatency: durationDist(bmcFile.latency, 'hardware.bmc.latency') }),
    ...(bmcFile.failureRate === undefined ? {} : { failureRate: bmcFile.failureRate as number }),
    ...(bmcFile.timeout === undefined ? {} : { timeout: parseDuration(bmcFile.timeout) }),
  };
  const sv = (file.services ?? {}) as Obj;
  const dhcpFile = (sv.dhcp ?? {}) as Obj;
  const tftpFile = (sv.tftp ?? {}) as Obj;
  const httpFile = (sv.http ?? {}) as Obj;
  const rsyncFile = (sv.rsync ?? {}) as Obj;
  const nfsFile = (sv.nfs ?? {}) as Obj;
  const boot = file.boot as Obj;
  const rootfs = boot.rootfs as Obj;
  const deploy = (file.deploy ?? {}) as Obj;
  return {
    ...base,
    kind: 'deployment',
    hardware: {
      post: hw.post === undefined ? constant(120) : durationDist(hw.post, 'hardware.post'),
      bmc,
      cores: (hw.cores as number | undefined) ?? 4,
      memory: hw.memory === undefined ? 96e9 : parseBytes(hw.memory),
      disk: hw.disk === undefined ? 0 : parseBytes(hw.disk),
      localBoot: hw.localBoot === undefined ? constant(30) : durationDist(hw.localBoot, 'hardware.localBoot'),
    },
    services: {
      dhcp: {
        ...DEFAULT_DHCP_SERVER_PARAMS,
        ...(dhcpFile.serviceTime === undefined ? {} : { serviceTime: durationDist(dhcpFile.serviceTime, 'services.dhcp.serviceTime') }),
        ...(dhcpFile.workers === undefined ? {} : { workers: dhcpFile.workers as number }),
        ...(dhcpFile.backlog === undefined ? {} : { backlog: dhcpFile.backlog as number }),
      },
      tftp: {
        ...DEFAULT_TFTP_PARAMS,
        ...(tftpFile.blksize === undefined ? {} : { blksize: tftpFile.blksize as number }),
        ...(tftpFile.windowsize === undefined ? {} : { windowsize: tftpFile.windowsize as number }),
        ...(tftpFile.turnaround === undefined ? {} : { turnaround: parseDuration(tftpFile.turnaround) }),
        ...(tftpFile.lossRate === undefined ? {} : { lossRate: tftpFile.lossRate as number }),
        ...(tftpFile.maxTransfers === undefined ? {} : { maxTransfers: tftpFile.maxTransfers as number }),
      },
      rsync: {
        ...DEFAULT_RSYNC_PARAMS,
        ...(rsyncFile.perFileCost === undefined ? {} : { perFileCost: parseDuration(rsyncFile.perFileCost) }),
        ...(rsyncFile.serverFileRate === undefined ? {} : { serverFileRate: rsyncFile.serverFileRate as number }),
        ...(rsyncFile.clientRate === undefined ? {} : { clientRate: parseRate(rsyncFile.clientRate) }),
      },
      nfs: {
        ...DEFAULT_NFS_ROOT_PARAMS,
        ...(nfsFile.workingSet === undefined ? {} : { workingSetBytes: parseBytes(nfsFile.workingSet) }),
        ...(nfsFile.ops === undefined ? {} : { ops: nfsFile.ops as number }),
        ...(nfsFile.serverOpsRate === undefined ? {} : { serverOpsRate: nfsFile.serverOpsRate as number }),
        ...(nfsFile.opLatency === undefined ? {} : { opLatency: parseDuration(nfsFile.opLatency) }),
      },
      http: {
        ...DEFAULT_HTTP_SERVER_PARAMS,
        ...(httpFile.maxConnections === undefined ? {} : { maxConnections: httpFile.maxConnections as number }),
        ...(httpFile.overflow === undefined ? {} : { overflow: httpFile.overflow as 'queue' | 'refuse' }),
        ...(httpFile.readBandwidth === undefined ? {} : { readBandwidth: parseRate(httpFile.readBandwidth) }),
      },
    },
    boot: {
      pxeSchedule: boot.pxe === 'ipxe' ? IPXE_DISCOVER_TIMEOUTS : PXE_DISCOVER_TIMEOUTS,
      dhcpLoss: (boot.dhcpLoss as number | undefined) ?? 0,
      bootloader: bootFile(base, boot.bootloader as Obj, 'boot.bootloader'),
      kernel: bootFile(base, boot.kernel as Obj, 'boot.kernel'),
      initrd: bootFile(base, boot.initrd as Obj, 'boot.initrd'),
      rootfs: {
        method: rootfs.method as RootfsMethod,
        image: image(rootfs.image as Obj),
        network: networkNamed(base, rootfs.network as string | undefined, 'boot.rootfs.network'),
        clientRate: rootfs.clientRate === undefined ? null : rateDist(rootfs.clientRate, 'boot.rootfs.clientRate'),
        sessionWait: rootfs.sessionWait === undefined ? 120 : parseDuration(rootfs.sessionWait),
        target: (rootfs.target as 'ram' | 'disk' | undefined) ?? 'ram',
        retry: {
          tries: ((rootfs.retry as Obj | undefined)?.tries as number | undefined) ?? 20,
          waitretry: (rootfs.retry as Obj | undefined)?.waitretry === undefined ? 10 : parseDuration((rootfs.retry as Obj).waitretry),
        },
        admission: admission(base, rootfs.admission as Obj | undefined),
      },
      kernelStart: boot.kernelStart === undefined ? null : durationDist(boot.kernelStart, 'boot.kernelStart'),
      mount: boot.mount === undefined ? constant(1) : durationDist(boot.mount, 'boot.mount'),
      init: boot.init === undefined ? constant(20) : durationDist(boot.init, 'boot.init'),
    },
    deploy: {
      wave: (deploy.wave as number | undefined) ?? Infinity,
      stagger: deploy.stagger === undefined ? 0 : parseDuration(deploy.stagger),
      jitter: deploy.jitter === undefined ? 0 : parseDuration(deploy.jitter),
      relays: (deploy.relays as number | undefined) ?? 0,
      relayImages: (deploy.relayImages as number | undefined) ?? 1,
      relayBootFiles: (deploy.relayBootFiles as boolean | undefined) ?? false,
      // Default: files held in RAM, 10 GB/s (calibrated), above any NIC a relay has.
      relayServeRate: deploy.relayServeRate === undefined ? 10e9 : parseRate(deploy.relayServeRate),
      relaysBecomeCompute: (deploy.relaysBecomeCompute as boolean | undefined) ?? false,
      attempts: (deploy.attempts as number | undefined) ?? 1,
      bootTimeout: deploy.bootTimeout === undefined ? Infinity : parseDuration(deploy.bootTimeout),
      backoff: deploy.backoff === undefined ? 30 : parseDuration(deploy.backoff),
      softOffGrace: deploy.softOffGrace === undefined ? 60 : parseDuration(deploy.softOffGrace),
      perRack: (deploy.perRack as number | undefined) ?? Infinity,
      perSource: (deploy.perSource as number | undefined) ?? Infinity,
      bmcCommands: (deploy.bmcCommands as number | undefined) ?? Infinity,
    },
  };
}
