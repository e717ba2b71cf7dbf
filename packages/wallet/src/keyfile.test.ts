import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  keyfileModeIsLoose,
  loadKeypair,
  resolvePassword,
  saveKeypair,
  savePublicKeypair,
  writeKeyfileBytes,
} from './keyfile.js';
import {
  argon2iKdf,
  encodeEnvPassword,
  keyfileEncoding,
  passwordEnvVarName,
} from './keyfile-crypto.js';
import { Keypair } from './keypair.js';

const kdf = argon2iKdf({ opsLimit: 3, memLimitBytes: 8 * 1024 * 1024 });
const text = (s: string) => new TextEncoder().encode(s);
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'subnetkit-keyfile-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeKeyfileBytes', () => {
  it('creates 0700 directories and a 0600 file, leaving no temp file', async () => {
    const file = join(root, 'a', 'b', 'key');
    await writeKeyfileBytes(file, text('one'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, 'a', 'b'))).mode & 0o777).toBe(0o700);
    expect(await readFile(file, 'utf8')).toBe('one');
    expect(await readdir(join(root, 'a', 'b'))).toEqual(['key']);
    expect(await keyfileModeIsLoose(file)).toBe(false);
  });

  it('never overwrites unless asked, and then replaces the content', async () => {
    const file = join(root, 'once');
    await writeKeyfileBytes(file, text('first'));
    await expect(writeKeyfileBytes(file, text('second'))).rejects.toMatchObject({
      code: 'KEYFILE_EXISTS',
    });
    expect(await readFile(file, 'utf8')).toBe('first');
    await writeKeyfileBytes(file, text('second'), { overwrite: true });
    expect(await readFile(file, 'utf8')).toBe('second');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('lets exactly one of many concurrent exclusive writers win', async () => {
    const file = join(root, 'race');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => writeKeyfileBytes(file, text(`writer ${i}`))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await readFile(file, 'utf8')).toMatch(/^writer \d$/);
    expect((await readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('flags a keyfile readable by others', async () => {
    const file = join(root, 'loose');
    await writeFile(file, 'x', { mode: 0o644 });
    expect(await keyfileModeIsLoose(file)).toBe(true);
  });
});

describe('resolvePassword', () => {
  const path = '/w/default/coldkey';
  const envVar = passwordEnvVarName(path);

  it('prefers explicit, then BT_PW_ env var, then the prompt', async () => {
    const env = { [envVar]: encodeEnvPassword(envVar, 'from-env') };
    const askPassword = async () => 'from-prompt';
    expect(await resolvePassword(path, 'unlock', { password: 'x', env, askPassword })).toBe('x');
    expect(await resolvePassword(path, 'unlock', { env, askPassword })).toBe('from-env');
    expect(await resolvePassword(path, 'unlock', { env: {}, askPassword })).toBe('from-prompt');
  });

  it('says which env var would do when nobody can answer', async () => {
    await expect(resolvePassword(path, 'unlock', { env: {} })).rejects.toThrowError(
      /BT_PW__W_DEFAULT_COLDKEY/,
    );
    await expect(resolvePassword(path, 'encrypt', { password: '' })).rejects.toMatchObject({
      code: 'PASSWORD_REQUIRED',
    });
  });
});

describe('saveKeypair / loadKeypair', () => {
  it('round-trips plaintext and encrypted keyfiles', async () => {
    const pair = Keypair.generate();
    const plain = join(root, 'kp', 'plain');
    const sealed = join(root, 'kp', 'sealed');
    await saveKeypair(plain, pair, { encrypt: false });
    await saveKeypair(sealed, pair, { encrypt: true, password: 'pw' }, { kdf });
    expect(keyfileEncoding(new Uint8Array(await readFile(plain)))).toBe('plaintext');
    expect(keyfileEncoding(new Uint8Array(await readFile(sealed)))).toBe('nacl');
    expect((await loadKeypair(plain)).mnemonic).toBe(pair.mnemonic);
    const unlocked = await loadKeypair(sealed, { password: 'pw' }, { kdf });
    expect(unlocked.ss58Address).toBe(pair.ss58Address);
    expect(unlocked.mnemonic).toBe(pair.mnemonic);
    await expect(loadKeypair(sealed, { password: 'nope' }, { kdf })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
    await expect(loadKeypair(sealed, { env: {} }, { kdf })).rejects.toMatchObject({
      code: 'PASSWORD_REQUIRED',
    });
  });

  it('asks for no password on a plaintext file', async () => {
    const file = join(root, 'kp2', 'hot');
    await saveKeypair(file, Keypair.generate(), { encrypt: false });
    let asked = false;
    await loadKeypair(file, {
      askPassword: async () => {
        asked = true;
        return 'x';
      },
    });
    expect(asked).toBe(false);
  });

  it('writes public files without secrets and refuses to write a public key as a secret', async () => {
    const pair = Keypair.generate();
    const file = join(root, 'kp3', 'pub.txt');
    await savePublicKeypair(file, pair);
    const json = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(json)).toEqual(['accountId', 'publicKey', 'ss58Address']);
    const pub = await loadKeypair(file);
    expect(pub.hasSecret).toBe(false);
    await expect(
      saveKeypair(join(root, 'kp3', 's'), pub, { encrypt: false }),
    ).rejects.toMatchObject({ code: 'PUBLIC_KEY_ONLY' });
  });

  it('names the file and the field of a malformed keyfile, and a missing file', async () => {
    const dir = join(root, 'bad');
    await mkdir(dir);
    await writeFile(join(dir, 'k'), '{"secretSeed": "0x12"}');
    await expect(loadKeypair(join(dir, 'k'))).rejects.toThrowError(
      /bad\/k: keyfile field "secretSeed" must be 32 bytes/,
    );
    await expect(loadKeypair(join(dir, 'missing'))).rejects.toMatchObject({
      code: 'KEYFILE_NOT_FOUND',
    });
  });

  it('refuses a legacy keyfile before asking for a password', async () => {
    const file = join(root, 'legacy');
    await writeFile(file, '$ANSIBLE_VAULT;1.1;AES256\n6162');
    let asked = false;
    const err = await loadKeypair(file, {
      askPassword: async () => {
        asked = true;
        return 'x';
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KEYFILE_UNSUPPORTED_FORMAT' });
    expect(asked).toBe(false);
  });
});
