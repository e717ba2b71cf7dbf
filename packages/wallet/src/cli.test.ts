import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, HELP, main, suggestFlag, terminalSecretReader } from './cli.js';
import { argon2iKdf, keyfileEncoding } from './keyfile-crypto.js';
import { createWallet } from './wallet.js';

const kdf = argon2iKdf({ opsLimit: 3, memLimitBytes: 8 * 1024 * 1024 });
const MNEMONIC = 'caution juice atom organ advance problem want pledge someone senior holiday very';
const ADDRESS = '5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'subnetkit-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
  asked: string[];
}

/** Runs main() with captured output; `answers` are typed at the (fake) terminal in order. */
async function cli(args: string[], answers?: string[], env: CliIo['env'] = {}): Promise<Run> {
  let out = '';
  let err = '';
  const asked: string[] = [];
  const queue = [...(answers ?? [])];
  const io: Partial<CliIo> = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    readSecret: answers
      ? async (question) => {
          asked.push(question);
          const next = queue.shift();
          if (next === undefined) throw new Error(`unexpected prompt: ${question}`);
          return next;
        }
      : undefined,
    readStdin: async () => 'piped-password',
  };
  const code = await main(args, io, { kdf });
  return { code, out, err, asked };
}

describe('subnetkit-wallet (main)', () => {
  it('prints help that sends real funds to btcli', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(HELP);
    expect(HELP).toMatch(/For real funds use btcli/);
    expect((await cli([])).code).toBe(2);
  });

  it('creates a wallet: encrypted coldkey (password typed twice) and plaintext hotkey', async () => {
    const path = join(root, `w${n++}`);
    const r = await cli(['create', '--wallet.path', path, '--wallet.name', 'a'], ['pw', 'pw']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.asked).toEqual([`New password for ${path}/a/coldkey: `, 'Retype the password: ']);
    const mnemonics = [...r.out.matchAll(/^ {4}(\w+(?: \w+){11})$/gm)].map((m) => m[1]);
    expect(mnemonics).toHaveLength(2);
    const w = createWallet({ name: 'a', path, env: {} }, { kdf });
    expect(await w.coldkeyEncoding()).toBe('nacl');
    expect((await w.unlockColdkey({ password: 'pw' })).mnemonic).toBe(mnemonics[0]);
    expect((await w.getHotkey()).mnemonic).toBe(mnemonics[1]);
    // a second run keeps both
    const again = await cli(['create', '--wallet.path', path, '--wallet.name', 'a'], []);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/Coldkey of wallet 'a' already exists; kept it/);
  });

  it('refuses differing passwords and writes nothing', async () => {
    const path = join(root, `w${n++}`);
    const r = await cli(['create', 'coldkey', '--wallet.path', path], ['one', 'two']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/passwords differ/);
    await expect(stat(join(path, 'default', 'coldkey'))).rejects.toThrow();
  });

  it('without a terminal, needs the BT_PW_ variable and names it', async () => {
    const path = join(root, `w${n++}`);
    const r = await cli(['create', 'coldkey', '--wallet.path', path]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PASSWORD_REQUIRED.*BT_PW__TMP_/);
    // password-env (password piped on stdin) makes that variable; then creation works.
    const envRun = await cli(['password-env', '--wallet.path', path]);
    expect(envRun.code).toBe(0);
    const [, name, value] = envRun.out.match(/^export (BT_PW_[^=]+)='([^']+)'$/m)!;
    const env = { [name!]: value };
    expect((await cli(['create', 'coldkey', '--wallet.path', path], undefined, env)).code).toBe(0);
    const w = createWallet({ path, env: {} }, { kdf });
    expect((await w.unlockColdkey({ password: 'piped-password' })).hasSecret).toBe(true);
  });

  it('regenerates from mnemonic, seed and URI; --no-password; refuses to overwrite', async () => {
    const path = join(root, `w${n++}`);
    const base = ['--wallet.path', path, '--wallet.name', 'r'];
    const cold = await cli(['regen', 'coldkey', '--mnemonic', MNEMONIC, '--no-password', ...base]);
    expect(cold.code).toBe(0);
    expect(cold.out).toContain(`coldkey ${ADDRESS}`);
    const w = createWallet({ name: 'r', path, env: {} });
    expect(await w.coldkeyEncoding()).toBe('plaintext');
    const hot = await cli(['regen', 'hotkey', '--uri', '//Alice', '--wallet.hotkey', 'h', ...base]);
    expect(hot.out).toContain(`hotkey ${ALICE}`);
    const dup = await cli(['regen', 'hotkey', '--uri', '//Bob', '--wallet.hotkey', 'h', ...base]);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/KEYFILE_EXISTS.*--overwrite/);
    const over = await cli([
      ...['regen', 'hotkey', '--uri', '//Bob', '--wallet.hotkey', 'h', '--overwrite', ...base],
    ]);
    expect(over.code).toBe(0);
    const seed = await cli([
      ...['regen', 'hotkey', '--wallet.hotkey', 's', ...base],
      ...['--seed', '0xc8fa03532fb22ee1f7f6908b9c02b4e72483f0dbd66e4cd456b8f34c6230b849'],
    ]);
    expect(seed.out).toContain(`hotkey ${ADDRESS}`);
    expect((await cli(['regen', 'hotkey', ...base])).code).toBe(2);
    const encHot = await cli(
      [
        'regen',
        'hotkey',
        '--mnemonic',
        MNEMONIC,
        '--use-password',
        '--wallet.hotkey',
        'e',
        ...base,
      ],
      ['hp', 'hp'],
    );
    expect(encHot.code).toBe(0);
    const encFile = new Uint8Array(await readFile(join(path, 'r', 'hotkeys', 'e')));
    expect(keyfileEncoding(encFile)).toBe('nacl');
  });

  it('lists and shows wallets with addresses only', async () => {
    const path = join(root, `w${n++}`);
    await cli([
      'regen',
      'coldkeypub',
      '--ss58',
      ADDRESS,
      '--wallet.path',
      path,
      '--wallet.name',
      'x',
    ]);
    await cli(['regen', 'hotkey', '--uri', '//Alice', '--wallet.path', path, '--wallet.name', 'x']);
    const list = await cli(['list', '--wallet.path', path]);
    expect(list.out).toContain(`x  coldkey ${ADDRESS} (no coldkey file)`);
    expect(list.out).toContain(`hotkey default  ${ALICE}`);
    const json = JSON.parse((await cli(['list', '--json', '--wallet.path', path])).out);
    expect(json.wallets[0].hotkeys[0]).toEqual({ name: 'default', address: ALICE });
    const show = await cli(['show', '--wallet.path', path, '--wallet.name', 'x']);
    expect(show.code).toBe(0);
    expect(show.out).toContain(`coldkey  ${ADDRESS}`);
    expect(show.out).toContain(`hotkey   default  ${ALICE}`);
    expect(show.out).not.toMatch(/0x[0-9a-f]{128}/); // no secret key
  });

  it('maps bad input to exit codes: usage 2, wallet errors 1', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['list', '--nope'])).code).toBe(2);
    expect((await cli(['create', 'everything'])).err).toMatch(/not a command/);
    expect((await cli(['create', 'hotkey', '--words', '13', '--wallet.path', root])).code).toBe(2);
    const bad = await cli(['show', '--wallet.name', '../../etc', '--wallet.path', root]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/INVALID_WALLET_NAME/);
    const badSeed = await cli(['regen', 'hotkey', '--seed', '0x12', '--wallet.path', root]);
    expect(badSeed.code).toBe(1);
    expect(badSeed.err).toMatch(/seed must be 32 bytes/);
  });
});

describe('subnetkit-wallet show: missing and damaged files', () => {
  const at = (path: string) => ['--wallet.path', path, '--wallet.name', 'd'];

  it('exits 1 on a missing wallet, naming its directory', async () => {
    const path = join(root, `s${n++}`);
    const r = await cli(['show', ...at(path)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error [WALLET_NOT_FOUND]: no wallet 'd' at ${join(path, 'd')}`);
    expect(r.out).toBe('');
  });

  it('reports a truncated hotkey as unreadable even when its pub file is intact', async () => {
    const path = join(root, `s${n++}`);
    await cli(['regen', 'hotkey', '--uri', '//Alice', ...at(path)]);
    const file = join(path, 'd', 'hotkeys', 'default');
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, 40));
    const r = await cli(['show', ...at(path)]);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain(ALICE);
    expect(r.out).toMatch(/hotkey {3}default {2}\? \(hotkey file unreadable: .*JSON/);
    expect(r.err).toContain(`error: ${file} is unreadable: `);
    const json = JSON.parse((await cli(['show', '--json', ...at(path)])).out);
    expect(json.hotkey.address).toBeNull();
    expect(json.hotkey.problem).toMatch(/JSON/);
    // a $NACL file cut after its header is unreadable too
    await writeFile(file, '$NACL0123456789');
    const nacl = await cli(['show', ...at(path)]);
    expect(nacl.code).toBe(1);
    expect(nacl.out).toMatch(/hotkey file unreadable: truncated: 15 bytes/);
  });

  it('reports a plaintext hotkey without pub file as plaintext, with its address', async () => {
    const path = join(root, `s${n++}`);
    await cli(['regen', 'hotkey', '--uri', '//Alice', ...at(path)]);
    await unlink(join(path, 'd', 'hotkeys', 'defaultpub.txt'));
    const r = await cli(['show', ...at(path)]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`hotkey   default  ${ALICE} (hotkey NOT encrypted)`);
    const json = JSON.parse((await cli(['show', '--json', ...at(path)])).out);
    expect(json.hotkey).toMatchObject({ address: ALICE, encoding: 'plaintext', problem: null });
  });

  it('reports a malformed coldkeypub.txt as malformed, not missing', async () => {
    const path = join(root, `s${n++}`);
    await cli(['regen', 'coldkeypub', '--ss58', ADDRESS, ...at(path)]);
    const file = join(path, 'd', 'coldkeypub.txt');
    await writeFile(file, '{"ss58Address": "5Gv8');
    const r = await cli(['show', ...at(path)]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/coldkey {2}\? \(coldkeypub\.txt malformed: .+\)/);
    expect(r.out).not.toContain('(no coldkeypub.txt)');
    expect(r.err).toContain(`error: ${file} is unreadable: `);
    const json = JSON.parse((await cli(['show', '--json', ...at(path)])).out);
    expect(json.coldkey.address).toBeNull();
    expect(json.coldkey.coldkeypub).toMatchObject({ exists: true, problem: expect.any(String) });
  });
});

describe('unknown flags', () => {
  it('suggests the close known flag', async () => {
    const r = await cli(['list', '--jsn']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error: unknown flag --jsn (did you mean --json?)');
    expect((await cli(['show', '--wallet.nmae', 'x'])).err).toContain(
      'did you mean --wallet.name?',
    );
    expect((await cli(['list', '--frobnicate'])).err).toMatch(/unknown flag --frobnicate\n/);
    expect(suggestFlag('--walletpath')).toBe('--wallet.path');
    expect(suggestFlag('--overwite')).toBe('--overwrite');
    expect(suggestFlag('--zzz')).toBeUndefined();
  });
});

describe('terminal password prompt', () => {
  function fakeTty() {
    const input = Object.assign(new EventEmitter(), {
      isTTY: true,
      raw: [] as boolean[],
      setRawMode(mode: boolean) {
        input.raw.push(mode);
      },
      resume() {},
      pause() {},
    });
    let written = '';
    return { input, output: { write: (t: string) => (written += t) }, written: () => written };
  }

  it('reads without echo, handles backspace, and restores the terminal', async () => {
    const tty = fakeTty();
    const read = terminalSecretReader(tty.input, tty.output)!;
    const answer = read('Password: ');
    tty.input.emit('data', Buffer.from('se'));
    tty.input.emit('data', Buffer.from('cx\u007fret ⚡'));
    tty.input.emit('data', Buffer.from('\r'));
    expect(await answer).toBe('secret ⚡');
    expect(tty.written()).toBe('Password: \n'); // nothing typed was echoed
    expect(tty.input.raw).toEqual([true, false]);
    expect(tty.input.listenerCount('data')).toBe(0);
  });

  it('cancels on Ctrl-C and is unavailable without a TTY', async () => {
    const tty = fakeTty();
    const answer = terminalSecretReader(tty.input, tty.output)!('Password: ');
    tty.input.emit('data', '\u0003');
    await expect(answer).rejects.toThrowError(/cancelled/);
    expect(tty.input.raw).toEqual([true, false]);
    expect(terminalSecretReader({ ...tty.input, isTTY: false }, tty.output)).toBeUndefined();
  });
});

describe('subnetkit-wallet as a process', () => {
  it('runs from source with tsx, reads BT_WALLET_* and exits with the right codes', async () => {
    const path = join(root, `p${n++}`);
    const cliPath = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--conditions=@subnetkit/source', cliPath, ...args],
          {
            env: { ...process.env, BT_WALLET_PATH: path, BT_WALLET_NAME: 'proc' },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (c) => (out += c));
        child.stderr.on('data', (c) => (err += c));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out, err }));
      });
    const created = await run(['regen', 'hotkey', '--uri', '//Alice']);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    expect(created.out).toContain(`${path}/proc/hotkeys/default`);
    const onDisk = createWallet({ name: 'proc', path, env: {} });
    expect((await onDisk.getHotkey()).ss58Address).toBe(ALICE);
    const failed = await run(['create', 'coldkey']); // no terminal, no BT_PW_ variable
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/PASSWORD_REQUIRED/);
  }, 60_000);
});

describe('subnetkit-wallet list: damaged and pub-less hotkeys', () => {
  const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
  const at = (path: string, hotkey: string) => [
    ...['--wallet.path', path, '--wallet.name', 'l', '--wallet.hotkey', hotkey],
  ];
  const hotkeyFile = (path: string, hotkey: string) => join(path, 'l', 'hotkeys', hotkey);
  const line = (out: string, hotkey: string) =>
    out.split('\n').find((l) => l.startsWith(`    hotkey ${hotkey}  `));

  it('shows a truncated hotkey as unreadable (not its pub address), names it, exits 1', async () => {
    const path = join(root, `l${n++}`);
    await cli(['regen', 'hotkey', '--uri', '//Alice', ...at(path, 'cut')]);
    await cli(['regen', 'hotkey', '--uri', '//Bob', ...at(path, 'fine')]);
    const file = hotkeyFile(path, 'cut');
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, 40));
    const r = await cli(['list', '--wallet.path', path]);
    expect(r.code).toBe(1);
    expect(line(r.out, 'cut')).toMatch(/^ {4}hotkey cut {2}\? \(hotkey file unreadable: .*JSON/);
    expect(r.out).not.toContain(ALICE); // the intact pub file does not vouch for a broken key
    expect(line(r.out, 'fine')).toBe(`    hotkey fine  ${BOB} (hotkey NOT encrypted)`);
    expect(r.err).toMatch(new RegExp(`^error: ${file} is unreadable: .*JSON`));
    const json = JSON.parse((await cli(['list', '--json', '--wallet.path', path])).out);
    const [cut, fine] = json.wallets[0].hotkeys;
    expect(cut).toEqual({ name: 'cut', problem: expect.stringMatching(/JSON/) });
    expect(fine).toEqual({ name: 'fine', address: BOB });
  });

  it('shows a $NACL hotkey cut after its header as truncated', async () => {
    const path = join(root, `l${n++}`);
    await cli(['regen', 'hotkey', '--uri', '//Alice', ...at(path, 'cut')]);
    await unlink(`${hotkeyFile(path, 'cut')}pub.txt`);
    await writeFile(hotkeyFile(path, 'cut'), '$NACL0123456789');
    const r = await cli(['list', '--wallet.path', path]);
    expect(r.code).toBe(1);
    expect(line(r.out, 'cut')).toBe(
      '    hotkey cut  ? (hotkey file unreadable: truncated: 15 bytes, too short for a $NACL keyfile)',
    );
    expect(r.out).not.toContain('no pub file');
  });

  it('shows a plaintext hotkey without pub file with its address, an encrypted one as encrypted', async () => {
    const path = join(root, `l${n++}`);
    await cli(['regen', 'hotkey', '--uri', '//Bob', ...at(path, 'plain')]);
    await unlink(`${hotkeyFile(path, 'plain')}pub.txt`);
    const enc = await cli(
      ['regen', 'hotkey', '--uri', '//Alice', '--use-password', ...at(path, 'enc')],
      ['hp', 'hp'],
    );
    expect(enc.code).toBe(0);
    await unlink(`${hotkeyFile(path, 'enc')}pub.txt`);
    await cli(
      ['regen', 'hotkey', '--uri', '//Alice', '--use-password', ...at(path, 'encpub')],
      ['hp', 'hp'],
    );
    const r = await cli(['list', '--wallet.path', path]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('\n  l  coldkey (no coldkeypub.txt) (no coldkey file)\n');
    expect(line(r.out, 'enc')).toBe('    hotkey enc  ? (encrypted, no pub file)');
    expect(line(r.out, 'encpub')).toBe(`    hotkey encpub  ${ALICE} (hotkey encrypted)`);
    expect(line(r.out, 'plain')).toBe(`    hotkey plain  ${BOB} (hotkey NOT encrypted)`);
    const json = JSON.parse((await cli(['list', '--json', '--wallet.path', path])).out);
    expect(json.wallets[0].hotkeys).toEqual([
      { name: 'enc' },
      { name: 'encpub', address: ALICE },
      { name: 'plain', address: BOB },
    ]);
  });

  it('shows a malformed coldkeypub.txt as malformed, names it, exits 1', async () => {
    const path = join(root, `l${n++}`);
    await cli(['regen', 'coldkeypub', '--ss58', ADDRESS, ...at(path, 'default')]);
    const file = join(path, 'l', 'coldkeypub.txt');
    await writeFile(file, '{"ss58Address": "5Gv8');
    const r = await cli(['list', '--wallet.path', path]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /\n {2}l {2}coldkey \? \(coldkeypub\.txt malformed: .+\) \(no coldkey file\)\n/,
    );
    expect(r.err).toContain(`error: ${file} is unreadable: `);
    const json = JSON.parse((await cli(['list', '--json', '--wallet.path', path])).out);
    expect(json.wallets[0]).toMatchObject({ name: 'l', coldkeypubProblem: expect.any(String) });
    expect(json.wallets[0].coldkeyAddress).toBeUndefined();
  });
});
