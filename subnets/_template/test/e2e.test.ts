// End to end on an in-process localnet: the template's miners (two honest, one wrong, one
// slow) and validator through the real runtime; weights reach the chain and, after an epoch,
// the chain's incentive goes to the honest miners only.
import {
  loadConfig,
  type RunningMiner,
  type RunningValidator,
  runMiner,
  runValidator,
  silentLogger,
} from '@subnetkit/neuron';
import {
  devHotkeys,
  devKey,
  startLocalnet,
  type TestLocalnet,
  tempDir,
} from '@subnetkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemplateMiner,
  createTemplateValidator,
  OfflineBackend,
  templateConfigSchema,
} from '../src/index.js';
import { type AdversaryVariant, createAdversaryMiner } from '../src/market/adversaries.js';

const config = (argv: string[]) => {
  const r = loadConfig(templateConfigSchema, { argv, env: {} });
  if (r.help) throw new Error('help');
  return r.config;
};

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('template end to end on an in-process localnet', () => {
  let ln: TestLocalnet;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const running: Array<RunningMiner | RunningValidator> = [];

  beforeAll(async () => {
    ln = await startLocalnet({ netuid: 1 });
    dir = await tempDir('template-e2e-');
  });
  afterAll(async () => {
    await Promise.all(running.map((n) => n.stop('test over')));
    await ln?.close();
    await dir?.cleanup();
  });

  it('honest miners earn the incentive; wrong and slow miners earn none', async () => {
    const validatorKey = devKey('//Alice//template-e2e-validator');
    const minerKeys = devHotkeys('template-e2e', 4);
    const variants: Array<AdversaryVariant | 'honest'> = ['honest', 'honest', 'wrong', 'slow'];
    const vUid = await ln.register(validatorKey);
    const uids: number[] = [];
    for (const k of minerKeys) uids.push(await ln.register(k, devKey('//Bob')));
    await ln.stake(validatorKey, 1000);

    const common = ['--netuid', '1', '--subtensor.chain_endpoint', 'ws://127.0.0.1:1'];
    for (const [i, k] of minerKeys.entries()) {
      const c = config([...common, '--axon.ip', '127.0.0.2', '--axon.port', '0']);
      const honest = createTemplateMiner(new OfflineBackend());
      const variant = variants[i]!;
      running.push(
        await runMiner(
          variant === 'honest' ? honest : createAdversaryMiner(variant, honest),
          { config: c },
          {
            chain: ln.chain,
            hotkey: k,
            logger: silentLogger(),
          },
        ),
      );
    }
    const v = await runValidator(
      createTemplateValidator(),
      {
        config: config([
          ...common,
          '--neuron.full_path',
          dir.path,
          '--neuron.epoch_length',
          '5',
          '--neuron.step_interval',
          '0.1',
          '--neuron.timeout',
          '1',
          '--neuron.moving_average_alpha',
          '0.5',
        ]),
      },
      { chain: ln.chain, hotkey: validatorKey, logger: silentLogger() },
    );
    running.push(v);
    expect(v.uid).toBe(vUid);

    // Weights on chain: the honest miners above the others.
    const row = await until('weights on chain', async () => {
      const r = (await ln.chain.getWeights(1)).get(vUid);
      return r?.filter(([, w]) => w > 0).length === 2 ? r : undefined;
    });
    expect(
      row
        .filter(([, w]) => w > 0)
        .map(([u]) => u)
        .sort(),
    ).toEqual([uids[0], uids[1]].sort());

    // After an epoch, the chain's incentive follows: honest > 0, wrong and slow = 0.
    const m = await until('incentive after an epoch', async () => {
      const g = await ln.chain.getMetagraph(1);
      return g.incentive[uids[0]!]! > 0 && g.incentive[uids[1]!]! > 0 ? g : undefined;
    });
    expect(m.incentive[uids[2]!]).toBe(0);
    expect(m.incentive[uids[3]!]).toBe(0);
    expect(m.incentive[uids[0]!]! + m.incentive[uids[1]!]!).toBeGreaterThan(65535 * 0.9);
    // The miners' status counts what they served.
    const served = (n: RunningMiner) => (n.status().requests as { served: number }).served;
    expect(served(running[0] as RunningMiner)).toBeGreaterThan(0);
  });
});
