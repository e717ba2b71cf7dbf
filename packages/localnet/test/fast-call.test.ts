import { describe, expect, it } from 'vitest';
import { fastCallDecoder } from '../src/chain/fast-call.js';
import { buildMetadata } from '../src/metadata/build.js';

describe('hand-decoded weight calls', () => {
  const meta = buildMetadata();
  const fast = fastCallDecoder(meta);
  const reg = meta.registry;
  const plain = (c: { args: readonly unknown[] }) =>
    c.args.map((a) =>
      Array.isArray(a) || (a as { toRawType?: () => string }).toRawType?.().startsWith('Vec')
        ? [...(a as Iterable<{ toNumber(): number }>)].map((x) => x.toNumber())
        : (a as { toBigInt?: () => bigint }).toBigInt
          ? (a as { toBigInt(): bigint }).toBigInt()
          : Buffer.from((a as { toU8a(): Uint8Array }).toU8a()).toString('hex'),
    );

  it('read set/commit/reveal weights exactly as @polkadot/types does', () => {
    const uids = Array.from({ length: 300 }, (_, i) => i);
    const calls = [
      reg.createType('Call', {
        callIndex: [7, 0],
        args: { netuid: 3, dests: uids, weights: uids, versionKey: 2n ** 60n },
      }),
      reg.createType('Call', {
        callIndex: [7, 119],
        args: { netuid: 3, mecid: 1, dests: [1], weights: [2], versionKey: 5 },
      }),
      reg.createType('Call', {
        callIndex: [7, 96],
        args: { netuid: 9, commitHash: `0x${'cd'.repeat(32)}` },
      }),
      reg.createType('Call', {
        callIndex: [7, 97],
        args: { netuid: 9, uids: [1, 2], values: [3, 4], salt: [5], versionKey: 6 },
      }),
    ];
    for (const call of calls) {
      const f = fast(call.toU8a());
      expect(f, call.method).toBeDefined();
      expect(f?.method).toBe(call.method);
      expect(plain(f as never)).toEqual(plain(call as never));
    }
  });

  it('refuses trailing or missing bytes, and leaves other calls to @polkadot/types', () => {
    const call = reg.createType('Call', {
      callIndex: [7, 96],
      args: { netuid: 9, commitHash: `0x${'cd'.repeat(32)}` },
    });
    const bytes = call.toU8a();
    expect(() => fast(Uint8Array.of(...bytes, 0))).toThrow(/trailing/);
    expect(() => fast(bytes.subarray(0, bytes.length - 1))).toThrow(/needs/);
    expect(fast(reg.createType('Call', { callIndex: [7, 7], args: {} }).toU8a())).toBeUndefined();
  });
});
