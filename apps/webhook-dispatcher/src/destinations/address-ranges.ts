import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Address classes a webhook must never reach: each is a way into the platform's own network. */
export enum BlockedAddressClass {
  Unspecified = 'unspecified',
  Loopback = 'loopback',
  Private = 'private',
  SharedAddressSpace = 'shared_address_space',
  LinkLocal = 'link_local',
  UniqueLocal = 'unique_local',
  Multicast = 'multicast',
  Reserved = 'reserved',
}

const RANGES: Record<BlockedAddressClass, Array<[string, number, 'ipv4' | 'ipv6']>> = {
  [BlockedAddressClass.Unspecified]: [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']],
  [BlockedAddressClass.Loopback]: [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']],
  [BlockedAddressClass.Private]: [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4']],
  // Carrier-grade NAT (RFC 6598): some clouds put internal services here.
  [BlockedAddressClass.SharedAddressSpace]: [['100.64.0.0', 10, 'ipv4']],
  // 169.254.169.254 is the cloud metadata service.
  [BlockedAddressClass.LinkLocal]: [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']],
  [BlockedAddressClass.UniqueLocal]: [['fc00::', 7, 'ipv6']],
  [BlockedAddressClass.Multicast]: [['224.0.0.0', 4, 'ipv4'], ['ff00::', 8, 'ipv6']],
  [BlockedAddressClass.Reserved]: [
    ['192.0.0.0', 24, 'ipv4'], ['198.18.0.0', 15, 'ipv4'], ['240.0.0.0', 4, 'ipv4'], // IETF protocol, benchmarking, reserved + broadcast
    ['::', 96, 'ipv6'], ['100::', 64, 'ipv6'], ['2001:db8::', 32, 'ipv6'], // IPv4-compatible (deprecated), discard, documentation
  ],
};

const LISTS = Object.entries(RANGES).map(([name, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix, type] of ranges) list.addSubnet(network, prefix, type);
  return [name as BlockedAddressClass, list] as const;
});

/** The class of a blocked address, or undefined for an address on the public internet (or not an IP at all). */
export function blockedClassOf(address: string): BlockedAddressClass | undefined {
  const ip = stripZone(address);
  if (isIPv6(ip)) {
    // An IPv6 address that carries an IPv4 one reaches (or is translated to) that IPv4 address.
    const embedded = embeddedIPv4(ip);
    if (embedded) return blockedClassOf(embedded);
  }
  const type = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
  if (!type) return undefined;
  return LISTS.find(([, list]) => list.check(ip, type))?.[0];
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
export function embeddedIPv4(ipv6: string): string | undefined {
  const bytes = ipv6Bytes(ipv6);
  if (!bytes) return undefined;
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join('.');
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12);
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return v4(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  return undefined;
}

/** The 16 bytes of an IPv6 address in any textual form (`::`, a trailing dotted quad). */
export function ipv6Bytes(address: string): number[] | undefined {
  const ip = stripZone(address);
  if (!isIPv6(ip)) return undefined;
  let text = ip;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad[1].split('.').map(Number);
    text = `${text.slice(0, -quad[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = [...headGroups, ...fill, ...tailGroups].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function stripZone(address: string): string {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const zone = bare.indexOf('%');
  return zone === -1 ? bare : bare.slice(0, zone);
}
