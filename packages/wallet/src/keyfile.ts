// Reading and writing keyfiles on disk: mode 0600, atomic writes, no silent overwrite, and
// password lookup (explicit → BT_PW_* env var → prompt), as btwallet's `Keyfile` does it.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WalletError } from './errors.js';
import {
  assertSupportedEncoding,
  decodeEnvPassword,
  decryptKeyfileData,
  encryptKeyfileData,
  type KeyDerivation,
  type KeyfileEncoding,
  keyfileEncoding,
  passwordEnvVarName,
} from './keyfile-crypto.js';
import {
  keypairFromKeyfileData,
  keypairToKeyfileData,
  parseKeyfileData,
  publicKeyfileData,
  serializeKeyfileData,
} from './keyfile-json.js';
import type { Keypair } from './keypair.js';

export const KEYFILE_MODE = 0o600;
export const WALLET_DIR_MODE = 0o700;

/** What a password prompt is told: which file, why, and the env var that could have held it. */
export interface PasswordRequest {
  path: string;
  /** `unlock` to decrypt an existing file, `encrypt` to protect a new one. */
  purpose: 'unlock' | 'encrypt';
  envVarName: string;
}

/** Asks someone for a password; `undefined` means nobody can answer (→ PASSWORD_REQUIRED). */
export type PasswordPrompt = (request: PasswordRequest) => Promise<string | undefined>;

/** Where a password can come from, in this order: `password`, `env[BT_PW_…]`, `askPassword`. */
export interface PasswordSources {
  password?: string;
  /** Environment to read `BT_PW_…` from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  askPassword?: PasswordPrompt;
}

export interface KeyfileCryptoComponents {
  /** Password → key; defaults to the real btwallet Argon2i parameters. */
  kdf?: KeyDerivation;
}

function fsError(err: unknown, path: string, action: string): WalletError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new WalletError('KEYFILE_NOT_FOUND', `no keyfile at ${path}`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') {
    return new WalletError('KEYFILE_UNREADABLE', `cannot ${action} ${path}: ${code}`, {
      cause: err,
    });
  }
  return new WalletError('KEYFILE_UNREADABLE', `cannot ${action} ${path}: ${String(err)}`, {
    cause: err,
  });
}

/** The raw bytes of a keyfile. */
export async function readKeyfileBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw fsError(err, path, 'read');
  }
}

export async function keyfileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw fsError(err, path, 'stat');
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Makes the rename durable; some platforms cannot open a directory, which is fine to skip.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

/**
 * Writes `data` to `path` atomically: a temp file in the same directory (mode 0600), fsync,
 * then rename. Without `overwrite`, an existing file is never replaced (`KEYFILE_EXISTS`);
 * the check and the publish are one `link(2)`, so a concurrent writer cannot slip in between.
 * Missing parent directories are created with mode 0700.
 */
export async function writeKeyfileBytes(
  path: string,
  data: Uint8Array,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true, mode: WALLET_DIR_MODE });
  } catch (err) {
    throw fsError(err, dir, 'create directory');
  }
  if (!options.overwrite && (await keyfileExists(path))) {
    throw existsError(path);
  }
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temp, 'wx', KEYFILE_MODE);
  } catch (err) {
    throw fsError(err, temp, 'create');
  }
  try {
    try {
      await handle.writeFile(data);
      await handle.chmod(KEYFILE_MODE); // exact 0600 whatever the umask, as btwallet sets it
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite) {
      await rename(temp, path);
    } else {
      await publishExclusive(temp, path);
    }
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    if (err instanceof WalletError) throw err;
    throw fsError(err, path, 'write');
  }
  await fsyncDirectory(dir);
}

function existsError(path: string): WalletError {
  return new WalletError(
    'KEYFILE_EXISTS',
    `${path} already exists; refusing to overwrite it (pass overwrite / --overwrite to replace it)`,
  );
}

async function publishExclusive(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw existsError(path);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') {
      throw err;
    }
    // No hard links on this file system: check, then rename (a small race remains).
    if (await keyfileExists(path)) throw existsError(path);
    await rename(temp, path);
    return;
  }
  await unlink(temp);
}

/** True when a keyfile can be read or written by group or others (mode wider than 0600). */
export async function keyfileModeIsLoose(path: string): Promise<boolean> {
  try {
    return ((await stat(path)).mode & 0o077) !== 0;
  } catch (err) {
    throw fsError(err, path, 'stat');
  }
}

/** Password for `path`: explicit → `BT_PW_…` env var (btwallet obfuscation) → prompt. */
export async function resolvePassword(
  path: string,
  purpose: PasswordRequest['purpose'],
  sources: PasswordSources,
): Promise<string> {
  if (sources.password !== undefined) return checkPassword(sources.password, purpose, path);
  const envVarName = passwordEnvVarName(path);
  const env = sources.env ?? process.env;
  const fromEnv = env[envVarName];
  if (fromEnv !== undefined && fromEnv !== '') {
    return checkPassword(decodeEnvPassword(envVarName, fromEnv), purpose, path);
  }
  const asked = sources.askPassword
    ? await sources.askPassword({ path, purpose, envVarName })
    : undefined;
  if (asked === undefined) {
    throw new WalletError(
      'PASSWORD_REQUIRED',
      `${path} needs a password to ${purpose === 'unlock' ? 'decrypt' : 'encrypt'} it: pass one, ` +
        `set ${envVarName} (btwallet's obfuscated form), or run interactively`,
    );
  }
  return checkPassword(asked, purpose, path);
}

function checkPassword(password: string, purpose: PasswordRequest['purpose'], path: string) {
  if (typeof password !== 'string') {
    throw new WalletError('PASSWORD_REQUIRED', `password for ${path} must be a string`);
  }
  if (purpose === 'encrypt' && password.length === 0) {
    throw new WalletError(
      'PASSWORD_REQUIRED',
      `refusing to encrypt ${path} with an empty password`,
    );
  }
  return password;
}

export interface KeyfileInfo {
  path: string;
  encoding: KeyfileEncoding;
}

/** How the file at `path` is stored (without decrypting it). */
export async function inspectKeyfile(path: string): Promise<KeyfileInfo> {
  return { path, encoding: keyfileEncoding(await readKeyfileBytes(path)) };
}

/**
 * Loads the keypair stored at `path`, decrypting it when it is encrypted (the password is
 * only asked for then).
 */
export async function loadKeypair(
  path: string,
  sources: PasswordSources = {},
  components: KeyfileCryptoComponents = {},
): Promise<Keypair> {
  let data = await readKeyfileBytes(path);
  const encoding = keyfileEncoding(data);
  if (encoding !== 'plaintext') {
    assertSupportedEncoding(data); // legacy formats fail before anyone is asked a password
    const password = await resolvePassword(path, 'unlock', sources);
    data = await decryptKeyfileData(data, password, { kdf: components.kdf });
  }
  try {
    return keypairFromKeyfileData(parseKeyfileData(data));
  } catch (err) {
    if (err instanceof WalletError) {
      throw new WalletError(err.code, `${path}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

export interface SaveKeypairOptions extends PasswordSources {
  /** Encrypt with `$NACL` (the password comes from {@link PasswordSources}). */
  encrypt: boolean;
  overwrite?: boolean;
}

/** Writes the full keypair (secret included) to `path`, encrypted or not. */
export async function saveKeypair(
  path: string,
  keypair: Keypair,
  options: SaveKeypairOptions,
  components: KeyfileCryptoComponents = {},
): Promise<void> {
  if (!keypair.hasSecret) {
    throw new WalletError('PUBLIC_KEY_ONLY', `cannot write ${path}: the keypair has no secret`);
  }
  if (!options.overwrite && (await keyfileExists(path))) throw existsError(path);
  let data = serializeKeyfileData(keypairToKeyfileData(keypair));
  if (options.encrypt) {
    const password = await resolvePassword(path, 'encrypt', options);
    data = await encryptKeyfileData(data, password, { kdf: components.kdf });
  }
  await writeKeyfileBytes(path, data, { overwrite: options.overwrite });
}

/** Writes the public fields only (`coldkeypub.txt`, `<hotkey>pub.txt`), plaintext. */
export async function savePublicKeypair(
  path: string,
  keypair: Keypair,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  await writeKeyfileBytes(path, serializeKeyfileData(publicKeyfileData(keypair)), options);
}
