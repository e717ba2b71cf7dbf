import { hexToU8a } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { RpcError } from '../src/chain/pool-error.js';
import { bytesParam } from '../src/rpc/params.js';

const invalid = (v: unknown) => {
  try {
    bytesParam(v, 'extrinsic');
  } catch (e) {
    return e instanceof RpcError ? { code: e.code, data: e.data } : e;
  }
  return 'accepted';
};

describe('bytesParam (hex params such as extrinsics)', () => {
  it('decodes like hexToU8a, in any case, and 0x as no bytes', () => {
    const hex = `0x${Array.from({ length: 1200 }, (_, i) => ((i * 37) % 256).toString(16).padStart(2, '0')).join('')}`;
    expect(bytesParam(hex, 'x')).toEqual(hexToU8a(hex));
    expect(bytesParam(hex.toUpperCase().replace('0X', '0x'), 'x')).toEqual(hexToU8a(hex));
    expect(bytesParam('0x', 'x')).toEqual(new Uint8Array());
    expect(bytesParam('0xAbCd', 'x')).toEqual(Uint8Array.of(0xab, 0xcd));
  });

  it('refuses non-hex anywhere, odd lengths, no prefix and non-strings with -32602', () => {
    const err = { code: -32602, data: 'extrinsic must be a 0x-prefixed hex string' };
    for (const v of ['0x12g4', '0xg234', '0x123z', '0x123', '1234', '0X1234', '0x12 4', 12, null]) {
      expect(invalid(v)).toEqual(err);
    }
  });
});
