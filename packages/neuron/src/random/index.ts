/** `@subnetkit/neuron/random`: the seeded PRNG alone (no runtime, no chain), for worker threads. */
export {
  assertSeed,
  SEED_BYTES,
  type SeededRandom,
  seededRandom,
  seedFromHex,
} from './seeded-random.js';
