/** Per-link figures of a finished run, for reports. */
import type { FlowNetwork } from '../engine/network/flow-network.ts';
import type { LinkUsage } from './result.ts';

/** Every link direction that carried traffic, in the order the links were created. */
export function linkUsage(net: FlowNetwork, end: number): LinkUsage[] {
  const usage: LinkUsage[] = [];
  for (const c of net.constraints) {
    if (!(c.peakLoad > 0)) continue;
    usage.push({
      name: c.name,
      capacity: c.capacity,
      peakLoad: c.peakLoad,
      peakUtilisation: c.peakUtilisation,
      bytesCarried: c.bytesCarried + c.load * (end - c.loadSince),
    });
  }
  return usage;
}
