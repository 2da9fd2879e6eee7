/**
 * The glue between a booting node and the service models: which server, which fabric, which
 * protocol, which client rate. One BootServices object serves every node of a twin.
 */
import type { BootServices } from '../../models/node-boot.ts';
import { pxeDhcp } from '../../models/pxe.ts';
import { drawRate } from './client-rate.ts';
import type { DeploymentTwin } from './cluster.ts';
import type { BootFileSpec } from './deployment-scenario.ts';
import { fetchRootfs, rootfsMountCost } from './rootfs-methods.ts';

/** Bytes of a node's status report (one small HTTP request and its answer). */
const REPORT_BYTES = 2048;

async function fetchBootFile(twin: DeploymentTwin, file: BootFileSpec, node: number, what: string, signal: AbortSignal): Promise<void> {
  if (file.protocol === 'tftp') {
    await twin.tftp.download(twin.fromServer(file.network, node), file.size, { node, label: `${what}:${node}`, signal });
    return;
  }
  const clientRate = drawRate(twin, file.clientRate, node, what);
  // With relayBootFiles, a relay serves its group's HTTP boot files as well as the rootfs.
  const relay = twin.scenario.deploy.relayBootFiles ? twin.rootfsSource[node] : -1;
  if (relay >= 0) {
    await twin.relayHttpServer(relay).download(twin.fabric(file.network).nodeToNode(relay, node), file.size, { clientRate, signal });
    return;
  }
  await twin.http[twin.serverOf(node)].download(twin.fromServer(file.network, node), file.size, { clientRate, signal });
}

export function bootServices(twin: DeploymentTwin): BootServices {
  const boot = twin.scenario.boot;
  const hardware = twin.scenario.hardware;
  const reboot =
    boot.rootfs.target === 'disk'
      ? async (node: number, signal: AbortSignal) => {
          const rng = twin.engine.stream(`node.reboot.${node}`).fn;
          await twin.engine.timeout(hardware.post.sample(rng) + hardware.localBoot.sample(rng), signal);
        }
      : undefined;
  return {
    reboot,
    dhcp: async (node, signal) => {
      await pxeDhcp(twin.engine, twin.dhcp, node, { schedule: boot.pxeSchedule, lossRate: boot.dhcpLoss, signal });
    },
    bootloader: (node, signal) => fetchBootFile(twin, boot.bootloader, node, 'bootloader', signal),
    kernel: (node, signal) => fetchBootFile(twin, boot.kernel, node, 'kernel', signal),
    initrd: (node, signal) => fetchBootFile(twin, boot.initrd, node, 'initrd', signal),
    // The commissioning environment runs from its initrd: no root filesystem to fetch.
    rootfs: (node, signal) => (twin.commissioning.has(node) ? Promise.resolve() : fetchRootfs(twin, node, signal)),
    mountCost: (node) => rootfsMountCost(twin, node),
    report: async (node, signal) => {
      const fabric = twin.fabric(boot.bootloader.network);
      await twin.network.transferAsync(fabric.nodeToServer(node, twin.serverOf(node)), REPORT_BYTES, { signal });
    },
  };
}
