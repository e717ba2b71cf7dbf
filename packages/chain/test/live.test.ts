import { describe, it } from 'vitest';
import { describeLiveChain } from './live-suite.js';

const endpoint = process.env.SUBTENSOR_WS;

if (endpoint) {
  describeLiveChain(`live node at ${endpoint}`, {
    endpoint: () => endpoint,
    netuid: Number(process.env.SUBTENSOR_NETUID ?? 1),
    writes: process.env.SUBTENSOR_WRITES === '1',
    ...(process.env.SUBTENSOR_BEACON === 'chain' ? { beacon: 'chain' as const } : {}),
    ...(process.env.SUBTENSOR_BLOCK_TIME
      ? { blockTimeSeconds: Number(process.env.SUBTENSOR_BLOCK_TIME) }
      : {}),
    waitForReveal: process.env.SUBTENSOR_REVEAL === '1',
  });
} else {
  console.warn(
    '[chain tests] SUBTENSOR_WS is not set: live-node tests are SKIPPED (see packages/chain/README.md)',
  );
  describe('live node (SUBTENSOR_WS not set)', () => {
    it.skip('set SUBTENSOR_WS=ws://127.0.0.1:9944 to run against a subtensor localnet', () => {});
  });
}
