import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubtensorChain } from '@subnetkit/chain';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, describe, expect, it } from 'vitest';
import { MARKET_NETUID, marketGenesis, setupChain } from '../src/chain-setup.js';
import { startLocalnetProcess } from '../src/localnet-process.js';
import { findRepoRoot, repoEntries } from '../src/paths.js';
import { planNeurons } from '../src/plan.js';
import { Supervisor } from '../src/supervisor.js';
import { createMarketWallets } from '../src/wallets.js';

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
  it('funds, registers every neuron, stakes on the validator and publishes dead axons', async () => {
    const root = findRepoRoot();
    const tempo = 12;
    const net = await startLocalnetProcess(supervisor, {
      root,
      entry: repoEntries(root).localnet,
      dir,
      blockTimeMs: 100,
      genesis: marketGenesis(tempo),
    });
    expect(net.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    chain = await SubtensorChain.connect({ chainEndpoint: net.url, blockTimeSeconds: 0.1 });
    const slots = planNeurons({ honest: 2, wrong: 1, slow: 0, garbage: 0, dead: 1 });
    const wallets = await createMarketWallets(
      dir,
      slots.map((s) => s.name),
    );
    const steps: string[] = [];
    const { uids } = await setupChain(chain, {
      netuid: MARKET_NETUID,
      funder: Keypair.fromUri('//Alice'),
      coldkey: wallets.coldkey,
      slots,
      hotkeys: wallets.hotkeys,
      validatorStakeTao: 500n,
      deadPort: () => 4321,
      onStep: (m) => steps.push(m),
    });
    const mg = await chain.getMetagraph(MARKET_NETUID);
    expect(mg.hyperparameters?.tempo).toBe(tempo);
    expect(mg.hyperparameters?.commitRevealWeightsEnabled).toBe(false);
    for (const slot of slots) {
      const hotkey = wallets.hotkeys.get(slot.name)!.ss58Address;
      const uid = uids.get(slot.name)!;
      expect(mg.hotkeys[uid]).toBe(hotkey);
      expect(mg.coldkeys[uid]).toBe(wallets.coldkey.ss58Address);
    }
    const v = uids.get('validator')!;
    const h = uids.get('honest-1')!;
    expect(mg.stake[v]! > mg.stake[h]!).toBe(true);
    const d = uids.get('dead-1')!;
    expect(mg.axons[d]).toMatchObject({ ip: '127.0.0.6', port: 4321 });
    expect(mg.axons[h]!.ip).toBe('0.0.0.0');
    expect(steps.some((s) => s.includes('nothing listens'))).toBe(true);
  }, 60_000);
});
