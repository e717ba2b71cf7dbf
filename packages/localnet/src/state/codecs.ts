import * as s from '../scale/scale.js';
import { Reader } from '../scale/scale.js';

/** A hand-written SCALE codec for a storage value the chain logic reads and writes. */
export interface Codec<T> {
  enc(value: T): Uint8Array;
  dec(r: Reader): T;
}

export const decodeAll = <T>(codec: Codec<T>, bytes: Uint8Array, what: string): T => {
  const r = new Reader(bytes);
  const v = codec.dec(r);
  r.end(what);
  return v;
};

export const U16: Codec<number> = { enc: s.u16, dec: (r) => r.u16() };
export const U32: Codec<number> = { enc: s.u32, dec: (r) => r.u32() };
export const U64: Codec<bigint> = { enc: s.u64, dec: (r) => r.u64() };
export const U128: Codec<bigint> = { enc: s.u128, dec: (r) => r.u128() };
export const BOOL: Codec<boolean> = { enc: s.bool, dec: (r) => r.bool() };
export const ACCOUNT: Codec<Uint8Array> = {
  enc: (v) => v,
  dec: (r) => r.take(32, 'AccountId32').slice(),
};
export const H256 = ACCOUNT;

export const vecOf = <T>(c: Codec<T>): Codec<T[]> => ({
  enc: (v) => s.vec(v, c.enc),
  dec: (r) => r.vec((x) => c.dec(x)),
});
/** Fixed-width vectors written into one buffer (weights rows hold up to 4096 pairs). */
function fixedVec<T>(
  width: number,
  put: (dv: DataView, o: number, v: T) => void,
  read: (r: Reader) => T,
): Codec<T[]> {
  return {
    enc: (v) => {
      const head = s.compact(v.length);
      const out = new Uint8Array(head.length + width * v.length);
      out.set(head);
      const dv = new DataView(out.buffer);
      let o = head.length;
      for (const x of v) {
        put(dv, o, x);
        o += width;
      }
      return out;
    },
    dec: (r) => r.vec(read),
  };
}
export const VEC_U16 = fixedVec<number>(
  2,
  (dv, o, v) => dv.setUint16(o, v, true),
  (r) => r.u16(),
);
export const VEC_U64 = fixedVec<bigint>(
  8,
  (dv, o, v) => dv.setBigUint64(o, BigInt.asUintN(64, v), true),
  (r) => r.u64(),
);
export const VEC_BOOL = vecOf(BOOL);
export const VEC_ACCOUNT = vecOf(ACCOUNT);
export const PAIR_U16: Codec<[number, number]> = {
  enc: ([a, b]) => s.concat(s.u16(a), s.u16(b)),
  dec: (r) => [r.u16(), r.u16()],
};
export const WEIGHTS = fixedVec<[number, number]>(
  4,
  (dv, o, [a, b]) => {
    dv.setUint16(o, a, true);
    dv.setUint16(o + 2, b, true);
  },
  (r) => [r.u16(), r.u16()],
);

export interface AxonInfo {
  block: bigint;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}
export const EMPTY_AXON: AxonInfo = {
  block: 0n,
  version: 0,
  ip: 0n,
  port: 0,
  ipType: 0,
  protocol: 0,
  placeholder1: 0,
  placeholder2: 0,
};
export const AXON: Codec<AxonInfo> = {
  enc: (a) =>
    s.concat(
      s.u64(a.block),
      s.u32(a.version),
      s.u128(a.ip),
      s.u16(a.port),
      s.u8(a.ipType),
      s.u8(a.protocol),
      s.u8(a.placeholder1),
      s.u8(a.placeholder2),
    ),
  dec: (r) => ({
    block: r.u64(),
    version: r.u32(),
    ip: r.u128(),
    port: r.u16(),
    ipType: r.u8(),
    protocol: r.u8(),
    placeholder1: r.u8(),
    placeholder2: r.u8(),
  }),
};

export interface PrometheusInfo {
  block: bigint;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
}
export const EMPTY_PROMETHEUS: PrometheusInfo = {
  block: 0n,
  version: 0,
  ip: 0n,
  port: 0,
  ipType: 0,
};
export const PROMETHEUS: Codec<PrometheusInfo> = {
  enc: (a) =>
    s.concat(s.u64(a.block), s.u32(a.version), s.u128(a.ip), s.u16(a.port), s.u8(a.ipType)),
  dec: (r) => ({ block: r.u64(), version: r.u32(), ip: r.u128(), port: r.u16(), ipType: r.u8() }),
};

export interface AccountInfo {
  nonce: number;
  consumers: number;
  providers: number;
  sufficients: number;
  free: bigint;
  reserved: bigint;
  frozen: bigint;
  flags: bigint;
}
export const ACCOUNT_INFO: Codec<AccountInfo> = {
  enc: (a) =>
    s.concat(
      s.u32(a.nonce),
      s.u32(a.consumers),
      s.u32(a.providers),
      s.u32(a.sufficients),
      s.u64(a.free),
      s.u64(a.reserved),
      s.u64(a.frozen),
      s.u128(a.flags),
    ),
  dec: (r) => ({
    nonce: r.u32(),
    consumers: r.u32(),
    providers: r.u32(),
    sufficients: r.u32(),
    free: r.u64(),
    reserved: r.u64(),
    frozen: r.u64(),
    flags: r.u128(),
  }),
};

export interface WeightCommit {
  hash: Uint8Array;
  commitBlock: bigint;
  firstRevealBlock: bigint;
  lastRevealBlock: bigint;
}
export const COMMITS = vecOf<WeightCommit>({
  enc: (c) =>
    s.concat(c.hash, s.u64(c.commitBlock), s.u64(c.firstRevealBlock), s.u64(c.lastRevealBlock)),
  dec: (r) => ({
    hash: r.take(32, 'H256').slice(),
    commitBlock: r.u64(),
    firstRevealBlock: r.u64(),
    lastRevealBlock: r.u64(),
  }),
});

export const TUPLE_U16_U16 = PAIR_U16;

/** Raw bytes kept as they are (values built with the metadata registry, e.g. System.Events). */
export const RAW: Codec<Uint8Array> = {
  enc: (v) => v,
  dec: (r) => r.take(r.remaining, 'raw').slice(),
};

export const U8: Codec<number> = { enc: s.u8, dec: (r) => r.u8() };

/** `pallet_drand::types::Pulse` (randomness and signature as bounded byte vectors). */
export interface StoredPulse {
  round: bigint;
  randomness: Uint8Array;
  signature: Uint8Array;
}
export const PULSE: Codec<StoredPulse> = {
  enc: (p) => s.concat(s.u64(p.round), s.bytes(p.randomness), s.bytes(p.signature)),
  dec: (r) => ({ round: r.u64(), randomness: r.bytes().slice(), signature: r.bytes().slice() }),
};

/** `pallet_drand::types::BeaconConfiguration` (its `metadata` is `{ beacon_id }`). */
export interface BeaconConfig {
  publicKey: Uint8Array;
  period: number;
  genesisTime: number;
  hash: Uint8Array;
  groupHash: Uint8Array;
  schemeId: Uint8Array;
  beaconId: Uint8Array;
}
export const BEACON_CONFIG: Codec<BeaconConfig> = {
  enc: (c) =>
    s.concat(
      s.bytes(c.publicKey),
      s.u32(c.period),
      s.u32(c.genesisTime),
      s.bytes(c.hash),
      s.bytes(c.groupHash),
      s.bytes(c.schemeId),
      s.bytes(c.beaconId),
    ),
  dec: (r) => ({
    publicKey: r.bytes().slice(),
    period: r.u32(),
    genesisTime: r.u32(),
    hash: r.bytes().slice(),
    groupHash: r.bytes().slice(),
    schemeId: r.bytes().slice(),
    beaconId: r.bytes().slice(),
  }),
};

/** One entry of `TimelockedWeightCommits`: `(who, commit_block, commit, reveal_round)`. */
export interface TimelockedCommit {
  who: Uint8Array;
  commitBlock: bigint;
  commit: Uint8Array;
  revealRound: bigint;
}
export const TIMELOCKED_COMMITS = vecOf<TimelockedCommit>({
  enc: (c) => s.concat(c.who, s.u64(c.commitBlock), s.bytes(c.commit), s.u64(c.revealRound)),
  dec: (r) => ({
    who: r.take(32, 'AccountId32').slice(),
    commitBlock: r.u64(),
    commit: r.bytes().slice(),
    revealRound: r.u64(),
  }),
});
