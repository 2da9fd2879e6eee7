/**
 * A deployment scenario as the orchestrator runs it on the twin: the scenario's cluster becomes the
 * configuration stage's input (node names, racks, rack-group relays, sequential addresses), its
 * image and rootfs method become a registered image and a provisioning scheme, its deploy section
 * the orchestrator's caps and retry policy. The very deployCluster that drives real hardware then
 * runs on the twin's ports, in virtual time (src/twin/stages.ts): the seed scenarios' figures
 * come from that path.
 */
import { createHash } from 'node:crypto';
import { planCluster, type ClusterConfig, type ClusterPlan } from '../../orchestrator/configure/index.ts';
import type { ClusterDeployment } from '../../orchestrator/deploy-cluster.ts';
import type { DeployOptions } from '../../orchestrator/deploy.ts';
import type { Image, ImageFile } from '../../ports/index.ts';
import { expandHostlist } from '../../scenario/hostlist.ts';
import type { DeploymentScenario } from './deployment-scenario.ts';

/** Status endpoint and token the twin's boot entries carry (nothing listens: the twin reports directly). */
export const TWIN_STATUS_URL = 'http://server/status';
export const TWIN_TOKEN = 'twin';

/**
 * The cluster configuration a scenario implies. Networks get 10.<16k>.0.1 upwards with the
 * smallest prefix that holds every node (at least /12 apart, so up to 16 networks of 1M nodes).
 */
export function clusterConfigOf(scenario: DeploymentScenario): ClusterConfig {
  const hostBits = Math.max(8, Math.ceil(Math.log2(scenario.cluster.nodes + 3)));
  return {
    name: scenario.name.replace(/[^A-Za-z0-9._-]/g, '-'),
    naming: { hostlist: scenario.cluster.names },
    nodes: scenario.cluster.nodes,
    nodesPerRack: scenario.cluster.nodesPerRack,
    relays: scenario.deploy.relays > 0 ? { kind: 'rack-groups', relays: scenario.deploy.relays } : { kind: 'none' },
    networks: scenario.networks.map((n, i) => ({ name: n.name, start: `10.${16 * i}.0.1`, prefixLength: 32 - hostBits })),
    sshKey: 'generate',
    // In the twin a node's BMC answers at the node's name (what discovery registers).
    bmcs: expandHostlist(scenario.cluster.names),
  };
}

function file(label: string, bytes: number): ImageFile {
  // The twin has no bytes to hash; the checksum identifies the description, so a changed size is a new image.
  return { path: label, bytes, sha256: createHash('sha256').update(`${label}:${bytes}`).digest('hex') };
}

export function imageOf(scenario: DeploymentScenario): Image {
  const { kernel, initrd, rootfs } = scenario.boot;
  const name = `${scenario.name}-image`;
  return {
    name,
    kernel: file(`${name}/kernel`, kernel.size),
    initrd: file(`${name}/initrd`, initrd.size),
    rootfs: { ...file(`${name}/rootfs`, rootfs.image.size), format: rootfs.image.format, ...(rootfs.image.format === 'tree' ? { files: rootfs.image.files } : {}) },
  };
}

const finite = (v: number) => (v === Infinity ? undefined : v);

export function deployOptionsOf(scenario: DeploymentScenario): DeployOptions {
  const d = scenario.deploy;
  return {
    wave: d.wave,
    stagger: d.stagger,
    bootTimeout: d.bootTimeout,
    attempts: d.attempts,
    backoff: (attempt) => d.backoff * 2 ** (attempt - 2),
    softOffGrace: d.softOffGrace,
    perRack: finite(d.perRack),
    perSource: finite(d.perSource),
    bmcCommands: finite(d.bmcCommands),
    relaysBecomeCompute: d.relaysBecomeCompute,
  };
}

export function clusterDeploymentOf(scenario: DeploymentScenario, plan: ClusterPlan = planCluster(clusterConfigOf(scenario))): ClusterDeployment {
  return {
    image: imageOf(scenario),
    scheme: scenario.boot.rootfs.method,
    target: scenario.boot.rootfs.target,
    statusUrl: TWIN_STATUS_URL,
    token: TWIN_TOKEN,
    nodes: plan.nodes,
    relays: plan.relays,
    options: deployOptionsOf(scenario),
  };
}
