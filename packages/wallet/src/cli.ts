#!/usr/bin/env node
// subnetkit-wallet: create, regenerate, list and show btcli-compatible wallets for local use.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WalletError } from './errors.js';
import {
  keyfileExists,
  keyfileModeIsLoose,
  type PasswordPrompt,
  readKeyfileBytes,
} from './keyfile.js';
import {
  encodeEnvPassword,
  type KeyDerivation,
  type KeyfileEncoding,
  keyfileEncoding,
  NACL_PREFIX,
} from './keyfile-crypto.js';
import { keypairFromKeyfileData, parseKeyfileData } from './keyfile-json.js';
import type { Keypair } from './keypair.js';
import type { MnemonicWordCount } from './mnemonic.js';
import { type KeySource, listWallets, Wallet } from './wallet.js';

export const HELP = `subnetkit-wallet: btcli-compatible wallets for local development

This tool is enough for local use (dev chains, tests, demos). For real funds use btcli
(pip install bittensor-cli): it is the reference tool and the one audited for that job.

Usage: subnetkit-wallet <command> [options]

Commands:
  create                  a coldkey (unless one exists) and a hotkey (unless it exists)
  create coldkey          a new coldkey, encrypted unless --no-password
  create hotkey           a new hotkey, plaintext unless --use-password
  regen coldkey           rebuild the coldkey from --mnemonic, --seed or --uri
  regen hotkey            rebuild the hotkey from --mnemonic, --seed or --uri
  regen coldkeypub        write coldkeypub.txt alone from --ss58 or --public-key
  list                    every wallet under the wallet path, with addresses
  show                    one wallet: coldkey and hotkey addresses, how each file is stored
  password-env            print the BT_PW_... variable that supplies the coldkey password
                          without a prompt (reads the password from the terminal or stdin)

Options:
  --wallet.name NAME      wallet name      (env BT_WALLET_NAME, default "default")
  --wallet.hotkey NAME    hotkey name      (env BT_WALLET_HOTKEY, default "default")
  --wallet.path DIR       wallets root     (env BT_WALLET_PATH, default ~/.bittensor/wallets)
  --no-password           coldkey: store it unencrypted (not for real funds)
  --use-password          hotkey: encrypt it with a password
  --overwrite             replace existing key files (default: refuse)
  --words N               mnemonic length for new keys: 12 (default), 15, 18, 21 or 24
  --mnemonic "WORDS"      regen: the BIP39 mnemonic
  --seed 0xHEX            regen: the 32-byte seed
  --uri URI               regen: a secret URI such as //Alice or "<mnemonic>//hard/soft"
  --ss58 ADDRESS          regen coldkeypub: the SS58 address
  --public-key 0xHEX      regen coldkeypub: the 32-byte public key
  --json                  machine-readable output (list, show)
  -h, --help              this help

Passwords are asked on the terminal without echo (twice when encrypting). Without a terminal
they come from the BT_PW_<PATH> variable btcli/btwallet use (see password-env).

Exit codes: 0 success, 1 wallet error (the message names its code), 2 usage error.
`;

/** Where the CLI reads and writes; every field replaceable for tests. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  /** Asks a question without echo; absent when there is no terminal. */
  readSecret?: (question: string) => Promise<string>;
  /** Reads a password piped on stdin (used by password-env without a terminal). */
  readStdin?: () => Promise<string>;
}

export interface CliComponents {
  kdf?: KeyDerivation;
}

class UsageError extends Error {}

const OPTIONS = {
  'wallet.name': { type: 'string' },
  'wallet.hotkey': { type: 'string' },
  'wallet.path': { type: 'string' },
  'wallet-name': { type: 'string' },
  'wallet-hotkey': { type: 'string' },
  'wallet-path': { type: 'string' },
  'no-password': { type: 'boolean' },
  'use-password': { type: 'boolean' },
  overwrite: { type: 'boolean' },
  words: { type: 'string' },
  mnemonic: { type: 'string' },
  seed: { type: 'string' },
  uri: { type: 'string' },
  ss58: { type: 'string' },
  'public-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const error = err as Error & { code?: string };
    const unknown = /^Unknown option '(-{1,2}[^'=]+)/.exec(error.message)?.[1];
    if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== undefined) {
      const hint = suggestFlag(unknown);
      throw new UsageError(`unknown flag ${unknown}${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
    throw new UsageError(error.message);
  }
}

/** Edit distance (insertions, deletions, substitutions) between two strings. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + cost);
    }
    row = next;
  }
  return row[b.length]!;
}

/** The known flag closest to `flag` (e.g. `--jsn` → `--json`), when one is close enough. */
export function suggestFlag(flag: string): string | undefined {
  const name = flag.replace(/^-+/, '');
  const norm = (s: string) => s.replace(/[-_.]/g, '').toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const known of Object.keys(OPTIONS)) {
    const d = norm(known) === norm(name) ? 0 : editDistance(name.toLowerCase(), known);
    if (best === undefined || d < best.d) best = { name: known, d };
  }
  if (best && best.d <= Math.max(2, Math.floor(name.length / 4))) return `--${best.name}`;
  return undefined;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(
  argv: string[],
  io: Partial<CliIo> = {},
  components: CliComponents = {},
): Promise<number> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  const full: CliIo = {
    stdout: out,
    stderr: err,
    env: io.env ?? process.env,
    readSecret: 'readSecret' in io ? io.readSecret : defaultReadSecret(),
    readStdin: io.readStdin,
  };
  try {
    // `pnpm <script> -- args` passes the `--` on (npm drops it).
    const { values, positionals } = parse(argv[0] === '--' ? argv.slice(1) : argv);
    if (values.help || positionals.length === 0) {
      out.write(HELP);
      return positionals.length === 0 && !values.help ? 2 : 0;
    }
    await run(positionals, values, full, components);
    return 0;
  } catch (error) {
    if (error instanceof ShowFailed) return 1;
    if (error instanceof UsageError) {
      err.write(`error: ${error.message}\nRun subnetkit-wallet --help for usage.\n`);
      return 2;
    }
    if (error instanceof WalletError) {
      err.write(`error [${error.code}]: ${error.message}\n`);
      return 1;
    }
    err.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

function walletFrom(values: Values, io: CliIo, components: CliComponents): Wallet {
  return new Wallet(
    {
      name: values['wallet.name'] ?? values['wallet-name'],
      hotkey: values['wallet.hotkey'] ?? values['wallet-hotkey'],
      path: values['wallet.path'] ?? values['wallet-path'],
      env: io.env,
    },
    { kdf: components.kdf, askPassword: passwordPrompt(io) },
  );
}

function passwordPrompt(io: CliIo): PasswordPrompt {
  return async ({ path, purpose }) => {
    const read = io.readSecret;
    if (!read) return undefined;
    if (purpose === 'unlock') return read(`Password to unlock ${path}: `);
    const first = await read(`New password for ${path}: `);
    if (first.length === 0) throw new UsageError('the password must not be empty');
    const again = await read('Retype the password: ');
    if (first !== again) throw new UsageError('the two passwords differ; nothing was written');
    return first;
  };
}

function words(values: Values): MnemonicWordCount | undefined {
  if (values.words === undefined) return undefined;
  const n = Number(values.words);
  if (![12, 15, 18, 21, 24].includes(n)) {
    throw new UsageError(`--words must be 12, 15, 18, 21 or 24, got ${values.words}`);
  }
  return n as MnemonicWordCount;
}

function keySource(values: Values): KeySource {
  const given = (['mnemonic', 'seed', 'uri'] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) {
    throw new UsageError('regen needs exactly one of --mnemonic, --seed or --uri');
  }
  const key = given[0]!;
  const value = values[key]!;
  return key === 'mnemonic'
    ? { mnemonic: value }
    : key === 'seed'
      ? { seed: value }
      : { uri: value };
}

function expectArgs(positionals: string[], allowed: string[], max: number): void {
  if (positionals.length > max) {
    throw new UsageError(`unexpected argument "${positionals[max]}"`);
  }
  const sub = positionals[1];
  if (sub !== undefined && !allowed.includes(sub)) {
    throw new UsageError(
      `"${positionals[0]} ${sub}" is not a command; use one of: ${allowed.map((a) => `${positionals[0]} ${a}`).join(', ')}`,
    );
  }
}

async function run(
  positionals: string[],
  values: Values,
  io: CliIo,
  components: CliComponents,
): Promise<void> {
  const [command, sub] = positionals;
  if (values['no-password'] && values['use-password']) {
    throw new UsageError('--no-password and --use-password cannot be used together');
  }
  const wallet = () => walletFrom(values, io, components);
  const coldOptions = () => ({
    encrypt: !values['no-password'],
    overwrite: values.overwrite ?? false,
    words: words(values),
  });
  const hotOptions = () => ({
    encrypt: values['use-password'] ?? false,
    overwrite: values.overwrite ?? false,
    words: words(values),
  });
  switch (command) {
    case 'create': {
      expectArgs(positionals, ['coldkey', 'hotkey'], 2);
      const w = wallet();
      if (sub === 'coldkey') {
        announce(io, w, 'coldkey', await w.createColdkey(coldOptions()), w.coldkeyPath);
      } else if (sub === 'hotkey') {
        announce(io, w, 'hotkey', await w.createHotkey(hotOptions()), w.hotkeyPath);
      } else {
        const made = await w.createIfMissing({ coldkey: coldOptions(), hotkey: hotOptions() });
        if (made.coldkey) announce(io, w, 'coldkey', made.coldkey, w.coldkeyPath);
        else io.stdout.write(`Coldkey of wallet '${w.name}' already exists; kept it.\n`);
        if (made.hotkey) announce(io, w, 'hotkey', made.hotkey, w.hotkeyPath);
        else io.stdout.write(`Hotkey '${w.hotkey}' already exists; kept it.\n`);
      }
      return;
    }
    case 'regen': {
      expectArgs(positionals, ['coldkey', 'hotkey', 'coldkeypub'], 2);
      if (sub === undefined) throw new UsageError('regen needs coldkey, hotkey or coldkeypub');
      const w = wallet();
      if (sub === 'coldkeypub') {
        const given = [values.ss58, values['public-key']].filter((v) => v !== undefined);
        if (given.length !== 1) {
          throw new UsageError('regen coldkeypub needs exactly one of --ss58 or --public-key');
        }
        const pair = await w.regenerateColdkeypub(
          values.ss58 !== undefined
            ? { ss58Address: values.ss58 }
            : { publicKey: values['public-key']! },
          { overwrite: values.overwrite ?? false },
        );
        io.stdout.write(`Wrote ${w.coldkeypubPath}\ncoldkey ${pair.ss58Address}\n`);
        return;
      }
      const source = keySource(values);
      const pair =
        sub === 'coldkey'
          ? await w.regenerateColdkey(source, coldOptions())
          : await w.regenerateHotkey(source, hotOptions());
      const path = sub === 'coldkey' ? w.coldkeyPath : w.hotkeyPath;
      io.stdout.write(`Wrote ${path}\n${sub} ${pair.ss58Address}\n`);
      return;
    }
    case 'list': {
      expectArgs(positionals, [], 1);
      const w = wallet();
      const wallets = await listWallets({ path: w.path, env: io.env });
      // Each wallet's files are judged as `show` judges them: a damaged file is unreadable.
      const found = await Promise.all(
        wallets.map(async (entry) => {
          const at = (hotkey?: string) =>
            new Wallet({ name: entry.name, hotkey, path: w.path, env: io.env });
          const coldpub = await fileReport(at().coldkeypubPath);
          if (coldpub.exists) await readAddress(coldpub);
          const hotkeys = await Promise.all(
            entry.hotkeys.map(({ name }) => inspectHotkey(at(name))),
          );
          return { coldpub, hotkeys };
        }),
      );
      const failed = found.flatMap(({ coldpub, hotkeys }) =>
        problems(coldpub, ...hotkeys.flatMap(({ hot, hotpub }) => [hotpub, hot])),
      );
      if (values.json) {
        const listed = wallets.map((entry, i) => ({
          ...entry,
          coldkeypubProblem: found[i]!.coldpub.problem,
          hotkeys: entry.hotkeys.map(({ name }, j) => {
            const { hot, hotpub } = found[i]!.hotkeys[j]!;
            return { name, address: hot.address, problem: hot.problem ?? hotpub.problem };
          }),
        }));
        io.stdout.write(`${JSON.stringify({ path: w.path, wallets: listed }, null, 2)}\n`);
      } else {
        io.stdout.write(`Wallets in ${w.path}:\n`);
        if (wallets.length === 0) io.stdout.write('  (none)\n');
        wallets.forEach((entry, i) => {
          const { coldpub, hotkeys } = found[i]!;
          io.stdout.write(
            `  ${entry.name}  coldkey ${describeColdkeypub(coldpub)}${describeEncoding(entry.coldkeyEncoding)}\n`,
          );
          entry.hotkeys.forEach(({ name }, j) => {
            const { hot, hotpub } = hotkeys[j]!;
            io.stdout.write(`    hotkey ${name}  ${describeHotkey(hot, hotpub)}\n`);
          });
        });
      }
      reportUnreadable(failed, io);
      if (failed.length > 0) throw new ShowFailed();
      return;
    }
    case 'show': {
      expectArgs(positionals, [], 1);
      await show(wallet(), values, io);
      return;
    }
    case 'password-env': {
      expectArgs(positionals, [], 1);
      const w = wallet();
      const password = io.readSecret
        ? await io.readSecret(`Password of ${w.coldkeyPath}: `)
        : await (io.readStdin ?? readAllStdin)();
      if (password.length === 0) throw new UsageError('the password must not be empty');
      // When the coldkey exists, check the password before printing something that fails later.
      if (await keyfileExists(w.coldkeyPath)) await w.unlockColdkey({ password });
      const name = w.coldkeyPasswordEnvVar;
      io.stdout.write(`export ${name}='${encodeEnvPassword(name, password)}'\n`);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        // btwallet builds the name from the path, so a "-" in a directory name ends up in it.
        io.stderr.write(
          `Note: ${name} is not a valid shell variable name; set it with env(1): env '${name}=…' <command>\n`,
        );
      }
      io.stderr.write(
        'Note: this value is obfuscated, not encrypted; anyone who can read it can recover the password.\n',
      );
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function describeEncoding(encoding: KeyfileEncoding | undefined): string {
  switch (encoding) {
    case undefined:
      return ' (no coldkey file)';
    case 'nacl':
      return ' (coldkey encrypted, $NACL)';
    case 'plaintext':
      return ' (coldkey NOT encrypted)';
    default:
      return ` (coldkey in legacy ${encoding} format: re-encrypt it with btcli)`;
  }
}

function announce(io: CliIo, w: Wallet, kind: string, pair: Keypair, path: string): void {
  io.stdout.write(
    `Wrote ${path}\n${kind} ${pair.ss58Address}\n` +
      '\nIMPORTANT: store this mnemonic somewhere safe and offline. Anyone who has it controls ' +
      `the key; it is the only way to recover the ${kind} if the file is lost.\n` +
      `The mnemonic of the new ${kind} of wallet '${w.name}' is:\n\n    ${pair.mnemonic}\n\n`,
  );
}

/** What `show` found in one key file: its address, or why it has none. */
interface FileReport {
  path: string;
  exists: boolean;
  address: string | undefined;
  loose: boolean;
  /** How the file is stored (hotkey: read from the file itself). */
  encoding?: KeyfileEncoding;
  /** Why the file could not be read (truncated, not JSON, fields that disagree, …). */
  problem?: string;
}

function reason(error: unknown, path: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

async function fileReport(path: string): Promise<FileReport> {
  const exists = await keyfileExists(path);
  const loose = exists ? await keyfileModeIsLoose(path) : false;
  return { path, exists, address: undefined, loose };
}

/** The address in a public (or plaintext) keyfile, or the reason it cannot be read. */
async function readAddress(report: FileReport): Promise<void> {
  try {
    const data = await readKeyfileBytes(report.path);
    report.address = keypairFromKeyfileData(parseKeyfileData(data)).ss58Address;
  } catch (error) {
    report.problem = reason(error, report.path);
  }
}

/** The selected hotkey of `w` and its pub file, read without a password (for show and list). */
async function inspectHotkey(w: Wallet): Promise<{ hot: FileReport; hotpub: FileReport }> {
  const hot = await fileReport(w.hotkeyPath);
  const hotpub = await fileReport(w.hotkeypubPath);
  if (hotpub.exists) await readAddress(hotpub);
  if (hot.exists) {
    const data = await readKeyfileBytes(hot.path);
    hot.encoding = keyfileEncoding(data);
    if (hot.encoding === 'plaintext') {
      // The keyfile itself says what the address is; a damaged one has none, whatever the pub says.
      await readAddress(hot);
    } else if (hot.encoding === 'nacl' && data.length <= NACL_MIN_BYTES) {
      hot.problem = `truncated: ${data.length} bytes, too short for a $NACL keyfile`;
    } else {
      hot.address = hotpub.address;
    }
  } else {
    hot.address = hotpub.address;
  }
  return { hot, hotpub };
}

const problems = (...reports: FileReport[]): FileReport[] =>
  reports.filter((f) => f.problem !== undefined);

function reportUnreadable(failed: FileReport[], io: CliIo): void {
  for (const entry of failed) {
    io.stderr.write(`error: ${entry.path} is unreadable: ${entry.problem}\n`);
  }
}

async function show(w: Wallet, values: Values, io: CliIo): Promise<void> {
  const cold = await fileReport(w.coldkeyPath);
  const coldpub = await fileReport(w.coldkeypubPath);
  const { hot, hotpub } = await inspectHotkey(w);
  if (!cold.exists && !coldpub.exists && !hot.exists && !hotpub.exists) {
    throw new WalletError(
      'WALLET_NOT_FOUND',
      `no wallet '${w.name}' at ${w.walletDir}: none of coldkey, coldkeypub.txt or hotkeys/${w.hotkey} exists`,
    );
  }
  if (coldpub.exists) await readAddress(coldpub);
  const coldEncoding = cold.exists ? await w.coldkeyEncoding() : undefined;
  const failed = problems(coldpub, hotpub, hot);
  if (values.json) {
    const { exists, address, loose, problem } = coldpub;
    io.stdout.write(
      `${JSON.stringify(
        {
          name: w.name,
          path: w.path,
          coldkey: {
            path: cold.path,
            exists: cold.exists,
            address: address ?? null,
            loose: cold.loose,
            encoding: coldEncoding ?? null,
            coldkeypub: { path: coldpub.path, exists, loose, problem: problem ?? null },
          },
          hotkey: {
            name: w.hotkey,
            path: hot.path,
            exists: hot.exists,
            address: hot.address ?? null,
            loose: hot.loose,
            encoding: hot.encoding ?? null,
            problem: hot.problem ?? null,
            hotkeypub: {
              path: hotpub.path,
              exists: hotpub.exists,
              problem: hotpub.problem ?? null,
            },
          },
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout.write(`${w}\n`);
    io.stdout.write(`  coldkey  ${describeColdkeypub(coldpub)}${describeEncoding(coldEncoding)}\n`);
    io.stdout.write(`  hotkey   ${w.hotkey}  ${describeHotkey(hot, hotpub)}\n`);
  }
  reportUnreadable(failed, io);
  for (const entry of [cold, coldpub, hot, hotpub]) {
    if (entry.loose) {
      io.stderr.write(
        `warning: ${entry.path} is readable by other users; run: chmod 600 '${entry.path}'\n`,
      );
    }
  }
  if (failed.length > 0) throw new ShowFailed();
}

/** `show`/`list` printed what it could and named the damaged files; exit 1 without another message. */
class ShowFailed extends Error {}

/** `$NACL` + nonce (24) + Poly1305 tag (16): an encrypted keyfile is longer than that. */
const NACL_MIN_BYTES = NACL_PREFIX.length + 24 + 16;

function describeColdkeypub(coldpub: FileReport): string {
  if (coldpub.problem) return `? (coldkeypub.txt malformed: ${coldpub.problem})`;
  return coldpub.address ?? '(no coldkeypub.txt)';
}

function describeHotkey(hot: FileReport, hotpub: FileReport): string {
  if (hot.problem) return `? (hotkey file unreadable: ${hot.problem})`;
  if (!hot.exists) {
    if (hotpub.problem) return `? (pub file malformed: ${hotpub.problem}; no hotkey file)`;
    return hotpub.address
      ? `${hotpub.address} (pub file only, no hotkey file)`
      : '(no hotkey file)';
  }
  if (hot.encoding === 'plaintext') return `${hot.address} (hotkey NOT encrypted)`;
  if (hotpub.problem) return `? (encrypted; pub file malformed: ${hotpub.problem})`;
  return hot.address ? `${hot.address} (hotkey encrypted)` : '? (encrypted, no pub file)';
}

/** All of stdin, without one trailing newline. */
async function readAllStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk.toString();
  return text.replace(/\r?\n$/, '');
}

/** The parts of a TTY input stream the secret reader uses. */
export interface SecretInput {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/**
 * Reads a line from a terminal with echo off (raw mode: nothing typed is written back);
 * Backspace edits, Enter or Ctrl-D ends, Ctrl-C cancels. Undefined when `input` is no TTY.
 */
export function terminalSecretReader(
  input: SecretInput,
  output: { write(text: string): unknown },
): ((question: string) => Promise<string>) | undefined {
  const setRawMode = input.setRawMode?.bind(input);
  if (!input.isTTY || !setRawMode) return undefined;
  return (question) =>
    new Promise((resolve, reject) => {
      output.write(question);
      let value = '';
      const done = (error?: Error) => {
        input.removeListener('data', onData);
        setRawMode(false);
        input.pause();
        output.write('\n');
        if (error) reject(error);
        else resolve(value);
      };
      const onData = (chunk: Buffer | string) => {
        for (const ch of chunk.toString()) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
          if (ch === '\u0003') return done(new UsageError('cancelled'));
          if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
          else if (ch >= ' ') value += ch;
        }
      };
      setRawMode(true);
      input.resume();
      input.on('data', onData);
    });
}

const defaultReadSecret = () => terminalSecretReader(process.stdin, process.stderr);

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await main(process.argv.slice(2));
}
