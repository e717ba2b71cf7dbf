// Interop with an independent implementation of the keyfile format: PyNaCl (libsodium), driven
// by a Python script written here from the documented scheme, exactly as the Python wallet
// (bittensor ≤ 7 `encrypt_keyfile_data`, btwallet `encrypt_keyfile_data`) does it.
//
// These are the only tests that run Argon2i with the real parameters (8 passes, 512 MiB,
// 2-3 s of CPU each). The TS-side key is derived once, with the real KDF, and reused: the decryption
// of the Python-made file is what proves that derivation right.
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from './bytes.js';
import {
  decryptKeyfileData,
  encodeEnvPassword,
  type KeyDerivation,
  NACL_SALT,
  naclKdf,
} from './keyfile-crypto.js';
import { keypairToKeyfileData } from './keyfile-json.js';
import { PYTHON, PYTHON_MISSING_NOTE, runPython } from './python.test-util.js';
import { createWallet } from './wallet.js';

if (!PYTHON) console.warn(PYTHON_MISSING_NOTE);

// argv: mode, keyfile path, hex(UTF-8 password). encrypt reads the plaintext from stdin.
const PYTHON_WALLET = `
import sys
import nacl.secret
from nacl.pwhash import argon2i

NACL_SALT = b"\\x13q\\x83\\xdf\\xf1Z\\t\\xbc\\x9c\\x90\\xb5Q\\x879\\xe9\\xb1"

mode, path, password_hex = sys.argv[1], sys.argv[2], sys.argv[3]
password = bytes(bytes.fromhex(password_hex).decode("utf-8"), "utf-8")
key = argon2i.kdf(
    nacl.secret.SecretBox.KEY_SIZE,
    password,
    NACL_SALT,
    opslimit=argon2i.OPSLIMIT_SENSITIVE,
    memlimit=argon2i.MEMLIMIT_SENSITIVE,
)
box = nacl.secret.SecretBox(key)
if mode == "encrypt":
    with open(path, "wb") as f:
        f.write(b"$NACL" + box.encrypt(sys.stdin.buffer.read()))
elif mode == "decrypt":
    with open(path, "rb") as f:
        data = f.read()
    assert data[:5] == b"$NACL", "not a $NACL keyfile"
    sys.stdout.buffer.write(box.decrypt(data[5:]))
else:
    raise SystemExit("unknown mode " + mode)
`;

// The keyfile JSON as bittensor ≤ 7 wrote it (json.dumps, nulls for absent fields), for the
// Substrate docs vector `subkey inspect "caution juice …"`. Nothing here comes from our code.
const SUBKEY_DOCS = {
  mnemonic: 'caution juice atom organ advance problem want pledge someone senior holiday very',
  seed: '0xc8fa03532fb22ee1f7f6908b9c02b4e72483f0dbd66e4cd456b8f34c6230b849',
  publicKey: '0xd6a3105d6768e956e9e5d41050ac29843f98561410d3a47f9dd5b3b227ab8746',
  address: '5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR',
};
const PYTHON_JSON = `{"accountId": "${SUBKEY_DOCS.publicKey}", "publicKey": "${SUBKEY_DOCS.publicKey}", "secretPhrase": "${SUBKEY_DOCS.mnemonic}", "secretSeed": "${SUBKEY_DOCS.seed}", "ss58Address": "${SUBKEY_DOCS.address}", "privateKey": null}`;

const PASSWORD = 'correct horse ⚡ battery staple';
const passwordHex = Buffer.from(PASSWORD, 'utf8').toString('hex');

// The real KDF (naclKdf), memoised per (password, salt) for this file only.
const derived = new Map<string, Promise<Uint8Array>>();
const memoNaclKdf: KeyDerivation = (password, salt) => {
  const id = `${bytesToHex(password)}/${bytesToHex(salt)}`;
  let key = derived.get(id);
  if (!key) {
    key = naclKdf(password, salt);
    derived.set(id, key);
  }
  return key;
};

describe.skipIf(!PYTHON)('keyfile $NACL interop with PyNaCl (real Argon2i parameters)', () => {
  let dir: string;
  const pythonFile = () => join(dir, 'coldkey-from-python');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'subnetkit-wallet-interop-'));
    // Python encrypts while we derive our key: two Argon2i runs side by side.
    await Promise.all([
      runPython(PYTHON_WALLET, ['encrypt', pythonFile(), passwordHex], PYTHON_JSON),
      memoNaclKdf(new TextEncoder().encode(PASSWORD), NACL_SALT),
    ]);
  }, 180_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('decrypts a coldkey the Python wallet encrypted and loads the right key', async () => {
    const data = new Uint8Array(await readFile(pythonFile()));
    expect(Buffer.from(data.subarray(0, 5)).toString()).toBe('$NACL');
    const plain = await decryptKeyfileData(data, PASSWORD, { kdf: memoNaclKdf });
    expect(new TextDecoder().decode(plain)).toBe(PYTHON_JSON);
    // And through a wallet: the Python file as `coldkey`, password from the BT_PW_ env var.
    const wallet = createWallet({ name: 'py', path: dir, env: {} });
    await mkdir(wallet.walletDir, { recursive: true });
    await copyFile(pythonFile(), wallet.coldkeyPath);
    const envVar = wallet.coldkeyPasswordEnvVar;
    const unlocked = await createWallet(
      { name: 'py', path: dir, env: { [envVar]: encodeEnvPassword(envVar, PASSWORD) } },
      { kdf: memoNaclKdf },
    ).unlockColdkey();
    expect(unlocked.ss58Address).toBe(SUBKEY_DOCS.address);
    expect(unlocked.mnemonic).toBe(SUBKEY_DOCS.mnemonic);
    expect(unlocked.hasSecret).toBe(true);
  });

  it('writes a coldkey the Python wallet decrypts', async () => {
    const wallet = createWallet({ name: 'ts', path: dir, env: {} }, { kdf: memoNaclKdf });
    const pair = await wallet.createColdkey({ password: PASSWORD });
    const out = await runPython(PYTHON_WALLET, ['decrypt', wallet.coldkeyPath, passwordHex]);
    const parsed = JSON.parse(out) as Record<string, string>;
    expect(parsed).toEqual(keypairToKeyfileData(pair));
    expect(parsed.ss58Address).toBe(pair.ss58Address);
    expect(parsed.secretPhrase).toBe(pair.mnemonic);
  }, 120_000);
});
