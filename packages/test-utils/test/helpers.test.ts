import { loadConfig, loadHotkey, neuronConfigSchema } from '@subnetkit/neuron';
import { CallerIndex, selectMiners } from '@subnetkit/neuron/steps';
import { describe, expect, it } from 'vitest';
import { createDevWallet, devHotkeys, devKey, fakeMetagraph, startLocalnet } from '../src/index.js';

describe('test-utils helpers', () => {
  it('fakeMetagraph: a complete metagraph the runtime reads like a real one', () => {
    const [a, b, c] = devHotkeys('tu', 3);
    const m = fakeMetagraph([
      { hotkey: a!, validatorPermit: true, stake: 5n * 10n ** 9n },
      { hotkey: b!, axon: { ip: '127.0.0.2', port: 9000 } },
      { hotkey: c! },
    ]);
    expect(m.n).toBe(3);
    expect(m.uids).toEqual([0, 1, 2]);
    expect(m.axons.map((x) => x.isServing)).toEqual([false, true, false]);
    // Only the serving uid is selectable; the caller index sees stake and permit.
    expect(selectMiners(m, { sampleSize: 5, called: [] }).uids).toEqual([1]);
    expect(new CallerIndex(m).lookup(a!.ss58Address)).toMatchObject({
      uid: 0,
      stake: 5n * 10n ** 9n,
      validatorPermit: true,
    });
  });

  it('createDevWallet writes a btcli-layout wallet the neuron loads by its flags', async () => {
    const w = await createDevWallet({ name: 'm1', hotkey: 'h1', coldkeyUri: '//Bob' });
    try {
      expect(w.coldkey.ss58Address).toBe(devKey('//Bob').ss58Address);
      const r = loadConfig(neuronConfigSchema, { argv: w.flags, env: {} });
      if (r.help) throw new Error('help');
      const hotkey = await loadHotkey(r.config);
      expect(hotkey.ss58Address).toBe(w.hotkey.ss58Address);
      expect(hotkey.ss58Address).toBe(devKey('//Bob//m1//h1').ss58Address);
    } finally {
      await w.cleanup();
    }
  });

  it('startLocalnet: a subnet with fast blocks; register and stake through the real extrinsics', async () => {
    const ln = await startLocalnet({ netuid: 3 });
    try {
      const [v, m] = devHotkeys('tu-ln', 2);
      const vUid = await ln.register(v!);
      const mUid = await ln.register(m!, devKey('//Bob'));
      expect([vUid, mUid]).toEqual([1, 2]);
      await ln.stake(v!, 100);
      const head = await ln.waitBlocks(2);
      const g = await ln.chain.getMetagraph(3);
      expect(g.hotkeys.slice(1)).toEqual([v!.ss58Address, m!.ss58Address]);
      expect(g.stake[vUid]!).toBeGreaterThan(0n);
      expect(g.block).toBeGreaterThanOrEqual(head - 1);
      const h = await ln.chain.getHyperparameters(3);
      expect(h).toMatchObject({ tempo: 10, commitRevealWeightsEnabled: false });
    } finally {
      await ln.close();
    }
  });
});
