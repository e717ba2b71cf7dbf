import type { LocalnetMetadata } from '../metadata/build.js';
import { MAX_CRV3_COMMIT_SIZE_BYTES } from '../metadata/subtensor.js';
import { Reader } from '../scale/scale.js';
import { BadFormat } from './extrinsic.js';

/** The slice of @polkadot/types' Codec the call handlers read from arguments. */
class NumArg {
  constructor(readonly v: bigint) {}
  toNumber(): number {
    return Number(this.v);
  }
  toBigInt(): bigint {
    return this.v;
  }
}

class BytesArg {
  constructor(readonly v: Uint8Array) {}
  toU8a(): Uint8Array {
    return this.v;
  }
}

/** A decoded call in the shape of a polkadot-js `Call` (section, method, args). */
export interface FastCall {
  readonly section: string;
  readonly method: string;
  readonly args: readonly unknown[];
  readonly encodedLength: number;
}

type ArgKind = 'u8' | 'u16' | 'u64' | 'vecU16' | 'h256' | 'commit';

/** Calls validators send every tempo: decoded by hand (polkadot-js takes ~2 ms for 256 weights). */
const HOT: Record<string, { method: string; args: ArgKind[] }> = {
  set_weights: { method: 'setWeights', args: ['u16', 'vecU16', 'vecU16', 'u64'] },
  set_mechanism_weights: {
    method: 'setMechanismWeights',
    args: ['u16', 'u8', 'vecU16', 'vecU16', 'u64'],
  },
  commit_weights: { method: 'commitWeights', args: ['u16', 'h256'] },
  reveal_weights: { method: 'revealWeights', args: ['u16', 'vecU16', 'vecU16', 'vecU16', 'u64'] },
  commit_timelocked_weights: {
    method: 'commitTimelockedWeights',
    args: ['u16', 'commit', 'u64', 'u16'],
  },
  commit_timelocked_mechanism_weights: {
    method: 'commitTimelockedMechanismWeights',
    args: ['u16', 'u8', 'commit', 'u64', 'u16'],
  },
};

const readArg = (r: Reader, kind: ArgKind): unknown => {
  switch (kind) {
    case 'u8':
      return new NumArg(BigInt(r.u8()));
    case 'u16':
      return new NumArg(BigInt(r.u16()));
    case 'u64':
      return new NumArg(r.u64());
    case 'h256':
      return new BytesArg(r.take(32, 'H256').slice());
    case 'commit': {
      // BoundedVec<u8, 5000>: a longer vector does not decode on a node.
      const len = r.compactNumber('commit length');
      if (len > MAX_CRV3_COMMIT_SIZE_BYTES) {
        throw new BadFormat(
          `Could not decode commit: BoundedVec<u8, ${MAX_CRV3_COMMIT_SIZE_BYTES}> got ${len} bytes`,
        );
      }
      return new BytesArg(r.take(len, 'commit').slice());
    }
    case 'vecU16':
      return r.vec((x) => new NumArg(BigInt(x.u16())), 'Vec<u16>');
  }
};

/** Builds the hot-call decoder from the metadata's own call indices. */
export function fastCallDecoder(
  meta: LocalnetMetadata,
): (bytes: Uint8Array) => FastCall | undefined {
  const table = new Map<number, { method: string; args: ArgKind[] }>();
  for (const p of meta.metadata.asV15.pallets) {
    if (p.name.toString() !== 'SubtensorModule' || p.calls.isNone) continue;
    for (const v of meta.registry.lookup.getSiType(p.calls.unwrap().type).def.asVariant.variants) {
      const hot = HOT[v.name.toString()];
      if (hot) table.set((p.index.toNumber() << 8) | v.index.toNumber(), hot);
    }
  }
  return (bytes) => {
    if (bytes.length < 2) return undefined;
    const hot = table.get(((bytes[0] as number) << 8) | (bytes[1] as number));
    if (!hot) return undefined;
    const r = new Reader(bytes);
    r.offset = 2;
    const args = hot.args.map((k) => readArg(r, k));
    r.end('call');
    return { section: 'subtensorModule', method: hot.method, args, encodedLength: bytes.length };
  };
}
