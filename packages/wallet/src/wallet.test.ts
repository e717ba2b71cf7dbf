import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WalletError } from './errors.js';
import { argon2iKdf, encodeEnvPassword, keyfileEncoding } from './keyfile-crypto.js';
import { Keypair } from './keypair.js';
import { createWallet, expandHome, listWallets, validateWalletName, Wallet } from './wallet.js';

const kdf = argon2iKdf({ opsLimit: 3, memLimitBytes: 8 * 1024 * 1024 });
const MNEMONIC = 'caution juice atom organ advance problem want pledge someone senior holiday very';
const ADDRESS = '5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR';
let root: string;
let n = 0;
const fresh = () => join(root, `w${n++}`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'subnetkit-wallet-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('Wallet configuration', () => {
  it('defaults to default/default/~/.bittensor/wallets', () => {
    const w = createWallet({ env: {} });
    expect([w.name, w.hotkey]).toEqual(['default', 'default']);
    expect(w.path).toBe(join(homedir(), '.bittensor/wallets'));
    expect(w.coldkeyPath).toBe(join(homedir(), '.bittensor/wallets/default/coldkey'));
  });

  it('takes explicit options over BT_WALLET_* over defaults', () => {
    const env = { BT_WALLET_NAME: 'envname', BT_WALLET_HOTKEY: 'envhot', BT_WALLET_PATH: '/e' };
    const fromEnv = createWallet({ env });
    expect([fromEnv.name, fromEnv.hotkey, fromEnv.path]).toEqual(['envname', 'envhot', '/e']);
    const explicit = createWallet({ name: 'n', hotkey: 'h', path: '/p', env });
    expect([explicit.name, explicit.hotkey, explicit.path]).toEqual(['n', 'h', '/p']);
    expect(explicit.coldkeyPath).toBe('/p/n/coldkey');
    expect(explicit.coldkeypubPath).toBe('/p/n/coldkeypub.txt');
    expect(explicit.hotkeyPath).toBe('/p/n/hotkeys/h');
    expect(explicit.hotkeypubPath).toBe('/p/n/hotkeys/hpub.txt');
    expect(explicit.coldkeyPasswordEnvVar).toBe('BT_PW__P_N_COLDKEY');
    expect(String(explicit)).toBe("Wallet (Name: 'n', Hotkey: 'h', Path: '/p')");
  });

  it('expands ~ like btwallet', () => {
    expect(expandHome('~/x', '/home/u')).toBe('/home/u/x');
    expect(expandHome('~', '/home/u')).toBe('/home/u');
    expect(expandHome('/a/~/b', '/home/u')).toBe('/a/~/b');
  });

  it.each([
    ['name', '../escape'],
    ['name', 'a/b'],
    ['name', 'a\\b'],
    ['name', '..'],
    ['name', '.'],
    ['name', ''],
    ['hotkey', 'x/../../y'],
    ['hotkey', 'minerpub.txt'],
  ] as const)('rejects %s %j with INVALID_WALLET_NAME', (field, value) => {
    expect(() => validateWalletName(value, field)).toThrowError(WalletError);
    expect(() => createWallet({ [field]: value, path: '/p', env: {} })).toThrowError(
      expect.objectContaining({ code: 'INVALID_WALLET_NAME' }),
    );
  });

  it('validates names coming from the environment too', () => {
    expect(() => createWallet({ env: { BT_WALLET_NAME: '../x' } })).toThrowError(/wallet name/);
  });
});

describe('creating and loading keys', () => {
  it('creates an encrypted coldkey + pub and a plaintext hotkey + pub, btcli layout', async () => {
    const path = fresh();
    const w = createWallet({ name: 'alice', hotkey: 'miner', path, env: {} }, { kdf });
    const cold = await w.createColdkey({ password: 'pw' });
    const hot = await w.createHotkey();
    expect(cold.mnemonic!.split(' ')).toHaveLength(12);
    expect((await readdir(join(path, 'alice'))).sort()).toEqual([
      'coldkey',
      'coldkeypub.txt',
      'hotkeys',
    ]);
    expect((await readdir(join(path, 'alice', 'hotkeys'))).sort()).toEqual([
      'miner',
      'minerpub.txt',
    ]);
    for (const f of ['coldkey', 'coldkeypub.txt', 'hotkeys/miner', 'hotkeys/minerpub.txt']) {
      expect((await stat(join(path, 'alice', f))).mode & 0o777).toBe(0o600);
    }
    expect((await stat(join(path, 'alice'))).mode & 0o777).toBe(0o700);
    expect(await w.coldkeyEncoding()).toBe('nacl');
    const hotFile = JSON.parse(await readFile(w.hotkeyPath, 'utf8'));
    expect(hotFile.secretPhrase).toBe(hot.mnemonic);
    expect(hotFile.ss58Address).toBe(hot.ss58Address);
    expect((await w.getColdkeypub()).ss58Address).toBe(cold.ss58Address);
    expect((await w.getHotkeypub()).ss58Address).toBe(hot.ss58Address);
    expect((await w.getHotkey()).mnemonic).toBe(hot.mnemonic);
    expect((await w.unlockColdkey({ password: 'pw' })).mnemonic).toBe(cold.mnemonic);
    await expect(w.unlockColdkey({ password: 'bad' })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
  });

  it('unlocks the coldkey from the BT_PW_ env var, then from the prompt', async () => {
    const path = fresh();
    const plain = createWallet({ path, env: {} }, { kdf });
    await plain.createColdkey({ password: 's3cret' });
    const envVar = plain.coldkeyPasswordEnvVar;
    const viaEnv = createWallet(
      { path, env: { [envVar]: encodeEnvPassword(envVar, 's3cret') } },
      { kdf },
    );
    expect((await viaEnv.unlockColdkey()).hasSecret).toBe(true);
    const prompts: string[] = [];
    const viaPrompt = createWallet(
      { path, env: {} },
      {
        kdf,
        askPassword: async (req) => {
          prompts.push(`${req.purpose} ${req.path} ${req.envVarName}`);
          return 's3cret';
        },
      },
    );
    expect((await viaPrompt.unlockColdkey()).hasSecret).toBe(true);
    expect(prompts).toEqual([`unlock ${plain.coldkeyPath} ${envVar}`]);
    await expect(plain.unlockColdkey()).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  });

  it('asks for the encryption password through the prompt when none is given', async () => {
    const w = createWallet({ path: fresh(), env: {} }, { kdf, askPassword: async () => 'asked' });
    await w.createColdkey();
    expect((await w.unlockColdkey()).hasSecret).toBe(true);
    const noPrompt = createWallet({ path: fresh(), env: {} }, { kdf });
    await expect(noPrompt.createColdkey()).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    // Nothing was written when the password was missing.
    await expect(readdir(noPrompt.walletDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('creates an unencrypted coldkey when asked, and an encrypted hotkey when asked', async () => {
    const w = createWallet({ path: fresh(), env: {} }, { kdf });
    await w.createColdkey({ encrypt: false });
    await w.createHotkey({ password: 'hp' });
    expect(await w.coldkeyEncoding()).toBe('plaintext');
    expect(keyfileEncoding(new Uint8Array(await readFile(w.hotkeyPath)))).toBe('nacl');
    expect((await w.getHotkey({ password: 'hp' })).hasSecret).toBe(true);
    // the pub file still gives the address without a password
    expect((await w.getHotkeypub()).hasSecret).toBe(false);
  });

  it('never overwrites a key unless asked, and leaves the old one intact', async () => {
    const w = createWallet({ path: fresh(), env: {} }, { kdf });
    const first = await w.createHotkey();
    await expect(w.createHotkey()).rejects.toMatchObject({ code: 'KEYFILE_EXISTS' });
    expect((await w.getHotkey()).ss58Address).toBe(first.ss58Address);
    const second = await w.createHotkey({ overwrite: true });
    expect((await w.getHotkey()).ss58Address).toBe(second.ss58Address);
    expect((await w.getHotkeypub()).ss58Address).toBe(second.ss58Address);
  });

  it('refuses to write a coldkey over a coldkeypub.txt of another key', async () => {
    const w = createWallet({ path: fresh(), env: {} }, { kdf });
    await w.regenerateColdkeypub({ ss58Address: ADDRESS });
    await expect(w.regenerateColdkey({ uri: '//Alice' }, { encrypt: false })).rejects.toThrowError(
      /coldkeypub.txt already exists for another key/,
    );
    await expect(readdir(w.walletDir)).resolves.toEqual(['coldkeypub.txt']);
    // the matching key is fine: the pub file already says the right thing
    const pair = await w.regenerateColdkey({ mnemonic: MNEMONIC }, { encrypt: false });
    expect(pair.ss58Address).toBe(ADDRESS);
  });

  it('regenerates keys from mnemonic, seed and URI', async () => {
    const w = createWallet({ path: fresh(), env: {} }, { kdf });
    const cold = await w.regenerateColdkey({ mnemonic: MNEMONIC }, { password: 'pw' });
    expect(cold.ss58Address).toBe(ADDRESS);
    expect((await w.unlockColdkey({ password: 'pw' })).mnemonic).toBe(MNEMONIC);
    const hot = await w.regenerateHotkey({
      seed: '0xc8fa03532fb22ee1f7f6908b9c02b4e72483f0dbd66e4cd456b8f34c6230b849',
    });
    expect(hot.ss58Address).toBe(ADDRESS);
    const alice = await w
      .withHotkey('alice')
      .regenerateHotkey({ uri: '//Alice' }, { overwrite: false });
    expect(alice.ss58Address).toBe('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    // a derived key has no seed/mnemonic: it is stored as privateKey and loads back
    const back = await w.withHotkey('alice').getHotkey();
    expect(back.ss58Address).toBe(alice.ss58Address);
    expect(alice.verify('m', back.sign('m'))).toBe(true);
    await expect(w.regenerateHotkey({ mnemonic: 'not a mnemonic' })).rejects.toMatchObject({
      code: 'INVALID_MNEMONIC',
    });
  });

  it('createIfMissing makes what is missing and keeps what exists', async () => {
    const w = createWallet({ path: fresh(), env: {} }, { kdf });
    const made = await w.createIfMissing({ coldkey: { encrypt: false } });
    expect(made.coldkey && made.hotkey).toBeTruthy();
    const again = await w.createIfMissing({ coldkey: { encrypt: false } });
    expect(again).toEqual({});
    const other = await w.withHotkey('second').createIfMissing({ coldkey: { encrypt: false } });
    expect(other.coldkey).toBeUndefined();
    expect(other.hotkey).toBeDefined();
  });

  it('reads a wallet written the way btwallet writes it (random key order, no pub for hotkey)', async () => {
    const path = fresh();
    const pair = Keypair.fromMnemonic(MNEMONIC);
    const dir = join(path, 'py', 'hotkeys');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'default'),
      `{"secretSeed":"0x${Buffer.from(pair.seed!).toString('hex')}","ss58Address":"${ADDRESS}","secretPhrase":"${MNEMONIC}","accountId":"${pair.publicKeyHex}","publicKey":"${pair.publicKeyHex}","privateKey":"0x${Buffer.from(pair.exportSecretKey()).toString('hex')}"}`,
    );
    const w = new Wallet({ name: 'py', path, env: {} });
    expect((await w.getHotkeypub()).ss58Address).toBe(ADDRESS);
    expect((await w.getHotkey()).mnemonic).toBe(MNEMONIC);
  });
});

describe('listWallets', () => {
  it('lists wallets, their coldkey address and hotkeys, without secrets', async () => {
    const path = fresh();
    const a = createWallet({ name: 'a', path, env: {} }, { kdf });
    const cold = await a.createColdkey({ password: 'pw' });
    const h1 = await a.withHotkey('h1').createHotkey();
    const h2 = await a.withHotkey('h2').createHotkey({ password: 'x' });
    await createWallet({ name: 'b', path, env: {} }).regenerateColdkeypub({ ss58Address: ADDRESS });
    await mkdir(join(path, 'a', 'hotkeys'), { recursive: true });
    const list = await listWallets({ path, env: {} });
    expect(list).toEqual([
      {
        name: 'a',
        coldkeyAddress: cold.ss58Address,
        coldkeyEncoding: 'nacl',
        hotkeys: [
          { name: 'h1', address: h1.ss58Address },
          { name: 'h2', address: h2.ss58Address },
        ],
      },
      { name: 'b', coldkeyAddress: ADDRESS, coldkeyEncoding: undefined, hotkeys: [] },
    ]);
    expect(await listWallets({ path: join(path, 'missing'), env: {} })).toEqual([]);
  });
});
