/**
 * The demand (demand.ts) of a deployment scenario: each role's boot as the twin runs it (POST, boot
 * loader, kernel, initrd, rootfs, write and reboot for an install to disk, mount, init, report),
 * each step at the least time the scenario allows, and the transfers each step makes.
 *
 * A step's least time uses only what no schedule can beat: the distribution's minimum for a drawn
 * duration (POST, mount, init), the fastest the node can receive (its access link, and the server
 * NIC and rack uplink on the way from the server), the fastest its client can go (the largest rate
 * its client-rate distribution can draw), the source's own ceiling (HTTP read bandwidth, a relay's
 * serve rate, rsync's stream rate and per-file round trips, NFS operation round trips, TFTP's
 * lockstep), and one route latency. DHCP, BMC commands and the power-on wait count as zero.
 */
import { bootReadCost, transferBytes, writeTime } from '../models/image-format.ts';
import { tftpRateBound, tftpWindows } from '../models/tftp-params.ts';
import type { BootFileSpec, DeploymentScenario } from '../twin/deployment/deployment-scenario.ts';
import { imageFormat } from '../twin/deployment/rootfs-methods.ts';
import type { NetworkParams } from '../twin/scenario.ts';
import { relayGroupsOf, type Demand, type Role, type RoleDemand, type Step, type Transfer } from './demand.ts';
import { maxOf, supportOf } from './support.ts';

type Source = 'server' | 'relay';

function transfer(step: string, network: string, source: Source, bytes: number, work: Partial<Transfer> = {}): Transfer {
  return { step, network, source, bytes, collective: false, httpBytes: 0, rsyncFiles: 0, nfsOps: 0, tftpSeconds: 0, ...work };
}

export function deploymentDemand(s: DeploymentScenario): Demand {
  const networks = new Map<string, NetworkParams>(s.networks.map((n) => [n.name, n]));
  const net = (name: string) => networks.get(name)!;
  const { nodes, nodesPerRack, servers } = s.cluster;
  const groups = relayGroupsOf(nodes, nodesPerRack, s.deploy.relays, `${s.source ? `${s.source}: ` : ''}deploy.relays`);
  const http = s.services.http;
  const requestLatency = supportOf(http.requestLatency).min;
  const postMin = supportOf(s.hardware.post).min;
  const rootfs = s.boot.rootfs;

  /** Route latency and the fastest a flow from `source` can arrive on network `name`. */
  function path(name: string, source: Source): { latency: number; rate: number } {
    const n = net(name);
    // From the server: its NIC, the rack uplink, the access link. From a relay in the same rack: two access links.
    return source === 'server'
      ? { latency: 3 * n.latency, rate: Math.min(n.access, n.rackUplink, n.serverNic) }
      : { latency: 2 * n.latency, rate: n.access };
  }

  function bootFile(step: string, f: BootFileSpec, source: Source): { step: Step; transfer: Transfer } {
    const p = path(f.network, source);
    if (f.protocol === 'tftp') {
      const t = s.services.tftp;
      const rtt = 2 * p.latency;
      const seconds = Math.max(p.latency + f.size / Math.min(p.rate, tftpRateBound(t, rtt)), tftpWindows(t, f.size) * (rtt + t.turnaround));
      return { step: { name: step, seconds }, transfer: transfer(step, f.network, 'server', f.size, { tftpSeconds: seconds }) };
    }
    const read = source === 'server' ? http.readBandwidth : s.deploy.relayServeRate;
    const seconds = requestLatency + p.latency + f.size / Math.min(p.rate, read, maxOf(f.clientRate));
    return { step: { name: step, seconds }, transfer: transfer(step, f.network, source, f.size, { httpBytes: f.size }) };
  }

  /** One copy of the root filesystem from `source`: least time and the transfer's bytes and work. */
  function rootfsOnce(source: Source): { seconds: number; work: Partial<Transfer> & { bytes: number } } {
    const p = path(rootfs.network, source);
    const image = imageFormat(rootfs.image);
    const bytes = transferBytes(image);
    const clientMax = maxOf(rootfs.clientRate);
    const viaHttp = () => requestLatency + p.latency + bytes / Math.min(p.rate, source === 'server' ? http.readBandwidth : s.deploy.relayServeRate, clientMax);
    const nfs = s.services.nfs;
    const viaNfs = () => nfs.ops / Math.min(nfs.window / nfs.opLatency, nfs.serverOpsRate) + p.latency + nfs.workingSetBytes / p.rate;
    switch (rootfs.method) {
      case 'http':
        return { seconds: viaHttp(), work: { bytes, httpBytes: bytes } };
      case 'rsync': {
        const r = s.services.rsync;
        const files = image.kind === 'tree' ? image.files : 1;
        const stream = rootfs.clientRate === null ? r.clientRate : clientMax;
        const seconds = files / Math.min(1 / r.perFileCost, r.serverFileRate) + p.latency + bytes / Math.min(p.rate, stream);
        return { seconds, work: { bytes, rsyncFiles: files } };
      }
      case 'nfs':
        return { seconds: viaNfs(), work: { bytes: nfs.workingSetBytes, nfsOps: nfs.ops } };
      case 'hybrid':
        return { seconds: viaHttp() + viaNfs(), work: { bytes: bytes + nfs.workingSetBytes, httpBytes: bytes, nfsOps: nfs.ops } };
      default: {
        // A multicast receiver writing to disk as it receives paces the session at its disk's rate.
        const receive = rootfs.method === 'multicast' && rootfs.target === 'disk' && rootfs.image.format === 'disk' ? rootfs.image.writeRate : Infinity;
        return { seconds: p.latency + rootfs.image.size / Math.min(p.rate, receive), work: { bytes: rootfs.image.size, collective: true } };
      }
    }
  }

  function roleDemand(role: Role): RoleDemand {
    const steps: Step[] = [{ name: 'post', seconds: postMin }];
    const transfers: Transfer[] = [];
    const files: Array<[string, BootFileSpec]> = [['bootloader', s.boot.bootloader], ['kernel', s.boot.kernel], ['initrd', s.boot.initrd]];
    for (const [name, f] of files) {
      const fromRelay = role === 'child' && s.deploy.relayBootFiles && f.protocol === 'http';
      const b = bootFile(name, f, fromRelay ? 'relay' : 'server');
      steps.push(b.step);
      transfers.push(b.transfer);
    }
    const source: Source = role === 'child' ? 'relay' : 'server';
    const copies = role === 'relay' ? s.deploy.relayImages : 1;
    const once = rootfsOnce(source);
    steps.push({ name: 'rootfs', seconds: copies * once.seconds });
    const w = once.work;
    transfers.push(
      transfer('rootfs', rootfs.network, source, copies * w.bytes, {
        collective: w.collective ?? false,
        httpBytes: copies * (w.httpBytes ?? 0),
        rsyncFiles: copies * (w.rsyncFiles ?? 0),
        nfsOps: copies * (w.nfsOps ?? 0),
      }),
    );
    if (rootfs.target === 'disk') {
      if (rootfs.method !== 'multicast') steps.push({ name: 'write', seconds: writeTime(imageFormat(rootfs.image)) });
      steps.push({ name: 'reboot', seconds: postMin + supportOf(s.hardware.localBoot).min });
    }
    const mountCost = rootfs.image.format === 'squashfs' ? bootReadCost(imageFormat(rootfs.image), rootfs.image.bootRead, s.hardware.cores) : 0;
    steps.push({ name: 'mount', seconds: supportOf(s.boot.mount).min + mountCost });
    steps.push({ name: 'init', seconds: supportOf(s.boot.init).min });
    // The status report crosses the boot loader's network back to the server: one route latency at least.
    steps.push({ name: 'report', seconds: 3 * net(s.boot.bootloader.network).latency });
    return { role, steps, transfers };
  }

  const roles: Role[] = groups.length === 0 ? ['node'] : groups.length < nodes ? ['relay', 'child'] : ['relay'];
  return {
    nodes,
    nodesPerRack,
    racks: Math.ceil(nodes / nodesPerRack),
    servers,
    networks,
    roles: roles.map(roleDemand),
    imageStep: 'rootfs',
    groups,
    capacities: {
      serverHttpRead: http.readBandwidth,
      relayHttpRead: s.deploy.relayServeRate,
      rsyncFileRate: s.services.rsync.serverFileRate,
      nfsOpsRate: s.services.nfs.serverOpsRate,
      tftpSlots: s.services.tftp.maxTransfers,
    },
    p2p: rootfs.method === 'p2p' ? { network: rootfs.network, bytes: rootfs.image.size } : null,
  };
}
