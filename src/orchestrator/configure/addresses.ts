/**
 * Sequential address assignment, as in the KiERA seed's network configuration step: "when the
 * initial IP address is entered, the remaining nodes are automatically assigned IP addresses
 * sequentially". The n-th node (in node order) gets the n-th usable address at or after the
 * start address; the subnet's network and broadcast addresses and the gateway are skipped.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import { checkPrefixLength, formatIpv4, formatSubnet, inSubnet, parseIpv4, subnetOf, type Subnet } from './ipv4.ts';
import { checkName } from './validate.ts';

/** One network of the cluster (e.g. "ethernet", "opa"). */
export interface NetworkConfig {
  /** Network name: the key of `NodeRecord.addresses`. Letters, digits, ".", "_", "-". */
  name: string;
  /** Address of the first node (dotted quad); the subnet is this address under `prefixLength`. */
  start: string;
  /** Prefix length of the subnet, 0..32. */
  prefixLength: number;
  /** Router address inside the subnet; never assigned to a node. */
  gateway?: string;
}

export interface PlannedNetwork {
  name: string;
  start: string;
  prefixLength: number;
  gateway?: string;
  /** "10.0.0.0/16" */
  subnet: string;
  /** First and last assigned addresses (absent when no node was assigned, which planCluster never does). */
  first?: string;
  last?: string;
}

/** A checked network: uint32 values for the arithmetic, plus the texts for the plan. */
export interface NetworkRange {
  readonly config: NetworkConfig;
  readonly subnet: Subnet;
  readonly start: number;
  readonly gateway: number | undefined;
}

/** Validates a network's fields; throws CONFIGURE_BAD_ADDRESS or CONFIGURE_BAD_CONFIG. */
export function checkNetwork(config: NetworkConfig): NetworkRange {
  checkName(config.name, 'network name');
  const what = `network "${config.name}"`;
  checkPrefixLength(config.prefixLength, `${what} prefixLength`);
  const start = parseIpv4(config.start, `${what} start`);
  const subnet = subnetOf(start, config.prefixLength);
  let gateway: number | undefined;
  if (config.gateway !== undefined) {
    gateway = parseIpv4(config.gateway, `${what} gateway`);
    if (!inSubnet(gateway, subnet)) {
      throw new UsageError(ErrorCodes.CONFIGURE_BAD_ADDRESS, `${what}: gateway ${config.gateway} is outside the subnet ${formatSubnet(subnet)}`);
    }
    if (subnet.reservesEnds && (gateway === subnet.network || gateway === subnet.broadcast)) {
      const which = gateway === subnet.network ? 'network' : 'broadcast';
      throw new UsageError(ErrorCodes.CONFIGURE_BAD_ADDRESS, `${what}: gateway ${config.gateway} is the ${which} address of ${formatSubnet(subnet)}`);
    }
  }
  return { config, subnet, start, gateway };
}

function reserved(range: NetworkRange, address: number): boolean {
  const { subnet } = range;
  return address === range.gateway || (subnet.reservesEnds && (address === subnet.network || address === subnet.broadcast));
}

/** How many addresses can be assigned from the start address to the end of the subnet: O(1). */
export function availableAddresses(range: NetworkRange): number {
  const { subnet, start } = range;
  let n = subnet.broadcast - start + 1;
  if (subnet.reservesEnds) n -= start === subnet.network ? 2 : 1;
  if (range.gateway !== undefined && range.gateway >= start) n -= 1;
  return Math.max(0, n);
}

/**
 * The first `count` usable addresses from the start (uint32, ascending). Throws
 * CONFIGURE_RANGE_EXHAUSTED, naming the network and both numbers, when the subnet runs out.
 */
export function assignAddresses(range: NetworkRange, count: number): number[] {
  const available = availableAddresses(range);
  if (count > available) {
    const { config, subnet } = range;
    throw new UsageError(
      ErrorCodes.CONFIGURE_RANGE_EXHAUSTED,
      `network "${config.name}": ${count} addresses needed from ${config.start} in ${formatSubnet(subnet)}, only ${available} available` +
        ` (up to ${formatIpv4(subnet.broadcast)}, less the network and broadcast addresses and the gateway); use an earlier start or a shorter prefix`,
    );
  }
  const out: number[] = [];
  for (let a = range.start; out.length < count; a++) if (!reserved(range, a)) out.push(a);
  return out;
}

/** The plan's view of a network once its addresses are known. */
export function plannedNetwork(range: NetworkRange, assigned: readonly number[]): PlannedNetwork {
  const { config } = range;
  const out: PlannedNetwork = { name: config.name, start: config.start, prefixLength: config.prefixLength, subnet: formatSubnet(range.subnet) };
  if (config.gateway !== undefined) out.gateway = config.gateway;
  if (assigned.length > 0) {
    out.first = formatIpv4(assigned[0]);
    out.last = formatIpv4(assigned[assigned.length - 1]);
  }
  return out;
}

/**
 * Two networks must never hand out the same address, nor an address that is another network's
 * gateway: a node would answer for a router or for another node. Ranges are contiguous, so
 * comparing their bounds is exact.
 */
export function checkDisjoint(ranges: readonly NetworkRange[], assigned: ReadonlyArray<readonly number[]>): void {
  for (let i = 0; i < ranges.length; i++) {
    const a = assigned[i];
    if (a.length === 0) continue;
    const [lo, hi] = [a[0], a[a.length - 1]];
    for (let j = 0; j < ranges.length; j++) {
      if (j === i) continue;
      const b = assigned[j];
      const other = ranges[j].config;
      const name = ranges[i].config.name;
      if (j > i && b.length > 0 && b[0] <= hi && lo <= b[b.length - 1]) {
        throw new UsageError(
          ErrorCodes.CONFIGURE_NETWORK_OVERLAP,
          `networks "${name}" (${formatIpv4(lo)}-${formatIpv4(hi)}) and "${other.name}" (${formatIpv4(b[0])}-${formatIpv4(b[b.length - 1])}) assign overlapping addresses`,
        );
      }
      const gw = ranges[j].gateway;
      if (gw !== undefined && gw >= lo && gw <= hi && !reserved(ranges[i], gw)) {
        throw new UsageError(ErrorCodes.CONFIGURE_NETWORK_OVERLAP, `network "${name}" would assign ${formatIpv4(gw)}, the gateway of network "${other.name}", to a node`);
      }
    }
  }
}
