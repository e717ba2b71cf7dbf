import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubtensorChain } from '@subnetkit/chain';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, describe, expect, it } from 'vitest';
import { marketGenesis, setupChain } from '../src/chain-setup.js';
import { startLocalnetProcess } from '../src/localnet-process.js';
import { findRepoRoot, localnetEntry } from '../src/paths.js';
import { allSlots, planMarket } from '../src/plan.js';
import { Supervisor } from '../src/supervisor.js';
import { createMarketWallets } from '../src/wallets.js';
import { testRoster } from './rosters.js';

const dir = mkdtempSync(join(tmpdir(), 'subnetkit-market-setup-'));
mkdirSync(join(dir, 'logs'));
const supervisor = new Supervisor();
let chain: SubtensorChain | undefined;
afterAll(async () => {
  await chain?.close();
  await supervisor.stopAll(3000);
  rmSync(dir, { recursive: true, force: true });
});

describe('market setup on a localnet process', () => {
  it('funds, registers every neuron on its own subnet, stakes on each validator and publishes dead axons', async () => {
    const root = findRepoRoot();
    const tempo = 12;
    const net = await startLocalnetProcess(supervisor, {
      root,
      entry: localnetEntry(root),
      dir,
      blockTimeMs: 100,
      genesis: marketGenesis(tempo, [1, 2]),
    });
    expect(net.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    chain = await SubtensorChain.connect({ chainEndpoint: net.url, blockTimeSeconds: 0.1 });
    const plans = planMarket(
      [testRoster('template'), testRoster('image')],
      [
        { subnet: 'template', variant: 'honest', count: 2 },
        { subnet: null, variant: 'slow', count: 0 },
        { subnet: 'image', variant: 'honest', count: 1 },
        { subnet: 'image', variant: 'wrong', count: 0 },
        { subnet: 'image', variant: 'dead', count: 0 },
      ],
    );
    const slots = allSlots(plans);
    const wallets = await createMarketWallets(
      dir,
      slots.map((s) => s.id),
    );
    const steps: string[] = [];
    const { uids } = await setupChain(chain, {
      funder: Keypair.fromUri('//Alice'),
      coldkey: wallets.coldkey,
      slots,
      hotkeys: wallets.hotkeys,
      validatorStakeTao: 500n,
      deadPort: () => 4321,
      onStep: (m) => steps.push(m),
    });
    const mg = await chain.getMetagraph(1);
    const mg2 = await chain.getMetagraph(2);
    for (const g of [mg, mg2]) {
      expect(g.hyperparameters?.tempo).toBe(tempo);
      expect(g.hyperparameters?.commitRevealWeightsEnabled).toBe(false);
    }
    for (const slot of slots) {
      const g = slot.netuid === 1 ? mg : mg2;
      const hotkey = wallets.hotkeys.get(slot.id)!.ss58Address;
      const uid = uids.get(slot.id)!;
      expect(g.hotkeys[uid], slot.id).toBe(hotkey);
      expect(g.coldkeys[uid]).toBe(wallets.coldkey.ss58Address);
      // registered on its own subnet only
      expect((slot.netuid === 1 ? mg2 : mg).hotkeys).not.toContain(hotkey);
    }
    // owner + validator + 2 honest + wrong + dead; owner + validator + 1 honest
    expect([mg.hotkeys.length, mg2.hotkeys.length]).toEqual([6, 3]);
    const v = uids.get('template-validator')!;
    const h = uids.get('template-honest-1')!;
    expect(mg.stake[v]! > mg.stake[h]!).toBe(true);
    const v2 = uids.get('image-validator')!;
    expect(mg2.stake[v2]! > mg2.stake[uids.get('image-honest-1')!]!).toBe(true);
    const d = uids.get('template-dead-1')!;
    expect(mg.axons[d]).toMatchObject({ ip: '127.0.0.6', port: 4321 });
    expect(mg.axons[h]!.ip).toBe('0.0.0.0');
    expect(steps.some((s) => s.includes('nothing listens'))).toBe(true);
  }, 60_000);
});
