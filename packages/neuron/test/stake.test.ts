import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSubtensorChain, type SubtensorChain } from '@subnetkit/chain';
import { createLocalnet, type Localnet, TAO } from '@subnetkit/localnet';
import { createWallet, Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NeuronError, registerHotkey } from '../src/index.js';
import { parseStakeArgs, type StakeCliConfig } from '../src/stake/config.js';
import { addStake, removeStake, showStake } from '../src/stake/stake.js';

const bin = fileURLToPath(new URL('../bin/subnetkit-stake.js', import.meta.url));
const alice = Keypair.fromUri('//Alice');
/** add_stake is not fee-free: its fee is small, and the only difference from the amount. */
const MAX_FEE = TAO / 100n;

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('subnetkit-stake on a localnet', () => {
  let net: Localnet;
  let chain: SubtensorChain;
  let dir: string;
  let hotkey: string;
  let coldkey: string;
  let unregistered: string;
  let flags: string[];
  const config = (extra: string[] = [], action = 'show'): StakeCliConfig => {
    const r = parseStakeArgs([action, ...flags, ...extra], {});
    if (r.help) throw new Error('unexpected --help');
    return r.config;
  };
  const failure = async (p: Promise<unknown>) =>
    (await p.then(
      () => null,
      (e) => e,
    )) as NeuronError;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'neuron-stake-'));
    net = await createLocalnet({
      blockTime: 100,
      port: 0,
      // No epoch during the test: its emissions would add stake under the assertions.
      genesis: { subnets: [{ netuid: 1, params: { tempo: 60_000, commitReveal: false } }] },
    });
    chain = await createSubtensorChain(
      { txTimeoutMs: 20_000 },
      { provider: net.provider() as never },
    );
    // A wallet of its own whose coldkey holds 100 TAO, its hotkey registered on subnet 1.
    const wallet = createWallet({ name: 'staker', hotkey: 'h', path: dir });
    const cold = await wallet.createColdkey({ encrypt: false });
    hotkey = (await wallet.createHotkey()).ss58Address;
    coldkey = cold.ss58Address;
    await chain.transfer(alice, { dest: coldkey, amount: 100n * TAO });
    flags = [
      '--netuid',
      '1',
      '--wallet.path',
      dir,
      '--wallet.name',
      'staker',
      '--wallet.hotkey',
      'h',
    ];
    flags.push('--subtensor.chain_endpoint', net.url!);
    await registerHotkey(config(), { chain });
    const other = createWallet({ name: 'staker', hotkey: 'spare', path: dir });
    unregistered = (await other.createHotkey()).ss58Address;
  });

  afterAll(async () => {
    await chain?.close();
    await net?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds, shows and removes stake: the stake moves by the amounts, the balance by them and the fee', async () => {
    const start = await showStake(config(), { chain });
    expect(start).toMatchObject({ netuid: 1, hotkey, coldkey, stake: 0n });
    expect(start.uid).not.toBeNull();

    const added = await addStake(config(), 10n * TAO, { chain });
    expect(added.before).toEqual(start);
    expect(added.after.stake).toBe(10n * TAO);
    const addFee = start.free - 10n * TAO - added.after.free;
    expect(addFee).toBeGreaterThanOrEqual(0n);
    expect(addFee).toBeLessThan(MAX_FEE);
    expect(await chain.getStake(1, hotkey, coldkey)).toBe(10n * TAO);

    const removed = await removeStake(config(), 4n * TAO, { chain });
    expect(removed.after.stake).toBe(6n * TAO);
    const removeFee = added.after.free + 4n * TAO - removed.after.free;
    expect(removeFee).toBeGreaterThanOrEqual(0n);
    expect(removeFee).toBeLessThan(MAX_FEE);

    const all = await removeStake(config(), 'all', { chain });
    expect(all.before.stake).toBe(6n * TAO);
    expect(all.after.stake).toBe(0n);
    expect((await showStake(config(), { chain })).stake).toBe(0n);
  });

  it('names what is wrong and sends nothing: unknown wallet, balance, registration, stake', async () => {
    const before = await showStake(config(), { chain });
    const missing = await failure(showStake(config(['--wallet.name', 'nobody']), { chain }));
    expect(missing.code).toBe('WALLET_MISSING');
    expect(missing.message).toContain(`no wallet "nobody" at ${join(dir, 'nobody')}`);
    expect(missing.message).toContain('subnetkit-wallet create --wallet.name nobody');

    const poor = await failure(addStake(config(), 1_000n * TAO, { chain }));
    expect(poor.code).toBe('INSUFFICIENT_BALANCE');
    expect(poor.message).toMatch(/has [\d.]+ TAO free, less than the 1000 TAO to stake/);

    const stranger = await failure(addStake(config(['--wallet.hotkey', 'spare']), TAO, { chain }));
    expect(stranger.code).toBe('NOT_REGISTERED');
    expect(stranger.message).toContain(`hotkey ${unregistered}`);
    expect(stranger.message).toContain('subnetkit-register --netuid 1');
    const byAddress = await failure(addStake(config(['--hotkey', unregistered]), TAO, { chain }));
    expect(byAddress.code).toBe('NOT_REGISTERED');

    const none = await failure(removeStake(config(), TAO, { chain }));
    expect(none.code).toBe('INSUFFICIENT_STAKE');
    expect(none.message).toContain(`has 0 alpha staked on hotkey ${hotkey} on subnet 1`);
    await addStake(config(), 2n * TAO, { chain });
    const tooMuch = await failure(removeStake(config(), 3n * TAO, { chain }));
    expect(tooMuch.code).toBe('INSUFFICIENT_STAKE');
    expect(tooMuch.message).toContain('has 2 alpha staked');
    expect(tooMuch.message).toContain('less than the 3 to remove');
    const after = await showStake(config(), { chain });
    expect(after.stake).toBe(2n * TAO);
    expect(before.free - after.free - 2n * TAO).toBeLessThan(MAX_FEE);
    await removeStake(config(), 'all', { chain });
  });

  it('runs as the subnetkit-stake bin over WebSocket, after the `--` pnpm passes on', async () => {
    const add = await run(['--', 'add', '--amount', '1.5', ...flags]);
    expect(add.err).toBe('');
    expect(add.code).toBe(0);
    expect(add.out).toMatch(
      new RegExp(
        `^staked 1\\.5 TAO on hotkey ${hotkey} on subnet 1 \\(block \\d+\\): stake 0 -> 1\\.5 alpha`,
      ),
    );
    const show = await run(['show', ...flags]);
    expect(show.out).toContain(`coldkey ${coldkey} has 1.5 alpha staked on hotkey ${hotkey} (uid `);
    const remove = await run(['remove', '--all', ...flags]);
    expect(remove.out).toMatch(/^unstaked 1\.5 alpha from hotkey .* stake 1\.5 -> 0 alpha/);
    const bad = await run(['remove', '--amount', '100', ...flags]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /^subnetkit-stake \[INSUFFICIENT_STAKE\]: coldkey .* has 0 alpha staked/,
    );
  }, 120_000);
});
