import type { Chain } from '@subnetkit/chain';
import type { Logger } from '@subnetkit/core';
import { describe, expect, it } from 'vitest';
import { createLifecycle } from '../lifecycle.js';
import { createChainWatch, REORG_TOLERANCE } from './chain-watch.js';

function setup(genesis: () => Promise<string>) {
  const errors: string[] = [];
  const reported: unknown[] = [];
  const quiet = () => {};
  const logger: Logger = {
    debug: quiet,
    info: quiet,
    warn: quiet,
    error: (_o, m) => void errors.push(m ?? ''),
    child: () => logger,
  };
  const lifecycle = createLifecycle({}, { logger: { info: quiet, warn: quiet, error: quiet } });
  const chain = { endpoint: 'ws://127.0.0.1:9944', getGenesisHash: genesis } as unknown as Chain;
  const watch = createChainWatch({
    chain,
    logger,
    lifecycle,
    report: (e) => reported.push(e),
    genesisHash: '0xaa',
  });
  return { watch, lifecycle, errors, reported };
}

describe('createChainWatch', () => {
  it('lets heads move on and step back within the reorg tolerance', async () => {
    const { watch, lifecycle, errors } = setup(async () => '0xaa');
    for (const n of [10, 11, 12, 12 - REORG_TOLERANCE, 13])
      watch.onBlock({ number: n, hash: '0x' });
    await watch.checkGenesis();
    expect(errors).toEqual([]);
    expect(lifecycle.state).toBe('running');
  });

  it('a head further back stops the neuron with exit code 1, said once', async () => {
    const { watch, lifecycle, errors, reported } = setup(async () => '0xaa');
    watch.onBlock({ number: 500, hash: '0x' });
    watch.onBlock({ number: 3, hash: '0x' });
    watch.onBlock({ number: 2, hash: '0x' });
    const report = await lifecycle.stopped;
    expect(report).toMatchObject({ reason: 'chain changed', exitCode: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('went back from block 500 to 3');
    expect((reported[0] as { code: string }).code).toBe('CHAIN_CHANGED');
  });

  it('another genesis hash stops it; an unreachable chain does not', async () => {
    let answer: () => Promise<string> = () => Promise.reject(new Error('down'));
    const { watch, lifecycle, errors } = setup(() => answer());
    await watch.checkGenesis();
    expect(lifecycle.state).toBe('running');
    answer = async () => '0xbb';
    await watch.checkGenesis();
    expect((await lifecycle.stopped).exitCode).toBe(1);
    expect(errors[0]).toContain('is another chain now (genesis 0xbb, was 0xaa)');
  });
});
