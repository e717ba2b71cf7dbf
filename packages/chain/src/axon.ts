import { isIPv4, isIPv6 } from 'node:net';
import { ChainError, invalidInput } from './errors.js';

/** An axon as stored on chain (`AxonInfo`), with the address decoded. */
export interface AxonInfo {
  /** Block of the last `serve_axon`. */
  block: number;
  /** Client version, `major·10^6 + minor·10^3 + patch` in the Python SDK. */
  version: number;
  /** Dotted IPv4, RFC 5952 IPv6, or `0.0.0.0` when never served. */
  ip: string;
  /** The raw `u128` the chain stores. */
  ipInt: bigint;
  port: number;
  /** 4 or 6 as stored; 0 for an axon that was never served. */
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
  /** `true` when the ip is not 0 (the Python SDK's `is_serving`). */
  isServing: boolean;
}

const U32_MAX = 0xffff_ffffn;
const U128_MAX = (1n << 128n) - 1n;

/** Parses a dotted IPv4 or an IPv6 address into the chain's `(ip: u128, ip_type)` form. */
export function ipToInt(ip: string): { ip: bigint; ipType: 4 | 6 } {
  const text = ip.trim();
  if (isIPv4(text)) {
    const parts = text.split('.').map(Number);
    return { ip: parts.reduce((acc, part) => (acc << 8n) | BigInt(part), 0n), ipType: 4 };
  }
  if (isIPv6(text)) return { ip: ipv6ToBigInt(text), ipType: 6 };
  throw invalidInput('ip', `${JSON.stringify(ip)} is not an IPv4 or IPv6 address`);
}

function ipv6ToBigInt(text: string): bigint {
  let address = text.split('%')[0] as string;
  // A trailing embedded IPv4 (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4) {
    const n = ipToInt(v4[1] as string).ip;
    address = `${address.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = address.split('::') as [string, string | undefined];
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array<string>(fill).fill('0'), ...tailParts];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

/** Renders the chain's `(ip, ip_type)`; the type decides v4 or v6, not the size of the number. */
export function intToIp(ip: bigint, ipType: number): string {
  if (ipType === 6) return bigIntToIpv6(ip);
  if (ipType === 4 || ip <= U32_MAX) {
    if (ip > U32_MAX) throw new ChainError('DECODE_ERROR', `IPv4 axon ip ${ip} exceeds 32 bits`);
    return [24n, 16n, 8n, 0n].map((shift) => Number((ip >> shift) & 0xffn)).join('.');
  }
  return bigIntToIpv6(ip);
}

function bigIntToIpv6(ip: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((ip >> shift) & 0xffffn));
  // RFC 5952: compress the longest run (≥ 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

/** `major.minor.patch` → `major·10^6 + minor·10^3 + patch`, as the Python SDK sends it. */
export function versionAsInt(version: string): number {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) throw invalidInput('version', `${JSON.stringify(version)} is not major.minor.patch`);
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  if (minor > 999 || patch > 999) throw invalidInput('version', 'minor and patch must be ≤ 999');
  return major * 1_000_000 + minor * 1_000 + patch;
}

export interface ServeAxonParams {
  netuid: number;
  /** Dotted IPv4, IPv6, or a raw u128 with `ipType`. `0.0.0.0` means "not serving". */
  ip: string | bigint;
  port: number;
  /** Required when `ip` is a bigint; inferred from the string form otherwise. */
  ipType?: number;
  /** u32 client version; default 0. */
  version?: number;
  /** Default 4, as the Python SDK. */
  protocol?: number;
  placeholder1?: number;
  placeholder2?: number;
}

export interface AxonCallArgs {
  netuid: number;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}

function checkInt(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw invalidInput(field, `must be an integer in [0, ${max}], got ${value}`);
  }
}

/**
 * Builds `serve_axon` arguments and refuses, before anything is sent, exactly what
 * subtensor's `validate_serve_axon` refuses on its own: an ip type other than 4 or 6
 * (`InvalidIpType`), an IPv4 ≥ 2^32−1 or 127.0.0.1 and an IPv6 equal to ::1 or 2^128−1
 * (`InvalidIpAddress`; 0 is allowed), and port 0 (`InvalidPort`). Private ranges and other
 * loopback addresses are accepted, as the chain accepts them.
 */
export function buildServeAxonArgs(params: ServeAxonParams): AxonCallArgs {
  checkInt('netuid', params.netuid, 0xffff);
  checkInt('port', params.port, 0xffff);
  const version = params.version ?? 0;
  checkInt('version', version, 0xffff_ffff);
  const protocol = params.protocol ?? 4;
  checkInt('protocol', protocol, 0xff);
  const placeholder1 = params.placeholder1 ?? 0;
  const placeholder2 = params.placeholder2 ?? 0;
  checkInt('placeholder1', placeholder1, 0xff);
  checkInt('placeholder2', placeholder2, 0xff);

  let ip: bigint;
  let ipType: number;
  if (typeof params.ip === 'bigint') {
    if (params.ipType === undefined) throw invalidInput('ipType', 'required when ip is a bigint');
    if (params.ip < 0n || params.ip > U128_MAX) throw invalidInput('ip', 'must fit in a u128');
    ip = params.ip;
    ipType = params.ipType;
    checkInt('ipType', ipType, 0xff);
  } else {
    const parsed = ipToInt(params.ip);
    ip = parsed.ip;
    ipType = params.ipType ?? parsed.ipType;
    checkInt('ipType', ipType, 0xff);
  }

  const refuse = (name: string, message: string) =>
    new ChainError('AXON_REFUSED', `serve_axon would fail with ${name}: ${message}`, {
      details: { name },
    });
  if (ipType !== 4 && ipType !== 6) {
    throw refuse('InvalidIpType', `ip type must be 4 or 6, got ${ipType}`);
  }
  if (ipType === 4 && ip >= U32_MAX) {
    throw refuse('InvalidIpAddress', `IPv4 value ${ip} is ≥ 2^32−1`);
  }
  if (ipType === 4 && ip === 0x7f00_0001n) {
    throw refuse('InvalidIpAddress', '127.0.0.1 is refused by the chain; use a reachable address');
  }
  if (ipType === 6 && ip === U128_MAX) {
    throw refuse('InvalidIpAddress', 'IPv6 value 2^128−1 is refused by the chain');
  }
  if (ipType === 6 && ip === 1n) {
    throw refuse('InvalidIpAddress', '::1 is refused by the chain; use a reachable address');
  }
  if (params.port === 0) throw refuse('InvalidPort', 'port 0 is refused by the chain');
  return {
    netuid: params.netuid,
    version,
    ip,
    port: params.port,
    ipType,
    protocol,
    placeholder1,
    placeholder2,
  };
}

/** Decodes the chain's raw AxonInfo fields into an `AxonInfo`. */
export function toAxonInfo(raw: {
  block: bigint | number;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}): AxonInfo {
  return {
    block: Number(raw.block),
    version: raw.version,
    ip: raw.ip === 0n ? '0.0.0.0' : intToIp(raw.ip, raw.ipType),
    ipInt: raw.ip,
    port: raw.port,
    ipType: raw.ipType,
    protocol: raw.protocol,
    placeholder1: raw.placeholder1,
    placeholder2: raw.placeholder2,
    isServing: raw.ip !== 0n,
  };
}
