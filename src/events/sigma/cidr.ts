// IPv4 and IPv6 addresses as bytes, for the `cidr` modifier. CloudTrail's sourceIPAddress is an address
// or a service name ("AWS Internal", "s3.amazonaws.com"): anything that does not parse simply never matches.
import { isIPv4, isIPv6 } from 'node:net';

function parseV4(text: string): Uint8Array | null {
  if (!isIPv4(text)) return null;
  return Uint8Array.from(text.split('.').map(Number));
}

function parseV6(text: string): Uint8Array | null {
  const zone = text.indexOf('%');
  const address = zone >= 0 ? text.slice(0, zone) : text;
  if (!isIPv6(address)) return null;
  let head = address;
  let v4Tail: Uint8Array | null = null;
  const lastColon = address.lastIndexOf(':');
  if (address.slice(lastColon + 1).includes('.')) {
    v4Tail = parseV4(address.slice(lastColon + 1));
    if (v4Tail === null) return null;
    head = address.slice(0, lastColon + 1) + '0:0';
  }
  const [left = '', right] = head.split('::');
  const l = left === '' ? [] : left.split(':');
  const r = right === undefined || right === '' ? [] : right.split(':');
  const groups = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  if (v4Tail !== null) bytes.set(v4Tail, 12);
  return bytes;
}

/** An address as 4 or 16 bytes; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 bytes. */
export function parseIp(text: string): Uint8Array | null {
  const v4 = parseV4(text);
  if (v4 !== null) return v4;
  const v6 = parseV6(text);
  if (v6 === null) return null;
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? v6.slice(12) : v6;
}

export interface Network {
  bytes: Uint8Array;
  prefix: number;
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128); null when it is not one. */
export function parseCidr(text: string): Network | null {
  const slash = text.indexOf('/');
  const bytes = parseIp(slash >= 0 ? text.slice(0, slash) : text);
  if (bytes === null) return null;
  const max = bytes.length * 8;
  const prefixText = slash >= 0 ? text.slice(slash + 1) : String(max);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > max) return null;
  return { bytes, prefix };
}

export function inNetwork(address: Uint8Array, network: Network): boolean {
  if (address.length !== network.bytes.length) return false;
  let bits = network.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((address[i] as number) & mask) !== ((network.bytes[i] as number) & mask)) return false;
  }
  return true;
}
