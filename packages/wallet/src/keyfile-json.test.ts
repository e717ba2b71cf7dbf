import { describe, expect, it } from 'vitest';
import { bytesToHex } from './bytes.js';
import {
  keypairFromKeyfileData,
  keypairToKeyfileData,
  parseKeyfileData,
  publicKeyfileData,
  serializeKeyfileData,
} from './keyfile-json.js';
import { Keypair } from './keypair.js';

// `subkey inspect` outputs published in the Substrate docs (docs.substrate.io, subkey page)
// and in Parity's subkey examples; independent of any code here.
const SUBKEY_VECTORS = [
  {
    mnemonic: 'caution juice atom organ advance problem want pledge someone senior holiday very',
    seed: '0xc8fa03532fb22ee1f7f6908b9c02b4e72483f0dbd66e4cd456b8f34c6230b849',
    publicKey: '0xd6a3105d6768e956e9e5d41050ac29843f98561410d3a47f9dd5b3b227ab8746',
    address: '5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR',
  },
  {
    mnemonic: 'favorite liar zebra assume hurt cage any damp inherit rescue delay panic',
    seed: '0x235c69907d33b85f27bd78e73ff5d0c67bd4894515cc30c77f4391859bc1a3f2',
    publicKey: '0x6ce96ae5c300096b09dbd4567b0574f6a1281ae0e5cfe4f6b0233d1821f6206b',
    address: '5EXWNJuoProc7apm1JS8m9RTqV3vVwR9dCg6sQVpKnoHtJ68',
  },
];

describe('golden vectors (subkey inspect)', () => {
  it.each(SUBKEY_VECTORS)('$mnemonic → $address', (v) => {
    const pair = Keypair.fromMnemonic(v.mnemonic);
    expect(bytesToHex(pair.seed!)).toBe(v.seed);
    expect(pair.publicKeyHex).toBe(v.publicKey);
    expect(pair.ss58Address).toBe(v.address);
    expect(Keypair.fromSeed(v.seed).ss58Address).toBe(v.address);
  });

  it('verifies the signature subkey made in the docs (`echo "test message" | subkey sign`)', () => {
    const signature =
      '0x22f91b41ba12f8663ddce26bfc90dbfe6a51683fd3782ad679ab2a5fdbe7d44c' +
      '2a119f22c74eea22555e5483eb7f42b828f189a38379d59c3b607d2461f0858e';
    const signer = Keypair.fromAddress(SUBKEY_VECTORS[0]!.address);
    expect(signer.verify('test message\n', signature)).toBe(true);
    expect(signer.verify('test message', signature)).toBe(false);
  });
});

describe('keyfile JSON', () => {
  const v = SUBKEY_VECTORS[0]!;

  it('writes the fields btwallet writes, compact, in a fixed order', () => {
    const pair = Keypair.fromMnemonic(v.mnemonic);
    const data = keypairToKeyfileData(pair);
    expect(Object.keys(data)).toEqual([
      'accountId',
      'publicKey',
      'privateKey',
      'secretPhrase',
      'secretSeed',
      'ss58Address',
    ]);
    expect(data).toMatchObject({
      accountId: v.publicKey,
      publicKey: v.publicKey,
      secretPhrase: v.mnemonic,
      secretSeed: v.seed,
      ss58Address: v.address,
    });
    expect(data.privateKey).toMatch(/^0x[0-9a-f]{128}$/);
    const text = new TextDecoder().decode(serializeKeyfileData(data));
    expect(text.startsWith(`{"accountId":"${v.publicKey}","publicKey"`)).toBe(true);
    expect(text).not.toMatch(/": |", /);
  });

  it('writes only the public fields for a pub file', () => {
    const data = publicKeyfileData(Keypair.fromMnemonic(v.mnemonic));
    expect(data).toEqual({
      accountId: v.publicKey,
      publicKey: v.publicKey,
      ss58Address: v.address,
    });
  });

  it('reads files from bittensor ≤ 7 (spaces, nulls) and btwallet (any key order)', () => {
    const python = `{"accountId": "${v.publicKey}", "publicKey": "${v.publicKey}", "secretPhrase": null, "secretSeed": "${v.seed}", "ss58Address": "${v.address}"}`;
    const fromSeed = keypairFromKeyfileData(parseKeyfileData(python));
    expect(fromSeed.ss58Address).toBe(v.address);
    expect(fromSeed.mnemonic).toBeUndefined();
    const rust = `{"ss58Address":"${v.address}","secretPhrase":"${v.mnemonic}","accountId":"${v.publicKey}"}`;
    expect(keypairFromKeyfileData(parseKeyfileData(rust)).mnemonic).toBe(v.mnemonic);
  });

  it('follows btwallet priority: secretPhrase → secretSeed → privateKey → public', () => {
    const pair = Keypair.fromMnemonic(v.mnemonic);
    const full = keypairToKeyfileData(pair);
    // Phrase wins over a seed that belongs to a different key (public fields left out).
    const other = Keypair.fromSeed(SUBKEY_VECTORS[1]!.seed);
    const mixed = { secretPhrase: v.mnemonic, secretSeed: bytesToHex(other.seed!) };
    expect(keypairFromKeyfileData(mixed).ss58Address).toBe(v.address);
    const fromPrivate = keypairFromKeyfileData({ privateKey: full.privateKey! });
    expect(fromPrivate.ss58Address).toBe(v.address);
    expect(pair.verify('m', fromPrivate.sign('m'))).toBe(true);
    const pub = keypairFromKeyfileData({ ss58Address: v.address });
    expect(pub.hasSecret).toBe(false);
    expect(pub.publicKeyHex).toBe(v.publicKey);
    expect(keypairFromKeyfileData(parseKeyfileData(v.publicKey)).ss58Address).toBe(v.address);
  });

  it('reads privateKey as btwallet does (vector from btwallet tests/test_keyfile.py)', () => {
    // btwallet `Keypair.create_from_private_key` → sp_core `from_seed_slice` (canonical form).
    const pair = keypairFromKeyfileData({
      privateKey:
        '0x1f1995bdf3a17b60626a26cfe6f564b337d46056b7a1281b64c649d592ccda0a' +
        '9cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e',
    });
    expect(pair.publicKeyHex).toBe(
      '0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446',
    );
    expect(pair.verify('m', pair.sign('m'))).toBe(true);
  });

  it('rebuilds the same keypair from what it wrote (privateKey form included)', () => {
    for (const pair of [Keypair.generate(), Keypair.fromUri('//Alice//stash')]) {
      const back = keypairFromKeyfileData(
        parseKeyfileData(serializeKeyfileData(keypairToKeyfileData(pair))),
      );
      expect(back.ss58Address).toBe(pair.ss58Address);
      expect(pair.verify('x', back.sign('x'))).toBe(true);
    }
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[1,2]', /must be an object/],
    ['{"secretSeed": 12}', /"secretSeed" must be a string, got number/],
    ['{"secretSeed": "0x1234"}', /"secretSeed" must be 32 bytes/],
    ['{"secretSeed": "0xzz"}', /"secretSeed" is not valid hex/],
    ['{"secretPhrase": "one two three"}', /"secretPhrase" is invalid: mnemonic has 3 words/],
    ['{"privateKey": "0x00"}', /"privateKey" must be 64 bytes/],
    ['{"ss58Address": "5Grw"}', /"ss58Address" is invalid/],
    ['{"foo": "bar"}', /has none of secretPhrase/],
  ])('names the problem in %s', (text, message) => {
    expect(() => keypairFromKeyfileData(parseKeyfileData(text))).toThrowError(message);
    try {
      keypairFromKeyfileData(parseKeyfileData(text));
    } catch (err) {
      expect((err as { code: string }).code).toBe('KEYFILE_MALFORMED');
    }
  });

  it('refuses a file whose address is not its key (stricter than btwallet)', () => {
    const other = SUBKEY_VECTORS[1]!;
    expect(() =>
      keypairFromKeyfileData({ secretPhrase: v.mnemonic, ss58Address: other.address }),
    ).toThrowError(/"ss58Address" does not match the key derived from "secretPhrase"/);
    expect(() =>
      keypairFromKeyfileData({ publicKey: v.publicKey, ss58Address: other.address }),
    ).toThrowError(/"ss58Address" does not match field "publicKey"/);
  });

  it('refuses non-UTF-8 bytes', () => {
    expect(() => parseKeyfileData(new Uint8Array([0xff, 0xfe]))).toThrowError(/not UTF-8/);
  });
});
