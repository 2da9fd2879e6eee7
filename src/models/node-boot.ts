/**
 * What a diskless node does by itself from power-on until it reports "booted": firmware POST,
 * PXE DHCP, boot loader, kernel and initrd downloads, the root filesystem (by whatever method the
 * boot configuration names), mount, init and the final status report. Each phase's start and end
 * go to the PhaseLog; each phase end is also reported to `onPhase` (the twin turns it into the
 * NodeEvents the orchestrator waits for).
 *
 * The node knows nothing of how its files travel: it asks its BootServices, which the twin builds
 * from the DHCP, TFTP, HTTP, rsync, NFS and broadcast models.
 */
import type { Engine } from '../engine/engine.ts';
import type { PhaseLog } from './phase-log.ts';
import type { Sampler } from './sampler.ts';

/** The phases a node reports as it boots, in order. */
export const REPORTED_PHASES = ['post', 'dhcp', 'bootloader', 'kernel', 'initrd', 'kernel-start', 'rootfs', 'reboot', 'mount', 'init', 'report'] as const;
export type ReportedPhase = (typeof REPORTED_PHASES)[number];

export interface NodeBootParams {
  /** Firmware time from power-on to the PXE ROM, seconds (KNL: minutes; calibrated per site). */
  post: Sampler;
  /**
   * Kernel start-up between the initrd download and the rootfs download (the initrd's /init
   * fetches the rootfs), seconds; null: not modelled, no phase recorded.
   */
  kernelStart: Sampler | null;
  /** Time to mount the root filesystem beyond reading it, seconds. */
  mount: Sampler;
  /** Time from switch-root to the status report (systemd, services), seconds. */
  init: Sampler;
}

/** How the node gets what it needs. Each call resolves when done, or rejects (e.g. no DHCP offer). */
export interface BootServices {
  dhcp(node: number, signal: AbortSignal): Promise<void>;
  bootloader(node: number, signal: AbortSignal): Promise<void>;
  kernel(node: number, signal: AbortSignal): Promise<void>;
  initrd(node: number, signal: AbortSignal): Promise<void>;
  rootfs(node: number, signal: AbortSignal): Promise<void>;
  /**
   * For an install to local disk (SystemImager, Kadeploy): the reboot into the installed system
   * (POST again, then the local boot loader and kernel). Absent for diskless nodes.
   */
  reboot?(node: number, signal: AbortSignal): Promise<void>;
  /** Extra seconds mounting costs for this image (reading and decompressing the boot working set). */
  mountCost(node: number): number;
  /** The status report to the deployment server (one small HTTP request). */
  report(node: number, signal: AbortSignal): Promise<void>;
}

export interface BootObserver {
  /** Called at the end of each phase. */
  onPhase(node: number, phase: ReportedPhase, at: number): void;
}

/**
 * Boots one node, recording every phase. Resolves when the node has reported "booted"; rejects
 * with whatever a phase threw (the phase in progress is recorded up to the failure, under its name
 * with the suffix ":failed", so a report shows where the node stopped).
 */
export async function bootNode(
  engine: Engine,
  node: number,
  params: NodeBootParams,
  services: BootServices,
  log: PhaseLog,
  observer: BootObserver,
  signal: AbortSignal,
): Promise<void> {
  const rng = engine.stream(`node.boot.${node}`).fn;
  const phase = async (name: ReportedPhase, work: () => Promise<void>): Promise<void> => {
    const start = engine.now;
    log.began(node, name, start);
    try {
      await work();
    } catch (e) {
      log.record(node, `${name}:failed`, start, engine.now);
      throw e;
    }
    log.record(node, name, start, engine.now);
    observer.onPhase(node, name, engine.now);
  };
  await phase('post', () => engine.timeout(params.post.sample(rng), signal));
  await phase('dhcp', () => services.dhcp(node, signal));
  await phase('bootloader', () => services.bootloader(node, signal));
  await phase('kernel', () => services.kernel(node, signal));
  await phase('initrd', () => services.initrd(node, signal));
  const kernelStart = params.kernelStart;
  if (kernelStart !== null) await phase('kernel-start', () => engine.timeout(kernelStart.sample(rng), signal));
  await phase('rootfs', () => services.rootfs(node, signal));
  const reboot = services.reboot;
  if (reboot !== undefined) await phase('reboot', () => reboot(node, signal));
  await phase('mount', () => engine.timeout(params.mount.sample(rng) + services.mountCost(node), signal));
  await phase('init', () => engine.timeout(params.init.sample(rng), signal));
  await phase('report', () => services.report(node, signal));
}
