import { describe, expect, it } from 'vitest';
import { WalletError } from './errors.js';
import {
  ARGON2I_SENSITIVE,
  argon2iKdf,
  decodeEnvPassword,
  decryptKeyfileData,
  encodeEnvPassword,
  encryptKeyfileData,
  isEncrypted,
  keyfileEncoding,
  NACL_SALT,
  passwordEnvVarName,
} from './keyfile-crypto.js';
import { PYTHON, PYTHON_MISSING_NOTE, runPython } from './python.test-util.js';

// Cheap Argon2i (3 passes, 8 MiB) for unit tests; the real cost is exercised in
// keyfile-interop.test.ts.
const CHEAP = { opsLimit: 3, memLimitBytes: 8 * 1024 * 1024 };
const kdf = argon2iKdf(CHEAP);
const text = (s: string) => new TextEncoder().encode(s);

describe('constants', () => {
  it('uses btwallet salt and libsodium SENSITIVE limits', () => {
    expect(Buffer.from(NACL_SALT).toString('hex')).toBe('137183dff15a09bc9c90b5518739e9b1');
    // b"\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1" spelled out
    expect(Buffer.from(NACL_SALT).toString('latin1')).toBe(
      '\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1',
    );
    expect(ARGON2I_SENSITIVE).toEqual({ opsLimit: 8, memLimitBytes: 536870912 });
  });
});

describe('$NACL encrypt/decrypt', () => {
  it('round-trips and lays the file out as $NACL ‖ nonce(24) ‖ tag(16) ‖ ciphertext', async () => {
    const plain = text('{"ss58Address":"5Grw"}');
    const nonce = new Uint8Array(24).fill(7);
    const data = await encryptKeyfileData(plain, 'pw', { kdf, nonce });
    expect(Buffer.from(data.subarray(0, 5)).toString()).toBe('$NACL');
    expect(data.subarray(5, 29)).toEqual(nonce);
    expect(data.length).toBe(5 + 24 + 16 + plain.length);
    expect(keyfileEncoding(data)).toBe('nacl');
    expect(await decryptKeyfileData(data, 'pw', { kdf })).toEqual(plain);
  });

  it('uses a fresh nonce each time', async () => {
    const a = await encryptKeyfileData(text('x'), 'pw', { kdf });
    const b = await encryptKeyfileData(text('x'), 'pw', { kdf });
    expect(Buffer.from(a.subarray(5, 29)).equals(Buffer.from(b.subarray(5, 29)))).toBe(false);
  });

  it('rejects a wrong password and a modified file with WRONG_PASSWORD', async () => {
    const data = await encryptKeyfileData(text('secret'), 'right', { kdf });
    await expect(decryptKeyfileData(data, 'wrong', { kdf })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
    const tampered = data.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(decryptKeyfileData(tampered, 'right', { kdf })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
  });

  it('names a truncated file', async () => {
    await expect(decryptKeyfileData(text('$NACL1234'), 'pw', { kdf })).rejects.toThrowError(
      /truncated/,
    );
  });

  it('refuses legacy formats with KEYFILE_UNSUPPORTED_FORMAT and says to use btcli', async () => {
    const vault = text('$ANSIBLE_VAULT;1.1;AES256\n3961356337...');
    const fernet = text('gAAAAABkZ1234');
    expect(keyfileEncoding(vault)).toBe('ansible-vault');
    expect(keyfileEncoding(fernet)).toBe('legacy-fernet');
    expect(isEncrypted(vault) && isEncrypted(fernet)).toBe(true);
    expect(isEncrypted(text('{"a":1}'))).toBe(false);
    for (const [data, name] of [
      [vault, /Ansible Vault/],
      [fernet, /Fernet/],
    ] as const) {
      const err = await decryptKeyfileData(data, 'pw', { kdf }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WalletError);
      expect((err as WalletError).code).toBe('KEYFILE_UNSUPPORTED_FORMAT');
      expect((err as Error).message).toMatch(name);
      expect((err as Error).message).toMatch(/btcli/);
    }
  });

  it('refuses a KDF cost libsodium would refuse', () => {
    expect(() => argon2iKdf({ opsLimit: 2, memLimitBytes: 1 << 20 })).toThrowError(/opsLimit/);
  });
});

describe('BT_PW_ environment variable', () => {
  it('names the variable like btwallet', () => {
    expect(passwordEnvVarName('/root/.bittensor/wallets/default/coldkey')).toBe(
      'BT_PW__ROOT__BITTENSOR_WALLETS_DEFAULT_COLDKEY',
    );
    expect(passwordEnvVarName('/home/a.b/w/my-wallet/coldkey')).toBe(
      'BT_PW__HOME_A_B_W_MY-WALLET_COLDKEY',
    );
  });

  it('obfuscates as base64(password XOR name) and back', () => {
    const name = 'BT_PW__X';
    const value = encodeEnvPassword(name, 'pässword');
    // hand-computed: the first byte is 'p' (0x70) XOR 'B' (0x42) = 0x32
    expect(Buffer.from(value, 'base64')[0]).toBe(0x32);
    expect(decodeEnvPassword(name, value)).toBe('pässword');
    expect(() => decodeEnvPassword(name, 'not base64!')).toThrowError(/not valid base64/);
  });
});

describe.skipIf(!PYTHON)('Argon2i + secretbox against PyNaCl (cheap parameters)', () => {
  it('PyNaCl opens what we seal, with the same key derivation', async () => {
    const data = await encryptKeyfileData(text('hello from ts'), 'pw', { kdf });
    const out = await runPython(
      `import sys, nacl.secret
from nacl.pwhash import argon2i
data = bytes.fromhex(sys.stdin.read())
key = argon2i.kdf(32, b"pw", bytes.fromhex(sys.argv[1]), opslimit=3, memlimit=8*1024*1024)
sys.stdout.write(nacl.secret.SecretBox(key).decrypt(data[5:]).decode())`,
      [Buffer.from(NACL_SALT).toString('hex')],
      Buffer.from(data).toString('hex'),
    );
    expect(out).toBe('hello from ts');
  });
});
if (!PYTHON) console.warn(PYTHON_MISSING_NOTE);

describe.skipIf(!PYTHON)(
  'argon2iKdf is byte-identical to libsodium crypto_pwhash (ALG_ARGON2I13)',
  () => {
    // Passwords libsodium takes as bytes: empty, non-ASCII, longer than a BLAKE2b block; costs
    // off the KiB grid (libsodium rounds memlimit down to whole KiB) and more passes.
    const cases = [
      { password: '', opsLimit: 3, memLimitBytes: 8192 },
      { password: 'correct horse ⚡ battery staple', opsLimit: 3, memLimitBytes: 1 << 20 },
      { password: 'x'.repeat(300), opsLimit: 4, memLimitBytes: (1 << 20) + 1023 },
      { password: 'pw', opsLimit: 5, memLimitBytes: 3 * 1024 * 1024 + 512 },
    ];

    it('derives the same 32 bytes as PyNaCl for every case', async () => {
      const salt = Buffer.from(NACL_SALT).toString('hex');
      const expected = await runPython(
        `import sys, json
from nacl.pwhash import argon2i
for c in json.loads(sys.stdin.read()):
    key = argon2i.kdf(32, c["password"].encode(), bytes.fromhex(sys.argv[1]),
                      opslimit=c["opsLimit"], memlimit=c["memLimitBytes"])
    print(key.hex())`,
        [salt],
        JSON.stringify(cases),
      );
      const ours = await Promise.all(
        cases.map(async ({ password, ...cost }) =>
          Buffer.from(await argon2iKdf(cost)(text(password), NACL_SALT)).toString('hex'),
        ),
      );
      expect(ours).toEqual(expected.trim().split('\n'));
    });
  },
);
