import { isIP } from 'node:net';

/** A client as the portal's limits count it. */
export interface ClientAddress {
  /** the address itself (an IPv4-mapped IPv6 address as IPv4), as the captcha provider is told */
  readonly address: string;
  /** what the limits count: an IPv4 address, or the IPv6 network of the address (`2001:db8:0:0:0:0:0:0/64`) */
  readonly key: string;
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The client's address for the limits, or null when koa's `ctx.ip` is no IP address (it may come
 * from `X-Forwarded-For` behind a trusted proxy). IPv4-mapped addresses count as IPv4; an IPv6
 * address counts by its first `ipv6Prefix` bits, since one host or household has a whole /64 and
 * could otherwise use a fresh address per request.
 */
export function clientAddress(ip: string, ipv6Prefix: number): ClientAddress | null {
  const bare = ip.trim().replace(/%.*$/, '');
  const mapped = MAPPED_IPV4.exec(bare);
  const address = mapped ? (mapped[1] as string) : bare.toLowerCase();
  const version = isIP(address);
  if (version === 4) return { address, key: address };
  if (version !== 6) return null;
  return { address, key: `${networkOf(ipv6Groups(address), ipv6Prefix).map((group) => group.toString(16)).join(':')}/${ipv6Prefix}` };
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing IPv4 part as two groups). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const ipv4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (ipv4) {
    const [a, b, c, d] = ipv4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, ipv4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - front.length - back.length).fill('0');
  return [...front, ...zeros, ...back].map((group) => parseInt(group, 16));
}

/** The groups with every bit past `prefix` cleared. */
function networkOf(groups: readonly number[], prefix: number): number[] {
  return groups.map((group, index) => {
    const kept = Math.min(16, Math.max(0, prefix - index * 16));
    return kept === 0 ? 0 : group & ((0xffff << (16 - kept)) & 0xffff);
  });
}
