import { isIPv6 } from 'node:net';

/** An IP address as an unsigned integer, with its width (32 for IPv4, 128 for IPv6). */
export interface IpAddress {
  bits: 32 | 128;
  value: bigint;
}

/** The inclusive range of addresses a CIDR block covers. */
export interface IpRange {
  bits: 32 | 128;
  low: bigint;
  high: bigint;
}

const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** Parses an IPv4 dotted quad or an IPv6 literal (with `::`), or answers undefined. */
export function parseIp(text: string): IpAddress | undefined {
  if (IPV4.test(text)) {
    const octets = text.split('.').map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    return { bits: 32, value: octets.reduce((sum, octet) => (sum << 8n) | BigInt(octet), 0n) };
  }
  if (IPV6.test(text) && isIPv6(text)) {
    const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
    const groupsOf = (part: string | undefined) => (part ? part.split(':') : []);
    const left = groupsOf(head);
    const right = groupsOf(tail);
    const missing = tail === undefined ? 0 : 8 - left.length - right.length;
    const groups = [...left, ...Array<string>(missing).fill('0'), ...right];
    return { bits: 128, value: groups.reduce((sum, group) => (sum << 16n) | BigInt(`0x${group}`), 0n) };
  }
  return undefined;
}

/**
 * Parses `address/maskBits` the way EventBridge's rule engine (aws/event-ruler CIDR.java) does: one
 * `/`, an integer mask under the address width (so `/32` for IPv4 and `/128` for IPv6 are refused),
 * and the range from the masked address to the last address of the block. Throws with its message.
 */
export function parseCidr(text: string): IpRange {
  const parts = text.split('/');
  if (parts.length !== 2) throw new Error("Malformed CIDR, one '/' required");
  if (!/^-?[0-9]+$/.test(parts[1])) throw new Error('Malformed CIDR, mask bits must be an integer');
  const mask = Number(parts[1]);
  if (mask < 0) throw new Error('Malformed CIDR, mask bits must not be negative');
  const address = parseIp(parts[0]);
  if (!address) throw new Error(`Invalid IP address: ${parts[0]}`);
  if (address.bits === 32 && mask > 31) throw new Error('IPv4 mask bits must be < 32');
  if (address.bits === 128 && mask > 127) throw new Error('IPv6 mask bits must be < 128');
  const hostBits = BigInt(address.bits - mask);
  const hostMask = (1n << hostBits) - 1n;
  return { bits: address.bits, low: address.value & ~hostMask, high: address.value | hostMask };
}

export function inRange(range: IpRange, address: IpAddress): boolean {
  return address.bits === range.bits && address.value >= range.low && address.value <= range.high;
}
