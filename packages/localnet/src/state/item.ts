import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import { LocalnetError } from '../errors.js';
import type { LocalnetMetadata } from '../metadata/build.js';
import type { Hasher, StorageSpec } from '../metadata/pallet-spec.js';
import * as s from '../scale/scale.js';
import { type Codec, decodeAll } from './codecs.js';
import type { StateStore } from './store.js';

export type KeyValue = number | bigint | Uint8Array;

const hashKey = (h: Hasher, data: Uint8Array): Uint8Array => {
  switch (h) {
    case 'Identity':
      return data;
    case 'Blake2_128Concat':
      return s.concat(blake2AsU8a(data, 128), data);
    case 'Twox64Concat':
      return s.concat(xxhashAsU8a(data, 64), data);
    case 'Blake2_128':
      return blake2AsU8a(data, 128);
    case 'Blake2_256':
      return blake2AsU8a(data, 256);
    case 'Twox128':
      return xxhashAsU8a(data, 128);
    case 'Twox256':
      return xxhashAsU8a(data, 256);
  }
};

/** One storage item: derives keys from typed map keys and reads/writes typed values. */
export class StorageItem<K extends KeyValue[], V> {
  readonly prefix: Uint8Array;
  readonly prefixHex: string;
  readonly #fallback: V | undefined;
  readonly #keyEnc: ((k: KeyValue) => Uint8Array)[];
  readonly #cache = new Map<string, string>();

  constructor(
    readonly pallet: string,
    readonly spec: StorageSpec,
    keyEnc: ((k: KeyValue) => Uint8Array)[],
    readonly codec: Codec<V>,
  ) {
    this.prefix = s.concat(xxhashAsU8a(pallet, 128), xxhashAsU8a(spec.name, 128));
    this.prefixHex = u8aToHex(this.prefix);
    this.#keyEnc = keyEnc;
    this.#fallback =
      spec.modifier === 'Default'
        ? decodeAll(codec, spec.fallback, `${pallet}.${spec.name} default`)
        : undefined;
  }

  key(...keys: K): string {
    if (keys.length === 0) return this.prefixHex;
    const cacheKey = keys.map((k) => (k instanceof Uint8Array ? u8aToHex(k) : String(k))).join('/');
    const cached = this.#cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const parts: Uint8Array[] = [this.prefix];
    keys.forEach((k, i) => {
      const enc = this.#keyEnc[i];
      const hasher = this.spec.hashers[i];
      if (!enc || !hasher) throw new LocalnetError('INTERNAL', `${this.spec.name}: too many keys`);
      parts.push(hashKey(hasher, enc(k)));
    });
    const out = u8aToHex(s.concat(...parts));
    if (this.#cache.size < 100_000) this.#cache.set(cacheKey, out);
    return out;
  }

  /** The stored value, or the item's default (`undefined` for an absent Optional item). */
  get(st: StateStore, ...keys: K): V {
    const raw = st.get(this.key(...keys));
    if (raw === undefined) return this.#fallback as V;
    return decodeAll(this.codec, raw, `${this.pallet}.${this.spec.name}`);
  }

  getOpt(st: StateStore, ...keys: K): V | undefined {
    const raw = st.get(this.key(...keys));
    return raw === undefined
      ? undefined
      : decodeAll(this.codec, raw, `${this.pallet}.${this.spec.name}`);
  }

  has(st: StateStore, ...keys: K): boolean {
    return st.has(this.key(...keys));
  }

  set(st: StateStore, keys: K, value: V): void {
    st.set(this.key(...keys), this.codec.enc(value));
  }

  remove(st: StateStore, ...keys: K): void {
    st.delete(this.key(...keys));
  }

  mutate(st: StateStore, keys: K, f: (v: V) => V): V {
    const next = f(this.get(st, ...keys));
    this.set(st, keys, next);
    return next;
  }
}

/** Finds an item's spec in the metadata and checks the key count matches. */
export function makeItem<K extends KeyValue[], V>(
  meta: LocalnetMetadata,
  pallet: string,
  name: string,
  codec: Codec<V>,
): StorageItem<K, V> {
  const p = meta.pallets.find((x) => x.name === pallet);
  const spec = p?.storage?.find((x) => x.name === name);
  if (!spec)
    throw new LocalnetError('INTERNAL', `no storage item ${pallet}.${name} in the metadata`);
  const c = meta.common;
  const keyEnc = spec.keys.map((k): ((v: KeyValue) => Uint8Array) => {
    if (k === c.u16) return (v) => s.u16(Number(v));
    if (k === c.u32) return (v) => s.u32(Number(v));
    if (k === c.u64) return (v) => s.u64(v as bigint | number);
    if (k === c.accountId) return (v) => v as Uint8Array;
    throw new LocalnetError('INTERNAL', `${pallet}.${name}: unsupported key type ${k}`);
  });
  return new StorageItem<K, V>(pallet, spec, keyEnc, codec);
}
