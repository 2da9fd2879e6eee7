/**
 * The deployment stage as an operator runs it (KiERA's fourth stage): register the image (kernel,
 * initrd, rootfs with checksums), then deploy every node of the configured cluster with one
 * provisioning scheme: boot entries written by the scheme, relays first, then their groups.
 * `describeDeployment` is the same decision, made without touching anything, for `--plan`.
 */
import { ErrorCodes, UsageError } from '../errors.ts';
import type { Image, NodeRecord, Ports } from '../ports/index.ts';
import { compressHostlist } from '../scenario/hostlist.ts';
import { deploy, type DeployOptions, type DeployPlan } from './deploy.ts';
import type { NodeStatus } from './node-state.ts';
import { provisioningScheme, type ProvisioningScheme, type SchemeContext } from './provisioning.ts';

export interface ClusterDeployment {
  image: Image;
  /** Provisioning scheme name: http, rsync, nfs, hybrid, multicast, chain, p2p. */
  scheme: string;
  target: 'ram' | 'disk';
  /** Where nodes report their phases, and the token that authenticates them. */
  statusUrl: string;
  token: string;
  /** The configuration stage's result: every node (in node order, with its rack) and the relays. */
  nodes: ReadonlyArray<Pick<NodeRecord, 'name' | 'rack'>>;
  relays: ReadonlyArray<{ relay: string; children: readonly string[] }>;
  options: DeployOptions;
}

function checkedScheme(d: ClusterDeployment): ProvisioningScheme {
  const scheme = provisioningScheme(d.scheme);
  if (d.relays.length > 0 && !scheme.relays) {
    throw new UsageError(ErrorCodes.ORCH_BAD_PLAN, `scheme "${scheme.name}" cannot be served by relays (${d.relays.length} relays planned): set relays to 0`);
  }
  return scheme;
}

function planOf(d: ClusterDeployment, scheme: ProvisioningScheme, ctx: SchemeContext): DeployPlan {
  const rack = new Map(d.nodes.map((n) => [n.name, n.rack]));
  return {
    nodes: d.nodes.map((n) => n.name),
    relays: new Map(d.relays.map((r) => [r.relay, r.children])),
    entry: (node, source, role) => scheme.entry(node, source, role, ctx),
    rackOf: (node) => rack.get(node) ?? 0,
  };
}

export async function deployCluster(ports: Ports, d: ClusterDeployment): Promise<Map<string, NodeStatus>> {
  const scheme = checkedScheme(d);
  const { image } = d;
  await ports.journal.append({
    type: 'image.publish',
    data: { name: image.name, kernel: image.kernel.sha256, initrd: image.initrd.sha256, rootfs: image.rootfs.sha256, format: image.rootfs.format, scheme: scheme.name },
  });
  const published = await ports.artifacts.publish(image);
  return deploy(ports, planOf(d, scheme, { image: published, target: d.target, statusUrl: d.statusUrl, token: d.token }), d.options);
}

export interface DeploymentDescription {
  scheme: { name: string; description: string };
  nodes: number;
  /** Power-on order: the relays (one wave), then every group once its relay is up. */
  order: Array<{ step: string; nodes: string; count: number }>;
  relays: Array<{ relay: string; children: string }>;
  caps: Record<string, number | string>;
  /** One boot entry per role, as it would be written. */
  entries: ReturnType<ProvisioningScheme['entry']>[];
}

/** What deployCluster would do, computed without touching the ports. */
export function describeDeployment(d: ClusterDeployment): DeploymentDescription {
  const scheme = checkedScheme(d);
  const url = (what: string) => `${d.statusUrl.replace(/\/status$/, '')}/images/${d.image.name}/${what}`;
  const ctx: SchemeContext = { image: { image: d.image, kernelUrl: url('kernel'), initrdUrl: url('initrd'), rootfsUrl: url('rootfs') }, target: d.target, statusUrl: d.statusUrl, token: d.token };
  const plan = planOf(d, scheme, ctx);
  const relayNames = [...plan.relays.keys()];
  const children = new Set(d.relays.flatMap((r) => r.children));
  const direct = plan.nodes.filter((n) => !plan.relays.has(n) && !children.has(n));
  const order = [];
  if (relayNames.length > 0) order.push({ step: 'relays', nodes: compressHostlist(relayNames), count: relayNames.length });
  for (const r of d.relays) if (r.children.length > 0) order.push({ step: `group of ${r.relay}`, nodes: compressHostlist([...r.children]), count: r.children.length });
  if (direct.length > 0) order.push({ step: 'from the server', nodes: compressHostlist(direct), count: direct.length });
  const o = d.options;
  const cap = (v: number | undefined) => (v === undefined || v === Infinity ? 'none' : v);
  const sample = [relayNames[0], d.relays[0]?.children[0] ?? direct[0]].filter((n): n is string => n !== undefined);
  return {
    scheme: { name: scheme.name, description: scheme.description },
    nodes: plan.nodes.length,
    order,
    relays: d.relays.map((r) => ({ relay: r.relay, children: compressHostlist([...r.children]) })),
    caps: { wave: cap(o.wave), stagger: o.stagger, perRack: cap(o.perRack), perSource: cap(o.perSource), bmcCommands: cap(o.bmcCommands), attempts: o.attempts, bootTimeout: cap(o.bootTimeout) },
    entries: sample.map((n) => plan.entry(n, plan.relays.has(n) ? 'server' : (d.relays.find((r) => r.children.includes(n))?.relay ?? 'server'), plan.relays.has(n) ? 'relay' : 'compute')),
  };
}
