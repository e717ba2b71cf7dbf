/**
 * Cost of a timelocked commit against a plain set_weights, end to end through SubtensorChain
 * (state reads, build, sign, submit, inclusion) on the in-process fixture node with the spec-343
 * metadata. Baseline: `setWeights` of the same 256 uids in the same run.
 * Run: pnpm exec tsx --conditions=@subnetkit/source bench/weights.ts
 */
import { Keypair } from '@subnetkit/wallet';
import type { SubtensorChain } from '../src/index.js';
import { connectInProcess, encodeEvents, setStorage } from '../test/support/harness.js';
import { recordedNode, SPEC343_AVAILABLE } from '../test/support/spec343.js';

if (!SPEC343_AVAILABLE) {
  console.log('fixtures absent: nothing to measure');
  process.exit(0);
}
const rounds = 10;
const alice = Keypair.fromUri('//Alice');
const node = recordedNode(['metagraph']);
const chain: SubtensorChain = await connectInProcess(node);
node.onSubmit = () => ({ kind: 'include', events: (i) => encodeEvents(chain.api, i, {}) });
const set = (item: string, keys: unknown[], value: unknown) =>
  setStorage(node, chain.api, 'subtensorModule', item, keys, value);
set('uids', [1, alice.ss58Address], 0);
set('weightsSetRateLimit', [1], 0);
set('lastUpdate', [1], [0]);
const uids = Array.from({ length: 256 }, (_, i) => i);
const weights = uids.map((i) => (i * 257) % 65536);

const time = async (fn: () => Promise<unknown>) => {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
};

set('commitRevealWeightsEnabled', [1], false);
const plain = await time(() => chain.setWeights(alice, { netuid: 1, uids, weights }));
set('commitRevealWeightsEnabled', [1], true);
const timelocked = await time(() =>
  chain.commitTimelockedWeights(alice, { netuid: 1, uids, weights }),
);
await chain.close();
console.log(
  `setWeights, 256 uids (baseline)              ${plain.toFixed(1)} ms (median of ${rounds})`,
);
console.log(
  `commitTimelockedWeights, 256 uids (1313 B)   ${timelocked.toFixed(1)} ms  (${(timelocked / plain).toFixed(2)}x baseline)`,
);
