/**
 * The site's cluster plan: one node per BMC the inventory knows (every BMC discovery ever
 * registered, answering now or not, so that a BMC that went silent keeps its node and no node
 * changes name), in BMC address order, named <prefix><n>, addressed on the boot network from its
 * start. The same planCluster the twin uses; applying it is the configuration stage.
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, UsageError } from '../../errors.ts';
import { planCluster, type ClusterPlan, type SshKeyPolicy } from '../../orchestrator/configure/index.ts';
import type { BmcRecord } from '../../ports/index.ts';
import { byIpv4 } from './ipv4-range.ts';
import type { Site } from './load-site.ts';

export const BOOT_NETWORK = 'boot';

export function sitePlan(site: Site, bmcs: readonly BmcRecord[]): ClusterPlan {
  const addresses = bmcs.filter((b) => b.port === site.bmc.port).map((b) => b.address).sort(byIpv4);
  if (addresses.length === 0) throw new UsageError(ErrorCodes.SITE_NO_BMC, `no BMC answered in ${site.bmc.addresses[0]}-${site.bmc.addresses.at(-1)} port ${site.bmc.port}, and none is known from an earlier run`);
  const key = site.nodes.sshPublicKeyFile;
  const sshKey: SshKeyPolicy = key === undefined ? 'generate' : { register: readFileSync(key, 'utf8').trim() };
  return planCluster({
    name: site.name,
    naming: { prefix: site.nodes.prefix, width: site.nodes.width },
    nodes: addresses.length,
    nodesPerRack: site.nodes.nodesPerRack,
    networks: [{ name: BOOT_NETWORK, start: site.nodes.bootNetwork.start, prefixLength: site.nodes.bootNetwork.prefixLength }],
    sshKey,
    bmcs: addresses,
  });
}
