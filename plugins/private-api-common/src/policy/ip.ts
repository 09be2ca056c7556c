/** IPv4 and IPv6 addresses and CIDR ranges for the IpAddress / NotIpAddress operators. */
import ipaddr from 'ipaddr.js';
import { memoize } from './memo';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A CIDR range; a single address is a /32 (IPv4) or /128 (IPv6) range, as IAM reads it. */
export type IpRange = [Address, number];

/**
 * Parses an address strictly: dotted-quad IPv4 (not the shorthand forms such as `10.1` that
 * ipaddr.js also accepts) or IPv6. An IPv4-mapped IPv6 address becomes IPv4, so
 * `::ffff:192.0.2.1` matches `192.0.2.0/24`.
 */
export const parseIpAddress = memoize(parseIpAddressOnce);

function parseIpAddressOnce(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.process(text);
  return undefined;
}

/** Parses `a.b.c.d/n`, `x::/n` or a single address. */
export const parseIpRange = memoize(parseIpRangeOnce);

function parseIpRangeOnce(text: string): IpRange | undefined {
  if (!text.includes('/')) {
    const address = parseIpAddress(text);
    if (!address) return undefined;
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text))
    return ipaddr.IPv4.parseCIDR(text);
  if (ipaddr.IPv6.isValidCIDR(text)) return ipaddr.IPv6.parseCIDR(text);
  return undefined;
}

/** True when the address is inside the range; an IPv4 address never matches an IPv6 range. */
export function ipInRange(address: Address, range: IpRange): boolean {
  const [network] = range;
  if (address.kind() !== network.kind()) return false;
  return address.match(range);
}

/** The first and the last address of a range, as text (samples for the policy analysis). */
export function rangeBounds(range: IpRange): string[] {
  const [network, bits] = range;
  const cidr = `${network.toString()}/${bits}`;
  const Kind = network.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6;
  return [
    Kind.networkAddressFromCIDR(cidr).toString(),
    Kind.broadcastAddressFromCIDR(cidr).toString(),
  ];
}
