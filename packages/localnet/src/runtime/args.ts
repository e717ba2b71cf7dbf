import type { Codec } from '@polkadot/types/types';

interface Num extends Codec {
  toNumber(): number;
  toBigInt(): bigint;
}

/** Readers for decoded call arguments. */
export const num = (a: Codec | undefined): number => (a as Num).toNumber();
export const big = (a: Codec | undefined): bigint => (a as Num).toBigInt();
export const bool = (a: Codec | undefined): boolean => (a as unknown as { isTrue: boolean }).isTrue;
export const account = (a: Codec | undefined): Uint8Array => (a as Codec).toU8a();
export const h256 = account;
export const u16s = (a: Codec | undefined): number[] =>
  [...(a as unknown as Num[])].map((x) => x.toNumber());
export const bytes = (a: Codec | undefined): Uint8Array =>
  (a as unknown as { toU8a(b: boolean): Uint8Array }).toU8a(true);

/** `MultiAddress` → the 32-byte account, or undefined for the kinds localnet cannot look up. */
export function lookup(a: Codec | undefined): Uint8Array | undefined {
  const m = a as unknown as { type: string; value: Codec };
  if (m.type === 'Id' || m.type === 'Address32') return m.value.toU8a();
  return undefined;
}
