import { ristretto255 } from '@noble/curves/ed25519.js';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate, signatureVerify } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from './bytes.js';
import { WalletError } from './errors.js';
import { Keypair, verifySignature } from './keypair.js';

let keyring: Keyring;
beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
});

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const ALICE_STASH = '5GNJqTPyNqANBkUVMN1LPPrxXnFouWXoe2wNSmmEoLctxiZY';

describe('Keypair.fromUri', () => {
  it('derives the well-known development accounts', () => {
    expect(Keypair.fromUri('//Alice').ss58Address).toBe(ALICE);
    expect(Keypair.fromUri('//Bob').ss58Address).toBe(BOB);
    expect(Keypair.fromUri('//Alice//stash').ss58Address).toBe(ALICE_STASH);
  });

  it.each([
    '//Alice',
    '//Charlie//stash',
    '//Alice/soft',
    '//Alice//0/1',
    '//Dave//18446744073709551615',
    '//a-very-long-junction-name-that-is-more-than-thirty-two-bytes',
    'bottom drive obey lake curtain smoke basket hold race lonely fit walk//x///secret',
    '0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60//hard/soft',
  ])('matches @polkadot/keyring for %s', (uri) => {
    expect(Keypair.fromUri(uri).ss58Address).toBe(keyring.addFromUri(uri).address);
  });

  it('names a malformed path', () => {
    expect(() => Keypair.fromUri('//Alice//')).toThrowError(/malformed near "\/\/"/);
  });
});

describe('Keypair.fromMnemonic', () => {
  it('matches @polkadot/keyring on random mnemonics', () => {
    for (let i = 0; i < 5; i++) {
      const phrase = mnemonicGenerate(12);
      const ours = Keypair.fromMnemonic(phrase);
      expect(ours.ss58Address).toBe(keyring.addFromMnemonic(phrase).address);
      expect(ours.mnemonic).toBe(phrase);
      expect(ours.seed).toHaveLength(32);
    }
  });

  it('names the bad word and the bad checksum', () => {
    const words = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk'.split(
      ' ',
    );
    const typo = [...words];
    typo[3] = 'lakke';
    expect(() => Keypair.fromMnemonic(typo.join(' '))).toThrowError(/word 4 \("lakke"\)/);
    const swapped = [...words];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(() => Keypair.fromMnemonic(swapped.join(' '))).toThrowError(/checksum/);
    expect(() => Keypair.fromMnemonic('bottom drive obey')).toThrowError(/3 words/);
  });

  it('is case and whitespace tolerant', () => {
    const phrase = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
    expect(
      Keypair.fromMnemonic(`  ${phrase.toUpperCase().replaceAll(' ', '   ')} `).ss58Address,
    ).toBe(Keypair.fromMnemonic(phrase).ss58Address);
  });
});

describe('Keypair.fromSeed', () => {
  it('matches @polkadot/keyring and validates length and hex', () => {
    const seed = '0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
    expect(Keypair.fromSeed(seed).ss58Address).toBe(keyring.addFromUri(seed).address);
    expect(() => Keypair.fromSeed('0x1234')).toThrowError(/seed must be 32 bytes, got 2/);
    expect(() => Keypair.fromSeed('0xzz')).toThrowError(/seed is not valid hex/);
    expect(() => Keypair.fromSeed(new Uint8Array(31))).toThrowError(WalletError);
  });
});

describe('sign / verify', () => {
  it('signatures interoperate with @polkadot/util-crypto both ways', () => {
    const ours = Keypair.fromUri('//Alice');
    const theirs = keyring.addFromUri('//Alice');
    const message = 'subnetkit interop';
    const ourSig = ours.sign(message);
    expect(signatureVerify(message, ourSig, ours.ss58Address).isValid).toBe(true);
    const theirSig = theirs.sign(new TextEncoder().encode(message));
    expect(ours.verify(message, theirSig)).toBe(true);
    expect(verifySignature(message, bytesToHex(theirSig), ALICE)).toBe(true);
  });

  it('rejects a wrong message, a wrong key and a flipped bit', () => {
    const alice = Keypair.fromUri('//Alice');
    const sig = alice.sign('hello');
    expect(alice.verify('hello!', sig)).toBe(false);
    expect(verifySignature('hello', sig, BOB)).toBe(false);
    const flipped = sig.slice();
    flipped[10]! ^= 1;
    expect(alice.verify('hello', flipped)).toBe(false);
  });

  it('errors on malformed signatures and keys instead of returning false', () => {
    expect(() => verifySignature('m', '0x1234', ALICE)).toThrowError(/signature must be 64 bytes/);
    expect(() => verifySignature('m', new Uint8Array(64), '5Grw')).toThrowError(WalletError);
  });

  it('a public-only keypair verifies but cannot sign', () => {
    const alice = Keypair.fromUri('//Alice');
    const pub = Keypair.fromAddress(ALICE);
    expect(pub.verify('x', alice.sign('x'))).toBe(true);
    expect(() => pub.sign('x')).toThrowError(/has no secret key: cannot sign/);
  });
});

describe('secret key export', () => {
  it('exports the canonical schnorrkel scalar (public key = scalar · G on ristretto255)', () => {
    const pair = Keypair.fromUri('//Alice');
    const secret = pair.exportSecretKey();
    let scalar = 0n;
    for (let i = 31; i >= 0; i--) scalar = (scalar << 8n) | BigInt(secret[i]!);
    const order = 2n ** 252n + 27742317777372353535851937790883648493n;
    const derived = ristretto255.Point.BASE.multiply(scalar % order).toBytes();
    expect(bytesToHex(derived)).toBe(pair.publicKeyHex);
  });

  it('round-trips through fromSecretKey and refuses a mismatched public key', () => {
    const alice = Keypair.fromUri('//Alice');
    const copy = Keypair.fromSecretKey(alice.exportSecretKey(), alice.publicKey);
    expect(alice.verify('m', copy.sign('m'))).toBe(true);
    expect(() =>
      Keypair.fromSecretKey(alice.exportSecretKey(), Keypair.fromUri('//Bob').publicKey),
    ).toThrowError(/does not match the public key/);
  });
});
