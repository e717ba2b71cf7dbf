import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { buildMetadata } from '../src/metadata/build.js';

describe('metadata encoder', () => {
  it('gives the same V15 and V14 bytes as @polkadot/types encoding the same description', () => {
    const m = buildMetadata();
    const registry = new TypeRegistry();
    const v15 = registry.createType('MetadataV15', m.json.v15).toU8a();
    const v14 = registry.createType('MetadataV14', m.json.v14).toU8a();
    expect(u8aToHex(m.v15.subarray(5))).toBe(u8aToHex(v15));
    expect(u8aToHex(m.v14.subarray(5))).toBe(u8aToHex(v14));
    expect(u8aToHex(m.v15.subarray(0, 5))).toBe('0x6d6574610f');
    expect(u8aToHex(m.v14.subarray(0, 5))).toBe('0x6d6574610e');
  });
});
