import type { ParamSpec, TypeId, TypeTable, VariantSpec } from './type-table.js';

export type Hasher =
  | 'Blake2_128'
  | 'Blake2_256'
  | 'Blake2_128Concat'
  | 'Twox128'
  | 'Twox256'
  | 'Twox64Concat'
  | 'Identity';

export interface StorageSpec {
  name: string;
  modifier: 'Optional' | 'Default';
  /** Empty for a plain value. */
  hashers: Hasher[];
  /** One type per hasher. */
  keys: TypeId[];
  value: TypeId;
  /** SCALE bytes of the default (`0x00` for Optional). */
  fallback: Uint8Array;
  docs?: string[];
}

export interface ConstantSpec {
  name: string;
  type: TypeId;
  value: Uint8Array;
}

export interface PalletSpec {
  name: string;
  index: number;
  calls?: TypeId;
  events?: TypeId;
  errors?: TypeId;
  storage?: StorageSpec[];
  constants?: ConstantSpec[];
}

type Fields = [string | null, TypeId][];

/** `[[name, type], ...]` → variant, for calls and events. */
export const v = (name: string, index: number, fields: Fields = []): VariantSpec => ({
  name,
  index,
  fields: fields.map(([n, type]) => (n === null ? { type } : { name: n, type })),
});

/** The pallet-level Call/Event/Error enum, with FRAME's `T` (and `I`) generic parameters. */
export const palletEnum = (
  t: TypeTable,
  path: string,
  variants: VariantSpec[],
  instance = false,
): TypeId => {
  const params: ParamSpec[] = instance ? [{ name: 'T' }, { name: 'I' }] : [{ name: 'T' }];
  return t.enum(path, variants, params);
};

/** An error enum from names in index order. */
export const errorEnum = (t: TypeTable, path: string, names: readonly string[], instance = false) =>
  palletEnum(
    t,
    path,
    names.map((name, index) => ({ name, index })),
    instance,
  );

export const plain = (
  name: string,
  value: TypeId,
  fallback: Uint8Array,
  optional = false,
): StorageSpec => ({
  name,
  modifier: optional ? 'Optional' : 'Default',
  hashers: [],
  keys: [],
  value,
  fallback: optional ? Uint8Array.of(0) : fallback,
});

export const map = (
  name: string,
  keys: [Hasher, TypeId][],
  value: TypeId,
  fallback: Uint8Array | null,
): StorageSpec => ({
  name,
  modifier: fallback === null ? 'Optional' : 'Default',
  hashers: keys.map(([h]) => h),
  keys: keys.map(([, k]) => k),
  value,
  fallback: fallback ?? Uint8Array.of(0),
});
