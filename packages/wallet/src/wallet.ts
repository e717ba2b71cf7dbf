// A btcli-compatible wallet on disk (btwallet src/wallet.rs):
//   <path>/<name>/coldkey                  full keypair, $NACL-encrypted by default
//   <path>/<name>/coldkeypub.txt           public fields only
//   <path>/<name>/hotkeys/<hotkey>         full keypair, plaintext by default
//   <path>/<name>/hotkeys/<hotkey>pub.txt  public fields only
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { WalletError } from './errors.js';
import {
  type KeyfileCryptoComponents,
  keyfileExists,
  loadKeypair,
  type PasswordPrompt,
  type PasswordSources,
  readKeyfileBytes,
  saveKeypair,
  savePublicKeypair,
} from './keyfile.js';
import { type KeyfileEncoding, keyfileEncoding, passwordEnvVarName } from './keyfile-crypto.js';
import { keypairFromKeyfileData, parseKeyfileData } from './keyfile-json.js';
import { Keypair } from './keypair.js';
import type { MnemonicWordCount } from './mnemonic.js';

export const DEFAULT_WALLET_NAME = 'default';
export const DEFAULT_HOTKEY_NAME = 'default';
export const DEFAULT_WALLET_PATH = '~/.bittensor/wallets';

export interface WalletOptions {
  /** Wallet directory name; else `BT_WALLET_NAME`, else `default`. */
  name?: string;
  /** Hotkey file name; else `BT_WALLET_HOTKEY`, else `default`. */
  hotkey?: string;
  /** Root of all wallets; else `BT_WALLET_PATH`, else `~/.bittensor/wallets`. */
  path?: string;
  /** Environment for `BT_WALLET_*` and `BT_PW_*`; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface WalletComponents extends KeyfileCryptoComponents {
  /** Asked for a password when none was passed and no `BT_PW_…` variable is set. */
  askPassword?: PasswordPrompt;
}

/**
 * Rejects names that could leave the wallet directory or collide with other files:
 * empty, `.`/`..` or containing `..`, path separators, NUL; hotkeys ending in `pub.txt`.
 */
export function validateWalletName(value: unknown, field: 'name' | 'hotkey'): string {
  const label = field === 'name' ? 'wallet name' : 'hotkey name';
  if (typeof value !== 'string' || value.length === 0) {
    throw new WalletError('INVALID_WALLET_NAME', `${label} must be a non-empty string`);
  }
  if (/[/\\\0]/.test(value) || value === '.' || value.includes('..')) {
    throw new WalletError(
      'INVALID_WALLET_NAME',
      `${label} ${JSON.stringify(value)} must not contain "/", "\\", ".." or NUL, nor be "."`,
    );
  }
  if (field === 'hotkey' && value.endsWith('pub.txt')) {
    throw new WalletError(
      'INVALID_WALLET_NAME',
      `hotkey name ${JSON.stringify(value)} must not end in "pub.txt" (it would collide with a public key file)`,
    );
  }
  return value;
}

/** `~` and `~/…` expanded to the home directory, the rest untouched (as btwallet does). */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return `${home}${path.slice(1)}`;
  return path;
}

/** Rust's `PathBuf::join` for a relative segment: no normalisation (keeps BT_PW_ names equal). */
function joinPath(base: string, ...parts: string[]): string {
  return parts.reduce(
    (acc, part) => (acc.endsWith('/') ? `${acc}${part}` : `${acc}/${part}`),
    base,
  );
}

const pick = (explicit: string | undefined, fromEnv: string | undefined, fallback: string) =>
  explicit !== undefined ? explicit : fromEnv !== undefined && fromEnv !== '' ? fromEnv : fallback;

export interface CreateKeyOptions {
  /** Encrypt the secret file. Coldkeys default to `true`, hotkeys to `false` (as btcli). */
  encrypt?: boolean;
  /** Password to encrypt with (implies `encrypt: true`, as in btwallet). */
  password?: string;
  overwrite?: boolean;
  /** Mnemonic length for new keys; 12 (btcli's) by default. */
  words?: MnemonicWordCount;
}

/** The secret a key is regenerated from: exactly one of them. */
export type KeySource = { mnemonic: string } | { seed: string } | { uri: string };

export interface UnlockOptions {
  password?: string;
}

/** A wallet's files and the operations on them. Make one with {@link createWallet}. */
export class Wallet {
  readonly name: string;
  readonly hotkey: string;
  /** The root of all wallets, `~` expanded (what btwallet's env var names are built from). */
  readonly path: string;
  readonly #env: Record<string, string | undefined>;
  readonly #components: WalletComponents;

  constructor(options: WalletOptions = {}, components: WalletComponents = {}) {
    const env = options.env ?? process.env;
    this.#env = env;
    this.#components = components;
    this.name = validateWalletName(
      pick(options.name, env.BT_WALLET_NAME, DEFAULT_WALLET_NAME),
      'name',
    );
    this.hotkey = validateWalletName(
      pick(options.hotkey, env.BT_WALLET_HOTKEY, DEFAULT_HOTKEY_NAME),
      'hotkey',
    );
    this.path = expandHome(pick(options.path, env.BT_WALLET_PATH, DEFAULT_WALLET_PATH));
  }

  get walletDir(): string {
    return joinPath(this.path, this.name);
  }
  get coldkeyPath(): string {
    return joinPath(this.walletDir, 'coldkey');
  }
  get coldkeypubPath(): string {
    return joinPath(this.walletDir, 'coldkeypub.txt');
  }
  get hotkeysDir(): string {
    return joinPath(this.walletDir, 'hotkeys');
  }
  get hotkeyPath(): string {
    return joinPath(this.hotkeysDir, this.hotkey);
  }
  get hotkeypubPath(): string {
    return joinPath(this.hotkeysDir, `${this.hotkey}pub.txt`);
  }
  /** The `BT_PW_…` variable btwallet reads the coldkey password from. */
  get coldkeyPasswordEnvVar(): string {
    return passwordEnvVarName(this.coldkeyPath);
  }

  /** The same wallet with another hotkey selected. */
  withHotkey(hotkey: string): Wallet {
    return new Wallet(
      { name: this.name, hotkey, path: this.path, env: this.#env },
      this.#components,
    );
  }

  toString(): string {
    return `Wallet (Name: '${this.name}', Hotkey: '${this.hotkey}', Path: '${this.path}')`;
  }

  #sources(password?: string): PasswordSources {
    return { password, env: this.#env, askPassword: this.#components.askPassword };
  }

  // ---- create / regenerate

  /** A new coldkey from a fresh mnemonic (encrypted unless `encrypt: false`). */
  async createColdkey(options: CreateKeyOptions = {}): Promise<Keypair> {
    const pair = Keypair.generate(options.words ?? 12);
    await this.#writeColdkey(pair, options);
    return pair;
  }

  /** A new hotkey from a fresh mnemonic (plaintext unless `encrypt: true` or a password). */
  async createHotkey(options: CreateKeyOptions = {}): Promise<Keypair> {
    const pair = Keypair.generate(options.words ?? 12);
    await this.#writeHotkey(pair, options);
    return pair;
  }

  /**
   * btcli's `wallet create`: a coldkey unless one (or its pub file) exists, then a hotkey
   * unless it exists. Returns the keys it made.
   */
  async createIfMissing(
    options: { coldkey?: CreateKeyOptions; hotkey?: CreateKeyOptions } = {},
  ): Promise<{ coldkey?: Keypair; hotkey?: Keypair }> {
    const made: { coldkey?: Keypair; hotkey?: Keypair } = {};
    const coldExists =
      (await keyfileExists(this.coldkeyPath)) || (await keyfileExists(this.coldkeypubPath));
    if (!coldExists) made.coldkey = await this.createColdkey(options.coldkey);
    const hotExists =
      (await keyfileExists(this.hotkeyPath)) || (await keyfileExists(this.hotkeypubPath));
    if (!hotExists) made.hotkey = await this.createHotkey(options.hotkey);
    return made;
  }

  /** Rebuilds the coldkey from a mnemonic, seed or secret URI and writes it. */
  async regenerateColdkey(source: KeySource, options: CreateKeyOptions = {}): Promise<Keypair> {
    const pair = keypairFromSource(source);
    await this.#writeColdkey(pair, options);
    return pair;
  }

  /** Rebuilds the hotkey from a mnemonic, seed or secret URI and writes it. */
  async regenerateHotkey(source: KeySource, options: CreateKeyOptions = {}): Promise<Keypair> {
    const pair = keypairFromSource(source);
    await this.#writeHotkey(pair, options);
    return pair;
  }

  /** Writes `coldkeypub.txt` alone (a watch-only wallet) from an address or public key. */
  async regenerateColdkeypub(
    source: { ss58Address: string } | { publicKey: string },
    options: { overwrite?: boolean } = {},
  ): Promise<Keypair> {
    const pair =
      'ss58Address' in source
        ? Keypair.fromAddress(source.ss58Address, null)
        : Keypair.fromPublicKey(source.publicKey);
    await this.#writePub(this.coldkeypubPath, pair, options.overwrite);
    return pair;
  }

  async #writeColdkey(pair: Keypair, options: CreateKeyOptions): Promise<void> {
    const encrypt = options.password !== undefined || (options.encrypt ?? true);
    await this.#writePair(this.coldkeyPath, this.coldkeypubPath, pair, encrypt, options);
  }

  async #writeHotkey(pair: Keypair, options: CreateKeyOptions): Promise<void> {
    const encrypt = options.password !== undefined || (options.encrypt ?? false);
    await this.#writePair(this.hotkeyPath, this.hotkeypubPath, pair, encrypt, options);
  }

  async #writePair(
    secretPath: string,
    pubPath: string,
    pair: Keypair,
    encrypt: boolean,
    options: CreateKeyOptions,
  ): Promise<void> {
    // Check both files before writing either, so a refusal leaves nothing half-written.
    const pubState = await this.#pubState(pubPath, pair);
    if (!options.overwrite) {
      if (await keyfileExists(secretPath)) {
        throw new WalletError(
          'KEYFILE_EXISTS',
          `${secretPath} already exists; refusing to overwrite it (pass overwrite / --overwrite to replace it)`,
        );
      }
      if (pubState === 'other') {
        throw new WalletError(
          'KEYFILE_EXISTS',
          `${pubPath} already exists for another key; refusing to overwrite it (pass overwrite / --overwrite to replace it)`,
        );
      }
    }
    await saveKeypair(
      secretPath,
      pair,
      { ...this.#sources(options.password), encrypt, overwrite: options.overwrite },
      this.#components,
    );
    if (pubState !== 'same') await this.#writePub(pubPath, pair, true);
  }

  /** Whether a pub file is absent, already describes `pair`, or holds something else. */
  async #pubState(path: string, pair: Keypair): Promise<'absent' | 'same' | 'other'> {
    if (!(await keyfileExists(path))) return 'absent';
    try {
      const existing = keypairFromKeyfileData(parseKeyfileData(await readKeyfileBytes(path)));
      return existing.ss58Address === pair.ss58Address ? 'same' : 'other';
    } catch {
      return 'other';
    }
  }

  async #writePub(path: string, pair: Keypair, overwrite?: boolean): Promise<void> {
    await savePublicKeypair(path, pair, { overwrite });
  }

  // ---- load

  /** Decrypts the coldkey: password from `options`, else `BT_PW_…`, else `askPassword`. */
  async unlockColdkey(options: UnlockOptions = {}): Promise<Keypair> {
    return loadKeypair(this.coldkeyPath, this.#sources(options.password), this.#components);
  }

  /** The coldkey's public key, from `coldkeypub.txt` (no password). */
  async getColdkeypub(): Promise<Keypair> {
    return loadKeypair(this.coldkeypubPath, {}, this.#components);
  }

  /** The hotkey with its secret (asks for a password only if the file is encrypted). */
  async getHotkey(options: UnlockOptions = {}): Promise<Keypair> {
    return loadKeypair(this.hotkeyPath, this.#sources(options.password), this.#components);
  }

  /** The hotkey's public key: `<hotkey>pub.txt`, else the plaintext hotkey file itself. */
  async getHotkeypub(): Promise<Keypair> {
    if (await keyfileExists(this.hotkeypubPath)) {
      return loadKeypair(this.hotkeypubPath, {}, this.#components);
    }
    const data = await readKeyfileBytes(this.hotkeyPath);
    if (keyfileEncoding(data) !== 'plaintext') {
      throw new WalletError(
        'KEYFILE_ENCRYPTED',
        `${this.hotkeyPath} is encrypted and ${this.hotkeypubPath} does not exist: unlock the hotkey to see its address`,
      );
    }
    const pair = keypairFromKeyfileData(parseKeyfileData(data));
    return Keypair.fromPublicKey(pair.publicKey);
  }

  /** How the coldkey file is stored (`nacl`, `plaintext`, or a legacy format). */
  async coldkeyEncoding(): Promise<KeyfileEncoding> {
    return keyfileEncoding(await readKeyfileBytes(this.coldkeyPath));
  }

  /** Names of the hotkeys stored in this wallet (secret files and pub-only ones), sorted. */
  async listHotkeys(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.hotkeysDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const names = new Set<string>();
    for (const entry of entries) {
      if (entry.startsWith('.')) continue; // temp files and dotfiles
      names.add(entry.endsWith('pub.txt') ? entry.slice(0, -'pub.txt'.length) : entry);
    }
    return [...names].filter((n) => n.length > 0).sort();
  }
}

function keypairFromSource(source: KeySource): Keypair {
  if ('mnemonic' in source) return Keypair.fromMnemonic(source.mnemonic);
  if ('seed' in source) return Keypair.fromSeed(source.seed);
  if ('uri' in source) return Keypair.fromUri(source.uri);
  throw new WalletError('INVALID_MNEMONIC', 'pass one of mnemonic, seed or uri');
}

/** Factory (options, components), as everywhere in subnetkit. */
export function createWallet(options: WalletOptions = {}, components: WalletComponents = {}) {
  return new Wallet(options, components);
}

export interface WalletSummary {
  name: string;
  /** Coldkey address from `coldkeypub.txt`, if present and readable. */
  coldkeyAddress?: string;
  coldkeyEncoding?: KeyfileEncoding;
  hotkeys: { name: string; address?: string }[];
}

/** Every wallet under `path` (default as {@link Wallet}), with public addresses only. */
export async function listWallets(
  options: Pick<WalletOptions, 'path' | 'env'> = {},
): Promise<WalletSummary[]> {
  const env = options.env ?? process.env;
  const root = expandHome(pick(options.path, env.BT_WALLET_PATH, DEFAULT_WALLET_PATH));
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: WalletSummary[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort(byName)) {
    let wallet: Wallet;
    try {
      wallet = new Wallet({ name: entry.name, hotkey: DEFAULT_HOTKEY_NAME, path: root, env });
    } catch {
      continue; // not a name a wallet can have
    }
    const summary: WalletSummary = { name: entry.name, hotkeys: [] };
    summary.coldkeyAddress = await wallet.getColdkeypub().then(
      (k) => k.ss58Address,
      () => undefined,
    );
    summary.coldkeyEncoding = await wallet.coldkeyEncoding().catch(() => undefined);
    for (const hotkey of await wallet.listHotkeys()) {
      let address: string | undefined;
      try {
        address = (await wallet.withHotkey(hotkey).getHotkeypub()).ss58Address;
      } catch {
        address = undefined;
      }
      summary.hotkeys.push({ name: hotkey, address });
    }
    out.push(summary);
  }
  return out;
}

const byName = (a: { name: string }, b: { name: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
