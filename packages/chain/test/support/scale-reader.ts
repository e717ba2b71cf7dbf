/**
 * A deliberately small, independent SCALE reader for tests: it shares no code with
 * @polkadot/types, so a decoding bug in either cannot agree with itself.
 */
export class ScaleReader {
  offset = 0;
  readonly bytes: Uint8Array;

  constructor(input: string | Uint8Array) {
    this.bytes =
      typeof input === 'string'
        ? Uint8Array.from(Buffer.from(input.replace(/^0x/, ''), 'hex'))
        : input;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  u8(): number {
    if (this.offset >= this.bytes.length) throw new Error('read past end');
    return this.bytes[this.offset++] as number;
  }

  uint(bytes: number): bigint {
    let value = 0n;
    for (let i = 0; i < bytes; i++) value |= BigInt(this.u8()) << BigInt(8 * i);
    return value;
  }

  u16 = () => Number(this.uint(2));
  u32 = () => Number(this.uint(4));
  u64 = () => this.uint(8);
  u128 = () => this.uint(16);
  bool = () => this.u8() === 1;

  compact(): bigint {
    const first = this.u8();
    const mode = first & 3;
    if (mode === 0) return BigInt(first >> 2);
    if (mode === 1) return BigInt((first | (this.u8() << 8)) >> 2);
    if (mode === 2) return (BigInt(first) | (this.uint(3) << 8n)) >> 2n;
    return this.uint((first >> 2) + 4);
  }

  compactNum = () => Number(this.compact());

  raw(length: number): Uint8Array {
    const out = this.bytes.slice(this.offset, this.offset + length);
    if (out.length !== length) throw new Error('read past end');
    this.offset += length;
    return out;
  }

  account = () => this.raw(32);

  vec<T>(item: () => T): T[] {
    const n = this.compactNum();
    return Array.from({ length: n }, item);
  }

  bytesVec = () => this.raw(this.compactNum());

  option<T>(item: () => T): T | undefined {
    return this.u8() === 1 ? item() : undefined;
  }
}

export interface RawAxon {
  block: bigint;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}

export function readAxon(r: ScaleReader): RawAxon {
  return {
    block: r.u64(),
    version: r.u32(),
    ip: r.u128(),
    port: r.u16(),
    ipType: r.u8(),
    protocol: r.u8(),
    placeholder1: r.u8(),
    placeholder2: r.u8(),
  };
}

/** NeuronInfoLite in subtensor's field order (pallets/subtensor/src/rpc_info/neuron_info.rs). */
export function readNeuronLite(r: ScaleReader) {
  const hotkey = r.account();
  const coldkey = r.account();
  const uid = r.compactNum();
  const netuid = r.compactNum();
  const active = r.bool();
  const axon = readAxon(r);
  // PrometheusInfo: block u64, version u32, ip u128, port u16, ip_type u8
  r.u64();
  r.u32();
  r.u128();
  r.u16();
  r.u8();
  const stake = r.vec(() => ({ coldkey: r.account(), amount: r.compact() }));
  return {
    hotkey,
    coldkey,
    uid,
    netuid,
    active,
    axon,
    stake,
    rank: r.compactNum(),
    emission: r.compact(),
    incentive: r.compactNum(),
    consensus: r.compactNum(),
    trust: r.compactNum(),
    validatorTrust: r.compactNum(),
    dividends: r.compactNum(),
    lastUpdate: r.compactNum(),
    validatorPermit: r.bool(),
    pruningScore: r.compactNum(),
  };
}
