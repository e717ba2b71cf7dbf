/**
 * Metagraph read time for the recorded mainnet subnet 1 (1024 neurons), in-process provider.
 * Baseline: decoding the same get_neurons_lite bytes with the minimal test SCALE reader.
 * Run: pnpm exec tsx --conditions=@subnetkit/source bench/metagraph.ts
 */
import { connectInProcess } from '../test/support/harness.js';
import { readNeuronLite, ScaleReader } from '../test/support/scale-reader.js';
import { loadSpec343, recordedNode, SPEC343_AVAILABLE } from '../test/support/spec343.js';

if (!SPEC343_AVAILABLE) {
  console.log('fixtures absent: nothing to measure');
  process.exit(0);
}
const rounds = 5;
const time = async (fn: () => Promise<unknown> | unknown) => {
  await fn();
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await fn();
  return (performance.now() - t0) / rounds;
};
const calls = loadSpec343().recordings.metagraph?.state_call ?? {};
const lite = String(
  Object.entries(calls).find(([p]) => p.includes('get_neurons_lite'))?.[1].result,
);
const chain = await connectInProcess(recordedNode(['metagraph']));
const baseline = await time(() => {
  const r = new ScaleReader(lite);
  return r.vec(() => readNeuronLite(r));
});
const mecha = await time(() => chain.getMetagraph(1, { source: 'mechagraph' }));
const neurons = await time(() => chain.getMetagraph(1, { source: 'neurons' }));
await chain.close();
console.log(`raw SCALE reader (baseline)   ${baseline.toFixed(1)} ms`);
console.log(
  `getMetagraph via mechagraph   ${mecha.toFixed(1)} ms  (${(mecha / baseline).toFixed(1)}x baseline)`,
);
console.log(
  `getMetagraph via neurons_lite ${neurons.toFixed(1)} ms  (${(neurons / baseline).toFixed(1)}x baseline)`,
);
