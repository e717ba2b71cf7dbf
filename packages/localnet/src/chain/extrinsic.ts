import type { TypeRegistry } from '@polkadot/types';
import type { Call } from '@polkadot/types/interfaces';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { ed25519Verify, waitReady } from '@polkadot/wasm-crypto';
import { sr25519Verify } from '@subnetkit/wallet';
import * as s from '../scale/scale.js';
import { Reader } from '../scale/scale.js';
import type { FastCall } from './fast-call.js';

if (!(await waitReady())) throw new Error('@polkadot/wasm-crypto failed to initialise');

export type Era = { kind: 'immortal' } | { kind: 'mortal'; period: number; phase: number };

export interface DecodedExtrinsic {
  /** Full bytes, compact length prefix included (what the block body holds). */
  bytes: Uint8Array;
  hash: Uint8Array;
  signed: boolean;
  signer?: Uint8Array;
  signatureType?: number;
  signature?: Uint8Array;
  eraBytes?: Uint8Array;
  era?: Era;
  nonce?: number;
  tip?: bigint;
  metadataHashMode?: number;
  callBytes: Uint8Array;
  /** polkadot-js `Call`, or the hand-decoded form of a hot subtensor call. */
  call: Call | FastCall;
}

/** Why an extrinsic could not even be read (JSON-RPC 1001 "Extrinsic has invalid format"). */
export class BadFormat extends Error {}

export function decodeEra(r: Reader): { era: Era; bytes: Uint8Array } {
  const start = r.offset;
  const first = r.u8();
  if (first === 0) return { era: { kind: 'immortal' }, bytes: r.data.subarray(start, r.offset) };
  const encoded = first + (r.u8() << 8);
  const period = 2 << (encoded % 16);
  const quantize = Math.max(period >> 12, 1);
  const phase = (encoded >> 4) * quantize;
  if (period < 4 || phase >= period) throw new BadFormat('invalid mortal era');
  return { era: { kind: 'mortal', period, phase }, bytes: r.data.subarray(start, r.offset) };
}

/** The block number an era was signed against, seen from block `current`. */
export function eraBirth(era: Era, current: number): number {
  if (era.kind === 'immortal') return 0;
  return (
    Math.floor((Math.max(current, era.phase) - era.phase) / era.period) * era.period + era.phase
  );
}

export function decodeExtrinsic(
  registry: TypeRegistry,
  bytes: Uint8Array,
  fast?: (callBytes: Uint8Array) => FastCall | undefined,
): DecodedExtrinsic {
  try {
    const r = new Reader(bytes);
    const len = r.compactNumber('extrinsic length');
    if (len !== r.remaining)
      throw new BadFormat(`length prefix ${len} but ${r.remaining} bytes follow`);
    const version = r.u8();
    if ((version & 0x7f) !== 4)
      throw new BadFormat(`unsupported extrinsic version ${version & 0x7f}`);
    const signed = (version & 0x80) !== 0;
    const out: Partial<DecodedExtrinsic> = { bytes, hash: blake2AsU8a(bytes, 256), signed };
    if (signed) {
      const addressKind = r.u8();
      if (addressKind !== 0 && addressKind !== 3) {
        throw new BadFormat(`unsupported address kind ${addressKind}`);
      }
      out.signer = r.take(32, 'address').slice();
      const sigType = r.u8();
      if (sigType > 2) throw new BadFormat(`invalid signature kind ${sigType}`);
      out.signatureType = sigType;
      out.signature = r.take(sigType === 2 ? 65 : 64, 'signature').slice();
      const eraStart = r.offset;
      const { era } = decodeEra(r);
      out.era = era;
      out.eraBytes = bytes.slice(eraStart, r.offset);
      out.nonce = r.compactNumber('nonce');
      out.tip = r.compact();
      const mode = r.u8();
      if (mode > 1) throw new BadFormat(`invalid metadata hash mode ${mode}`);
      out.metadataHashMode = mode;
    }
    const callBytes = bytes.slice(r.offset);
    const call = fast?.(callBytes) ?? (registry.createType('Call', callBytes) as Call);
    if (call.encodedLength !== callBytes.length) {
      throw new BadFormat(`call has ${callBytes.length - call.encodedLength} trailing bytes`);
    }
    out.callBytes = callBytes;
    out.call = call;
    return out as DecodedExtrinsic;
  } catch (e) {
    if (e instanceof BadFormat) throw e;
    throw new BadFormat((e as Error).message);
  }
}

/** The bytes a signer signed: call ‖ explicit extensions ‖ implicit extensions (hashed if > 256). */
export function signingPayload(
  ext: DecodedExtrinsic,
  implicit: {
    specVersion: number;
    transactionVersion: number;
    genesisHash: Uint8Array;
    birthHash: Uint8Array;
  },
): Uint8Array {
  const payload = s.concat(
    ext.callBytes,
    ext.eraBytes as Uint8Array,
    s.compact(ext.nonce as number),
    s.compact(ext.tip as bigint),
    s.u8(ext.metadataHashMode as number),
    s.u32(implicit.specVersion),
    s.u32(implicit.transactionVersion),
    implicit.genesisHash,
    implicit.birthHash,
    s.u8(0), // CheckMetadataHash implicit: None (mode 1 is refused before this point)
  );
  return payload.length > 256 ? blake2AsU8a(payload, 256) : payload;
}

export function verifySignature(ext: DecodedExtrinsic, payload: Uint8Array): boolean {
  const sig = ext.signature as Uint8Array;
  const pub = ext.signer as Uint8Array;
  if (ext.signatureType === 1) return sr25519Verify(sig, payload, pub);
  if (ext.signatureType === 0) return ed25519Verify(sig, payload, pub);
  return false; // ECDSA signers have 33-byte keys, which an AccountId32 address cannot carry.
}
