/** The last check: the subnet's miners and validator run for real and weights land on chain. */
import {
  type AnyMinerDefinition,
  type AnyValidatorDefinition,
  type MinerBackend,
  type RunningMiner,
  type RunningValidator,
  runMiner,
  runValidator,
  silentLogger,
  type WeightsRecord,
} from '@subnetkit/neuron';
import { minerSynapsesOf } from '@subnetkit/neuron/steps';
import { expect, it } from 'vitest';
import { devHotkeys, devKey, tempDir } from '../keys.js';
import { startLocalnet } from '../localnet.js';
import { wrongMiner } from './miners.js';
import type { Subject, SubnetUnderTest } from './subjects.js';
import { until } from './wire.js';

/** The subnet's miner with every scored synapse answering wrong. */
function wrongEverywhere(subnet: SubnetUnderTest, subjects: readonly Subject[]) {
  const honest = subnet.createMiner() as AnyMinerDefinition<MinerBackend, unknown>;
  const synapses = minerSynapsesOf(honest).map((entry) => {
    const subject = subjects.find((x) => x.protocol.name === entry.protocol.name);
    return subject ? { ...entry, forward: wrongMiner(subject).forward } : entry;
  });
  return { backend: honest.backend, synapses };
}

export function itSetsWeightsOnChain(subnet: SubnetUnderTest, subjects: readonly Subject[]) {
  const timeoutS = subnet.timeoutS ?? 1.5;
  it.skipIf(subnet.skipChain === true)(
    `${subnet.name}: weights reach the chain (runMiner + runValidator on an in-process localnet)`,
    async () => {
      const ln = await startLocalnet({ netuid: 1 });
      const running: Array<RunningMiner | RunningValidator> = [];
      const state = await tempDir('subnetkit-compliance-chain-');
      try {
        const vKey = devKey('//Alice//compliance-chain-validator');
        const [goodKey, badKey] = devHotkeys('compliance-chain', 2);
        const vUid = await ln.register(vKey);
        const goodUid = await ln.register(goodKey!, devKey('//Bob'));
        const badUid = await ln.register(badKey!, devKey('//Bob'));
        await ln.stake(vKey, 1000);
        const common = ['--netuid', '1', '--subtensor.chain_endpoint', 'ws://127.0.0.1:1'];
        const minerArgv = [...common, '--axon.ip', '127.0.0.2', '--axon.port', '0'];
        const miners = [
          [subnet.createMiner() as AnyMinerDefinition<MinerBackend, never>, goodKey!],
          [wrongEverywhere(subnet, subjects) as AnyMinerDefinition<MinerBackend, never>, badKey!],
        ] as const;
        for (const [def, key] of miners) {
          running.push(
            await runMiner(
              def,
              { config: subnet.loadConfig(minerArgv) },
              { chain: ln.chain, hotkey: key, logger: silentLogger() },
            ),
          );
        }
        const weights: WeightsRecord[] = [];
        const v = await runValidator(
          subnet.createValidator() as AnyValidatorDefinition<never>,
          {
            config: subnet.loadConfig([
              ...common,
              '--neuron.full_path',
              state.path,
              '--neuron.epoch_length',
              '5',
              '--neuron.step_interval',
              '0.1',
              '--neuron.timeout',
              String(timeoutS),
            ]),
          },
          {
            chain: ln.chain,
            hotkey: vKey,
            logger: silentLogger(),
            events: { onWeights: (w) => weights.push(w) },
          },
        );
        running.push(v);
        const row = await until(
          'weights on chain',
          async () => {
            const r = (await ln.chain.getWeights(1)).get(vUid);
            return r?.some(([u, w]) => u === goodUid && w > 0) ? r : undefined;
          },
          30_000,
        );
        const w = (uid: number) => row.find(([u]) => u === uid)?.[1] ?? 0;
        expect(w(goodUid)).toBeGreaterThan(w(badUid));
        await until('the weights event', () => weights[0], 10_000);
      } finally {
        await Promise.all(running.map((n) => n.stop('compliance over')));
        await ln.close();
        await state.cleanup();
      }
    },
    60_000,
  );
}
