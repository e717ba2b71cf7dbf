/**
 * `runMiner` / `runValidator` against an in-process localnet with fast blocks, through a real
 * `SubtensorChain` (no side doors): registration, serve_axon only when changed, weights on
 * chain (set_weights and commit-reveal v2), status endpoint, restart keeps the scores.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainError, createSubtensorChain, type SubtensorChain } from '@subnetkit/chain';
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
          {
            netuid: 3,
            params: {
              tempo: 10,
              commitReveal: false,
              weightsSetRateLimit: 2,
              immunityPeriod: 1000,
              servingRateLimit: 0,
              maxAllowedValidators: 2,
              targetRegistrationsPerInterval: 4,
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

  it('a validator the chain would refuse says why once, never sends a certain refusal, and backs off', async () => {
    const refused = Keypair.fromUri('//Alice//rt-refused-validator');
    const none = Keypair.fromUri('//Alice//rt-no-permit-validator');
    for (const k of [vKey, refused, none, mKeys[0]!]) {
      await chain.burnedRegister(k === mKeys[0] ? bob : alice, {
        netuid: 3,
        hotkey: k.ss58Address,
      });
    }
    // Two permits (maxAllowedValidators 2) for the two staked hotkeys; `none` has no stake.
    for (const k of [vKey, refused]) {
      await chain.addStake(alice, { hotkey: k.ss58Address, netuid: 3, amount: 1000n * TAO });
    }
    const m = await runMiner(
      miner(0),
      { config: config([...base(3), '--axon.ip', '127.0.0.2', '--axon.port', '0']) },
      { logger: silentLogger(), chain, hotkey: mKeys[0]! },
    );
    started.push(m);
    // The real chain, with weight submissions counted; for `refused`, the chain's answer to a
    // hotkey whose stake fell under StakeThreshold since its permit (a refusal the runtime
    // cannot foresee from the metagraph).
    const counting = (refuse: boolean) => {
      const calls = { submits: 0 };
      const submitWeights = async (...args: Parameters<SubtensorChain['submitWeights']>) => {
        calls.submits++;
        if (!refuse) return chain.submitWeights(...args);
        throw new ChainError(
          'POOL_REJECTED',
          'transaction rejected by the pool: NotEnoughStakeToSetWeights: the hotkey has less stake than the subnet requires to set weights',
          { details: { name: 'NotEnoughStakeToSetWeights' } },
        );
      };
      // The chain's methods use private fields: bind them to the real object.
      const c = new Proxy(chain, {
        get(target, prop) {
          if (prop === 'submitWeights') return submitWeights;
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      return { c, calls };
    };
    const run = async (key: Keypair, name: string, refuse: boolean) => {
      const warnings: string[] = [];
      const errors: string[] = [];
      const quiet = () => {};
      const logger: Logger = {
        debug: quiet,
        info: quiet,
        error: (_o, msg) => void errors.push(msg ?? ''),
        warn: (_o, msg) => void warnings.push(msg ?? ''),
        child: () => logger,
      };
      const { c, calls } = counting(refuse);
      const v = await runValidator(
        validator,
        {
          config: config([
            ...base(3),
            '--neuron.full_path',
            join(dir, name),
            '--neuron.step_interval',
            '0.1',
            '--neuron.timeout',
            '2',
            '--neuron.epoch_length',
            '2',
            '--neuron.weights_warn_tempos',
            '1',
          ]),
        },
        { logger, chain: c, hotkey: key },
      );
      started.push(v);
      return { v, warnings, errors, calls };
    };
    const noPermit = await run(none, 'validator-no-permit', false);
    const refusing = await run(refused, 'validator-refused', true);
    const count = (w: string[], text: string) => w.filter((x) => x.includes(text)).length;
    const head = async () => (await chain.getWeightsStatus(3, none.ss58Address)).currentBlock;
    await until('the first refusal', () => (refusing.calls.submits > 0 ? true : undefined), 20_000);
    const from = await head();
    // Six tempos (11 blocks each) of steps every 0.1 s.
    await until(
      'six more tempos',
      async () => ((await head()) > from + 66 ? true : undefined),
      30_000,
    );
    // No permit: said once, never sent; the tempos without weights warned as they double.
    const permitLines = noPermit.warnings.filter((w) => w.startsWith('no validator permit'));
    expect(permitLines).toHaveLength(1);
    expect(permitLines[0]).toContain(`subnetkit-stake add --netuid 3 --hotkey ${none.ss58Address}`);
    expect(noPermit.calls.submits).toBe(0);
    const ages = noPermit.warnings.filter((w) => w.includes('no weights have landed'));
    expect(ages.length).toBeGreaterThanOrEqual(2);
    expect(ages.length).toBeLessThanOrEqual(4);
    // Refused: said once, retried once a tempo (not every step), and no error lines.
    expect(count(refusing.warnings, 'the chain refused our weights')).toBe(1);
    expect(refusing.calls.submits).toBeGreaterThanOrEqual(5);
    expect(refusing.calls.submits).toBeLessThanOrEqual(9);
    expect(refusing.errors).toEqual([]);
    const health = (v: RunningValidator) =>
      v.status().weightsHealth as {
        temposWithoutWeights: number;
        blocker: string | null;
        refusal: { name: string } | null;
        backoffUntil: number | null;
      };
    expect(health(noPermit.v).blocker).toContain('no validator permit');
    expect(health(noPermit.v).temposWithoutWeights).toBeGreaterThanOrEqual(6);
    expect(health(noPermit.v).refusal).toBeNull();
    expect(health(refusing.v).blocker).toBeNull();
    expect(health(refusing.v).refusal?.name).toBe('NotEnoughStakeToSetWeights');
    expect(health(refusing.v).backoffUntil).toBeGreaterThan(from);
    await Promise.all([noPermit.v.stop(), refusing.v.stop(), m.stop()]);
  });

  it('a corrupt state: the previous generation is taken; with none, no weights before min samples', async () => {
    const fullPath = join(dir, 'validator-corrupt');
    const argv = [
      ...base(1),
      '--neuron.full_path',
      fullPath,
      '--neuron.step_interval',
      '0.1',
      '--neuron.timeout',
      '2',
      '--neuron.epoch_length',
      '2',
      '--neuron.min_samples',
      '3',
    ];
    const statePath = join(fullPath, 'state.json');
    await mkdir(fullPath, { recursive: true, mode: 0o700 });
    // Lost with nothing to fall back to: the scores start over, held until 3 samples each.
    await writeFile(statePath, '{"format": "subnetkit-valid');
    const atWeights: Array<{ scores: number[]; samples: number[] }> = [];
    let v: RunningValidator | undefined;
    v = await runValidator(
      validator,
      { config: config(argv) },
      {
        logger: silentLogger(),
        chain,
        hotkey: vKey,
        events: {
          onWeights: () => {
            const s = v!.state().scores;
            atWeights.push({ scores: [...s.scores], samples: [...s.samples] });
          },
        },
      },
    );
    started.push(v);
    expect(v.state().warmup).toBe(true);
    expect(v.state().step).toBe(0);
    await until('weights after the warm-up', () => atWeights[0], 30_000);
    const first = atWeights[0]!;
    first.scores.forEach((score, uid) => {
      if (score > 0) expect(first.samples[uid], `uid ${uid}`).toBeGreaterThanOrEqual(3);
    });
    expect(v.state().warmup).toBeUndefined();
    await v.stop();
    await v.done;
    // Corrupt again, now with a previous generation beside it: it is taken, scores kept.
    const prev = JSON.parse(await readFile(`${statePath}.prev`, 'utf8')) as {
      step: number;
      scores: { scores: number[] };
    };
    await writeFile(statePath, 'garbage');
    const v2 = await runValidator(
      validator,
      { config: config(argv) },
      {
        logger: silentLogger(),
        chain,
        hotkey: vKey,
      },
    );
    started.push(v2);
    expect(v2.state().step).toBe(prev.step);
    expect(v2.state().scores.scores).toEqual(prev.scores.scores);
    expect(v2.state().warmup).toBeUndefined();
    expect((await readdir(fullPath)).some((f) => f.startsWith('state.json.corrupt-'))).toBe(true);
    await v2.stop();
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
