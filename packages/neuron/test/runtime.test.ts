/**
 * `runMiner` / `runValidator` against an in-process localnet with fast blocks, through a real
 * `SubtensorChain` (no side doors): registration, serve_axon only when changed, weights on
 * chain (set_weights and commit-reveal v2), status endpoint, restart keeps the scores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSubtensorChain, type SubtensorChain } from '@subnetkit/chain';
import type { Logger } from '@subnetkit/core';
import { createLocalnet, type Localnet, TAO } from '@subnetkit/localnet';
import { fail, pass } from '@subnetkit/scoring';
import { createDendrite, defineSynapse } from '@subnetkit/transport';
import { createWallet, Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  isNeuronError,
  loadConfig,
  type MinerBackend,
  type MinerDefinition,
  minerSynapse,
  type NeuronConfig,
  neuronConfigSchema,
  type RunningMiner,
  type RunningValidator,
  registerHotkey,
  runMiner,
  runValidator,
  silentLogger,
  type ValidatorDefinition,
  type WeightsRecord,
} from '../src/index.js';

const Dummy = defineSynapse({
  name: 'Dummy',
  input: { dummy_input: z.int() },
  output: { dummy_output: z.int().nullable() },
});

const backend: MinerBackend = { name: 'offline' };
const miner = (offset: number): MinerDefinition<typeof Dummy> => ({
  protocol: Dummy,
  backend,
  forward: (input) => ({ dummy_output: input.dummy_input * 2 + offset }),
});
const validator: ValidatorDefinition<typeof Dummy, number> = {
  protocol: Dummy,
  createTask(_seed, _uid, ctx) {
    const x = ctx.random.int(1_000_000);
    return { input: { dummy_input: x }, private: 2 * x };
  },
  score: (task, response) =>
    response.output?.dummy_output === task.private
      ? pass(1, { components: { exact: 1 } })
      : fail('wrong answer', { components: { exact: 0 } }),
};

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const vKey = Keypair.fromUri('//Alice//rt-validator');
const mKeys = [0, 1, 2].map((i) => Keypair.fromUri(`//Bob//rt-miner-${i}`));
const stranger = Keypair.fromUri('//Bob//rt-stranger');

function config(argv: string[]): NeuronConfig {
  const r = loadConfig(neuronConfigSchema, { argv, env: {} });
  if (r.help) throw new Error('unexpected --help');
  return r.config;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.2', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function until<T>(
  what: string,
  f: () => Promise<T | undefined> | T | undefined,
  ms = 20_000,
) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('runMiner / runValidator on an in-process localnet', () => {
  let net: Localnet;
  let chain: SubtensorChain;
  let dir: string;
  const started: Array<RunningMiner | RunningValidator> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'neuron-runtime-'));
    net = await createLocalnet({
      blockTime: 100,
      genesis: {
        subnets: [
          {
            netuid: 1,
            params: {
              tempo: 10,
              commitReveal: false,
              weightsSetRateLimit: 2,
              immunityPeriod: 1000,
              servingRateLimit: 0,
              targetRegistrationsPerInterval: 4,
            },
          },
          {
            netuid: 2,
            params: {
              tempo: 10,
              commitReveal: true,
              weightsSetRateLimit: 2,
              immunityPeriod: 1000,
              servingRateLimit: 0,
            },
          },
        ],
      },
    });
    chain = await createSubtensorChain(
      { txTimeoutMs: 20_000 },
      { provider: net.provider() as never },
    );
    for (const netuid of [1, 2]) {
      await chain.burnedRegister(alice, { netuid, hotkey: vKey.ss58Address });
      for (const k of mKeys) await chain.burnedRegister(bob, { netuid, hotkey: k.ss58Address });
      await chain.addStake(alice, { hotkey: vKey.ss58Address, netuid, amount: 1000n * TAO });
    }
  });

  afterAll(async () => {
    await Promise.all(started.map((n) => n.stop('test over')));
    await chain?.close();
    await net?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const base = (netuid: number, extra: string[] = []) => [
    '--netuid',
    String(netuid),
    '--subtensor.chain_endpoint',
    'ws://127.0.0.1:1',
    '--neuron.epoch_length',
    '5',
    ...extra,
  ];

  it('refuses a missing wallet file and an unregistered hotkey with the commands to fix them', async () => {
    const missing = runMiner(
      miner(0),
      {
        config: config([
          ...base(1),
          '--wallet.path',
          join(dir, 'no-wallets'),
          '--wallet.name',
          'm',
        ]),
      },
      { logger: silentLogger(), chain },
    );
    await expect(missing).rejects.toSatisfy(
      (e) =>
        isNeuronError(e, 'WALLET_MISSING') &&
        e.message.includes('subnetkit-wallet create --wallet.name m --wallet.hotkey default'),
    );
    const unregistered = runMiner(
      miner(0),
      { config: config([...base(1), '--wallet.name', 'm', '--axon.port', '0']) },
      { logger: silentLogger(), chain, hotkey: stranger },
    );
    const error = await unregistered.catch((e: unknown) => e);
    expect(isNeuronError(error, 'NOT_REGISTERED')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(stranger.ss58Address);
    expect(message).toContain(
      'btcli subnets register --netuid 1 --wallet.name m --wallet.hotkey default --network ws://127.0.0.1:1',
    );
    expect(message).toContain(
      'subnetkit-register --netuid 1 --wallet.name m --wallet.hotkey default --subtensor.chain_endpoint ws://127.0.0.1:1',
    );
  });

  it('subnetkit-register (registerHotkey) registers a wallet hotkey once; the miner then loads it from disk', async () => {
    const path = join(dir, 'wallets');
    const wallet = createWallet({ name: 'reg', hotkey: 'h', path });
    await wallet.regenerateColdkey({ uri: '//Bob' }, { encrypt: false });
    const hot = await wallet.createHotkey();
    const argv = [
      ...base(1),
      '--wallet.path',
      path,
      '--wallet.name',
      'reg',
      '--wallet.hotkey',
      'h',
    ];
    const first = await registerHotkey(config(argv), { chain });
    expect(first).toMatchObject({ registered: true, hotkey: hot.ss58Address });
    expect(await chain.getUid(1, hot.ss58Address)).toBe(first.uid);
    const again = await registerHotkey(config(argv), { chain });
    expect(again).toMatchObject({ registered: false, uid: first.uid });
    const m = await runMiner(
      miner(0),
      { config: config([...argv, '--axon.ip', '127.0.0.2', '--axon.port', '0']) },
      { logger: silentLogger(), chain },
    );
    expect(m.uid).toBe(first.uid);
    expect(m.hotkey.ss58Address).toBe(hot.ss58Address);
    await m.stop();
  });

  it('publishes the axon with serve_axon, and not again when nothing changed', async () => {
    const port = await freePort();
    const argv = [...base(1), '--axon.ip', '127.0.0.2', '--axon.port', String(port)];
    const uid = (await chain.getUid(1, mKeys[0]!.ss58Address))!;
    const first = await runMiner(
      miner(0),
      { config: config(argv) },
      {
        logger: silentLogger(),
        chain,
        hotkey: mKeys[0]!,
      },
    );
    const axon1 = (await chain.getMetagraph(1)).axons[uid]!;
    expect(axon1).toMatchObject({ ip: '127.0.0.2', port, isServing: true });
    expect((await first.stop()).exitCode).toBe(0);
    await until('a new block', async () =>
      (await chain.getCurrentBlock()) > axon1.block + 2 ? true : undefined,
    );
    const second = await runMiner(
      miner(0),
      { config: config(argv) },
      {
        logger: silentLogger(),
        chain,
        hotkey: mKeys[0]!,
      },
    );
    // Same ip/port/version: the on-chain AxonInfo was not rewritten (its block is unchanged).
    expect((await chain.getMetagraph(1)).axons[uid]!.block).toBe(axon1.block);
    await second.stop();
  });

  it('a MinerSetDefinition miner answers every synapse and lists them in status()', async () => {
    const Tokens = defineSynapse({ name: 'Tokens', input: { n: z.int() }, streaming: true });
    const setKey = Keypair.fromUri('//Bob//rt-set-miner');
    await chain.burnedRegister(bob, { netuid: 1, hotkey: setKey.ss58Address });
    const m = await runMiner(
      {
        backend,
        synapses: [
          minerSynapse({ protocol: Dummy, forward: (i) => ({ dummy_output: i.dummy_input * 2 }) }),
          minerSynapse({
            protocol: Tokens,
            forward: async function* (i) {
              for (let k = 0; k < i.n; k++) yield `t${k} `;
            },
          }),
        ],
      },
      { config: config([...base(1), '--axon.ip', '127.0.0.2', '--axon.port', '0']) },
      { logger: silentLogger(), chain, hotkey: setKey },
    );
    const d = createDendrite({ keypair: vKey }, { logger: silentLogger() });
    try {
      expect(m.status().synapses).toEqual([
        { name: 'Dummy', streaming: false },
        { name: 'Tokens', streaming: true },
      ]);
      const target = { ip: '127.0.0.2', port: m.axon.port, hotkey: setKey.ss58Address };
      const r = await d.call(target, Dummy, { dummy_input: 21 }, { timeout: 5 });
      expect(r.output?.dummy_output).toBe(42);
      const s = d.stream(target, Tokens, { n: 3 }, { timeout: 5 });
      let text = '';
      for await (const c of s) text += c as string;
      expect(text).toBe('t0 t1 t2 ');
      expect((await s.result).ok).toBe(true);
    } finally {
      await d.close();
      await m.stop();
    }
  });

  it('validator loop: weights reach the chain (honest above wrong), status served, restart keeps scores', async () => {
    const miners: RunningMiner[] = [];
    for (const [i, k] of mKeys.entries()) {
      const m = await runMiner(
        miner(i === 2 ? 1 : 0),
        { config: config([...base(1), '--axon.ip', '127.0.0.2', '--axon.port', '0']) },
        { logger: silentLogger(), chain, hotkey: k },
      );
      miners.push(m);
      started.push(m);
    }
    const fullPath = join(dir, 'validator-1');
    const vArgv = [
      ...base(1),
      '--neuron.full_path',
      fullPath,
      '--neuron.step_interval',
      '0.1',
      '--neuron.timeout',
      '2',
      '--neuron.moving_average_alpha',
      '0.5',
      '--status.port',
      '0',
    ];
    const weights: WeightsRecord[] = [];
    const v = await runValidator(
      validator,
      { config: config(vArgv) },
      {
        logger: silentLogger(),
        chain,
        hotkey: vKey,
        events: { onWeights: (w) => weights.push(w) },
      },
    );
    started.push(v);
    const uids = await Promise.all(mKeys.map((k) => chain.getUid(1, k.ss58Address)));
    const row = await until('weights from the validator on chain', async () => {
      const w = await chain.getWeights(1);
      const r = w.get(v.uid);
      return r && r.length >= 2 ? r : undefined;
    });
    const weightOf = (uid: number | null) => row.find(([u]) => u === uid)?.[1] ?? 0;
    expect(weightOf(uids[0]!)).toBeGreaterThan(0);
    expect(weightOf(uids[1]!)).toBeGreaterThan(0);
    expect(weightOf(uids[2]!)).toBe(0);
    expect((await until('the weights event', () => weights[0])).method).toBe('set_weights');

    const res = await fetch(`http://127.0.0.1:${v.statusPort}/status`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      role: 'validator',
      uid: v.uid,
      hotkey: vKey.ss58Address,
      netuid: 1,
    });
    expect((body.scores as { nonZero: number }).nonZero).toBeGreaterThanOrEqual(2);
    expect(body.lastWeightsBlock).toBeTypeOf('number');
    expect(miners[0]!.status().requests).toMatchObject({ served: expect.any(Number) });
    expect((miners[0]!.status().requests as { served: number }).served).toBeGreaterThan(0);

    // Restart: the state (step, scores) is reloaded, not reset.
    expect((await v.stop()).exitCode).toBe(0);
    await v.done;
    const before = v.state();
    const v2 = await runValidator(
      validator,
      { config: config(vArgv) },
      {
        logger: silentLogger(),
        chain,
        hotkey: vKey,
      },
    );
    started.push(v2);
    expect(v2.state().step).toBe(before.step);
    expect(v2.state().scores.scores).toEqual(before.scores.scores);
    await until('a step after the restart', () =>
      v2.state().step > before.step ? true : undefined,
    );
    expect(v2.state().scores.scores[uids[0]!]!).toBeGreaterThan(0.4);
    await v2.stop();
  });

  it('miners on different wires at once: each is queried over its own wire and passes', async () => {
    const wireKeys = (['btauth', 'epistula', 'fiber'] as const).map((wire) => ({
      wire,
      key: Keypair.fromUri(`//Bob//rt-wire-${wire}`),
    }));
    for (const { key } of wireKeys) {
      await chain.burnedRegister(bob, { netuid: 1, hotkey: key.ss58Address });
    }
    const wireMiners = new Map<string, RunningMiner>();
    for (const { wire, key } of wireKeys) {
      // The Fiber miner also serves btauth: the validator picks the wire, not the miner.
      const wires = wire === 'fiber' ? 'fiber,btauth' : wire;
      const m = await runMiner(
        miner(0),
        {
          config: config([
            ...base(1),
            '--axon.ip',
            '127.0.0.2',
            '--axon.port',
            '0',
            '--axon.wires',
            wires,
          ]),
        },
        { logger: silentLogger(), chain, hotkey: key },
      );
      wireMiners.set(key.ss58Address, m);
      started.push(m);
    }
    const byHotkey = new Map(wireKeys.map(({ wire, key }) => [key.ss58Address, wire]));
    const minerWires = wireKeys
      .filter(({ wire }) => wire !== 'fiber')
      .map(({ wire, key }) => `${key.ss58Address}=${wire}`)
      .join(',');
    const seen = new Map<string, { wire: string; status: string }>();
    const warnings: string[] = [];
    const none = () => {};
    const logger: Logger = {
      debug: none,
      info: none,
      error: none,
      warn: (_o, m) => void warnings.push(m ?? ''),
      child: () => logger,
    };
    const v = await runValidator(
      validator,
      {
        config: config([
          ...base(1),
          '--neuron.full_path',
          join(dir, 'validator-wires'),
          '--neuron.step_interval',
          '0.1',
          '--neuron.timeout',
          '2',
          '--neuron.disable_set_weights',
          '--neuron.wire',
          'fiber',
          '--neuron.miner_wires',
          minerWires,
        ]),
      },
      {
        logger,
        chain,
        hotkey: vKey,
        events: {
          onStep: ({ outcomes }) => {
            for (const o of outcomes) {
              if (byHotkey.has(o.hotkey))
                seen.set(o.hotkey, { wire: o.wire, status: o.verdict.status });
            }
          },
        },
      },
    );
    started.push(v);
    // The earlier tests' miners serve Synapse only: spoken to over Fiber, they refuse, and
    // the validator says once each how to fix it.
    const legacy = mKeys.map((k) => k.ss58Address);
    await until('an answer from every wire miner, and the warnings', () =>
      seen.size === wireKeys.length &&
      warnings.filter((w) => w.includes('does not serve')).length === legacy.length
        ? true
        : undefined,
    );
    await v.stop();
    const wireWarnings = warnings.filter((w) => w.includes('does not serve the fiber wire'));
    expect(wireWarnings).toHaveLength(legacy.length);
    for (const hotkey of legacy) {
      expect(
        wireWarnings.some((w) => w.includes(`add ${hotkey}=WIRE to --neuron.miner_wires`)),
      ).toBe(true);
    }
    for (const { wire, key } of wireKeys) {
      expect(seen.get(key.ss58Address)).toEqual({ wire, status: 'pass' });
      const status = wireMiners.get(key.ss58Address)!.status();
      expect(status.axon?.wires).toEqual(wire === 'fiber' ? ['fiber', 'btauth'] : [wire]);
      const byWire = (status.requests as { byWire: Record<string, { requests: number }> }).byWire;
      expect(byWire[wire]!.requests).toBeGreaterThan(0);
      expect(Object.keys(byWire)).toEqual([wire]);
    }
  });

  it('commit-reveal v2 subnet: commits, keeps the salt in the state, reveals in the reveal epoch', async () => {
    const m = await runMiner(
      miner(0),
      { config: config([...base(2), '--axon.ip', '127.0.0.2', '--axon.port', '0']) },
      { logger: silentLogger(), chain, hotkey: mKeys[0]! },
    );
    started.push(m);
    const weights: WeightsRecord[] = [];
    const v = await runValidator(
      validator,
      {
        config: config([
          ...base(2),
          '--neuron.full_path',
          join(dir, 'validator-2'),
          '--neuron.step_interval',
          '0.1',
          '--neuron.timeout',
          '2',
        ]),
      },
      {
        logger: silentLogger(),
        chain,
        hotkey: vKey,
        events: { onWeights: (w) => weights.push(w) },
      },
    );
    started.push(v);
    const committed = await until('a commit', () => weights.find((w) => w.mode === 'commit'));
    expect(committed.method).toBe('commit_reveal_v2');
    const revealed = await until('the reveal', () =>
      weights.find((w) => w.revealedAt !== undefined),
    );
    expect(revealed.revealedAt!).toBeGreaterThan(revealed.block);
    const row = (await chain.getWeights(2)).get(v.uid);
    const uid0 = await chain.getUid(2, mKeys[0]!.ss58Address);
    expect(row?.find(([u]) => u === uid0)?.[1]).toBeGreaterThan(0);
    await v.stop();
  });
});
