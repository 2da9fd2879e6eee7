/**
 * IPv4 addresses as unsigned 32-bit integers, by hand: the configuration stage only needs
 * parsing, printing and subnet bounds, and doing them here keeps the orchestrator free of
 * platform address libraries (whose lenient parsers accept "10.1" or octal "010.0.0.1").
 *
 * Every value is kept in 0 .. 2^32-1 with `>>> 0` after each bitwise step, because JavaScript's
 * bitwise operators work on signed 32-bit integers.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';

/** A decimal octet without leading zeros (leading zeros mean octal to inet_aton). */
const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Parses strict dotted-quad notation ("10.0.0.1"); `what` names the field in the error message. */
export function parseIpv4(text: string, what: string): number {
  const bad = (why: string): never => {
    throw new UsageError(ErrorCodes.CONFIGURE_BAD_ADDRESS, `${what}: ${JSON.stringify(text)} is not an IPv4 address (${why})`);
  };
  if (typeof text !== 'string') bad('expected a string like "10.0.0.1"');
  const parts = text.split('.');
  if (parts.length !== 4) bad('expected four dot-separated numbers');
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) bad(`"${part}" is not a decimal number from 0 to 255 without leading zeros`);
    const octet = Number(part);
    if (octet > 255) bad(`${octet} is more than 255`);
    value = value * 256 + octet;
  }
  return value;
}

/** Dotted-quad text of a uint32. */
export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Checks a prefix length (0..32); `what` names the field in the error message. */
export function checkPrefixLength(prefixLength: number, what: string): void {
  if (!(Number.isInteger(prefixLength) && prefixLength >= 0 && prefixLength <= 32)) {
    throw new UsageError(ErrorCodes.CONFIGURE_BAD_ADDRESS, `${what}: prefix length must be an integer from 0 to 32, got ${String(prefixLength)}`);
  }
}

/** The netmask of a prefix length as a uint32 (a shift by 32 is a shift by 0 in JavaScript, hence the special case). */
export function netmask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

export interface Subnet {
  /** Lowest address of the subnet (uint32). */
  readonly network: number;
  /** Highest address of the subnet (uint32). */
  readonly broadcast: number;
  readonly prefixLength: number;
  /**
   * Whether the lowest and highest addresses are reserved (network and broadcast). They are for
   * prefixes up to /30; a /31 (RFC 3021, point-to-point) and a /32 have no such addresses.
   */
  readonly reservesEnds: boolean;
}

/** The subnet an address belongs to under a prefix length. */
export function subnetOf(address: number, prefixLength: number): Subnet {
  const mask = netmask(prefixLength);
  const network = (address & mask) >>> 0;
  const broadcast = (network | ~mask) >>> 0;
  return { network, broadcast, prefixLength, reservesEnds: prefixLength <= 30 };
}

/** "10.0.0.0/16" */
export function formatSubnet(subnet: Subnet): string {
  return `${formatIpv4(subnet.network)}/${subnet.prefixLength}`;
}

export function inSubnet(address: number, subnet: Subnet): boolean {
  return address >= subnet.network && address <= subnet.broadcast;
}
