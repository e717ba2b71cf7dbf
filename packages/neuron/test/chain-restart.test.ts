/**
 * Hardening: a chain killed and replaced by a new one on the same WebSocket port. The neurons
 * reconnect by themselves; they must notice the new chain (its blocks start over) within one
 * epoch, say why, and stop with exit code 1 instead of going on with the old chain's
 * registration, metagraph and weights bookkeeping.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSubtensorChain } from '@subnetkit/chain';
import type { Logger } from '@subnetkit/core';
import { createLocalnet, type Localnet, TAO } from '@subnetkit/localnet';
import { pass } from '@subnetkit/scoring';
import { defineSynapse } from '@subnetkit/transport';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  loadConfig,
  type MinerDefinition,
  neuronConfigSchema,
  runMiner,
  runValidator,
  type ValidatorDefinition,
} from '../src/index.js';

const Echo = defineSynapse({
  name: 'Echo',
  input: { x: z.int() },
  output: { y: z.int().nullable() },
});
const miner: MinerDefinition<typeof Echo> = {
  protocol: Echo,
  backend: { name: 'offline' },
  forward: (input) => ({ y: input.x }),
};
const validator: ValidatorDefinition<typeof Echo, number> = {
  protocol: Echo,
  createTask: (_s, _u, ctx) => {
    const x = ctx.random.int(1000);
    return { input: { x }, private: x };
  },
  score: () => pass(1),
};

const alice = Keypair.fromUri('//Alice');
const vKey = Keypair.fromUri('//Alice//restart-validator');
const mKey = Keypair.fromUri('//Bob//restart-miner');
const TEMPO = 20;
const genesis = {
  subnets: [
    {
      netuid: 1,
      params: {
        tempo: TEMPO,
        commitReveal: false,
        weightsSetRateLimit: 2,
        immunityPeriod: 1000,
        servingRateLimit: 0,
        targetRegistrationsPerInterval: 4,
      },
    },
  ],
};

function recorder() {
  const errors: Array<{ msg: string; obj: object | string }> = [];
  const quiet = () => {};
  const logger: Logger = {
    debug: quiet,
    info: quiet,
    warn: quiet,
    error: (obj, msg) => void errors.push({ obj, msg: msg ?? '' }),
    child: () => logger,
  };
  return { logger, errors };
}

describe('a chain replaced under running neurons', () => {
  const nets: Localnet[] = [];
  let dir: string;
  afterAll(async () => {
    await Promise.all(nets.map((n) => n.close().catch(() => {})));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('miner and validator notice within one epoch, say why, and exit 1', async () => {
    dir = await mkdtemp(join(tmpdir(), 'neuron-restart-'));
    const first = await createLocalnet({ blockTime: 200, port: 0, genesis });
    nets.push(first);
    const url = first.url!;
    const port = Number(new URL(url).port);
    const admin = await createSubtensorChain({ chainEndpoint: url, txTimeoutMs: 20_000 });
    await admin.burnedRegister(alice, { netuid: 1, hotkey: vKey.ss58Address });
    await admin.burnedRegister(alice, { netuid: 1, hotkey: mKey.ss58Address });
    await admin.addStake(alice, { hotkey: vKey.ss58Address, netuid: 1, amount: 1000n * TAO });
    await admin.close();
    const argv = (extra: string[]) => {
      const r = loadConfig(neuronConfigSchema, {
        argv: ['--netuid', '1', '--subtensor.chain_endpoint', url, ...extra],
        env: {},
      });
      if (r.help) throw new Error('help');
      return r.config;
    };
    const m = recorder();
    const runningMiner = await runMiner(
      miner,
      { config: argv(['--axon.ip', '127.0.0.2', '--axon.port', '0']) },
      { logger: m.logger, hotkey: mKey },
    );
    const v = recorder();
    const runningValidator = await runValidator(
      validator,
      {
        config: argv([
          '--neuron.full_path',
          join(dir, 'validator'),
          '--neuron.step_interval',
          '0.2',
          '--neuron.epoch_length',
          '5',
        ]),
      },
      { logger: v.logger, hotkey: vKey },
    );
    // Both run on the first chain, well past its first blocks.
    const deadline = Date.now() + 20_000;
    while (runningValidator.state().step < 2 || first.chain.head.number < 30) {
      if (Date.now() > deadline) throw new Error('the validator did not step on the first chain');
      await new Promise((r) => setTimeout(r, 50));
    }

    await first.close();
    const second = await createLocalnet({ blockTime: 200, port, genesis });
    nets.push(second);

    const [minerReport, validatorReport] = await Promise.all([
      runningMiner.lifecycle.stopped,
      runningValidator.lifecycle.stopped,
    ]);
    expect(minerReport).toMatchObject({ reason: 'chain changed', exitCode: 1 });
    expect(validatorReport).toMatchObject({ reason: 'chain changed', exitCode: 1 });
    for (const [who, r] of [
      ['miner', m],
      ['validator', v],
    ] as const) {
      const line = r.errors.find((e) => e.msg.includes('went back from block'));
      expect(line, `${who} says why`).toBeDefined();
      expect(line!.msg).toContain(url);
      expect(line!.msg).toContain('start the neuron again');
      // Noticed on the new chain's first epoch (tempo + 1 blocks).
      const noticedAt = (line!.obj as { block: number }).block;
      expect(noticedAt, `${who} noticed at block ${noticedAt}`).toBeLessThanOrEqual(TEMPO + 1);
    }
    const recent = runningValidator.status().recentErrors;
    expect(recent.some((e) => e.code === 'CHAIN_CHANGED' && e.message.includes('went back'))).toBe(
      true,
    );
  }, 60_000);

  it('started while the chain is down: retries --subtensor.connect_retries times, then says CONNECTION_REFUSED', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const config = (retries: number) => {
      const r = loadConfig(neuronConfigSchema, {
        argv: [
          '--netuid',
          '1',
          '--subtensor.chain_endpoint',
          `ws://127.0.0.1:${port}`,
          '--subtensor.connect_retries',
          String(retries),
        ],
        env: {},
      });
      if (r.help) throw new Error('help');
      return r.config;
    };
    // No retries: the refusal at once, by its name.
    const refused = await runMiner(miner, { config: config(0) }, { hotkey: mKey }).catch((e) => e);
    expect(refused.code).toBe('CONNECTION_REFUSED');
    // With retries, a chain that comes up meanwhile is reached (this hotkey is not registered
    // on the new chain: the start-up gets that far, past the connection).
    const warnings: string[] = [];
    const quiet = () => {};
    const logger: Logger = {
      debug: quiet,
      info: quiet,
      error: quiet,
      warn: (_o, msg) => void warnings.push(msg ?? ''),
      child: () => logger,
    };
    const starting = runMiner(miner, { config: config(4) }, { logger, hotkey: mKey }).catch(
      (e) => e,
    );
    while (warnings.length === 0) await new Promise((r) => setTimeout(r, 20));
    const net = await createLocalnet({ blockTime: 200, port, genesis });
    nets.push(net);
    const outcome = await starting;
    expect(outcome.code).toBe('NOT_REGISTERED');
    expect(warnings[0]).toMatch(
      /chain not reachable \(could not connect to .*connection refused.*\): try 2 of 5 in 1 s/,
    );
  }, 30_000);
});
