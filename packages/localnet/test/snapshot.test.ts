import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise } from '@polkadot/api';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalnet } from '../src/index.js';
import { inOneBlock } from './helpers.js';

const bob = Keypair.fromUri('//Bob');
const hot = Keypair.fromUri('//Bob//snap');
const dir = mkdtempSync(join(tmpdir(), 'localnet-snap-'));

describe('state snapshot', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a restart from the snapshot keeps the chain: genesis, height, state, nonces', async () => {
    const file = join(dir, 'chain.json');
    const first = await createLocalnet({
      blockTime: 'manual',
      snapshotFile: file,
      genesis: { subnets: [{ netuid: 1 }] },
    });
    const api1 = await ApiPromise.create({ provider: first.provider() as never, noInitWarn: true });
    await inOneBlock(api1, first, [
      [api1.tx.subtensorModule!.burnedRegister!(1, hot.ss58Address), bob],
    ]);
    first.produceBlocks(3);
    const genesis = first.chain.blocks[0]?.hash;
    const height = first.chain.head.number;
    await api1.disconnect();
    await first.close();

    const second = await createLocalnet({ blockTime: 'manual', snapshotFile: file });
    const api2 = await ApiPromise.create({
      provider: second.provider() as never,
      noInitWarn: true,
    });
    expect(second.chain.blocks[0]?.hash).toBe(genesis);
    expect(second.chain.head.number).toBe(height + 1);
    expect((await api2.query.subtensorModule!.uids!(1, hot.ss58Address)).toJSON()).toBe(1);
    // Bob's next transaction is signed and accepted against the resumed chain (nonce 1).
    await inOneBlock(api2, second, [
      [api2.tx.balances!.transferKeepAlive!(hot.ss58Address, 10_000n), bob],
    ]);
    expect(second.chain.accountNonce(bob.publicKey)).toBe(2);
    await api2.disconnect();
    await second.close();
  });

  it('refuses a file that is not a snapshot, naming the option', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"format":"something else"}');
    await expect(createLocalnet({ blockTime: 'manual', snapshotFile: file })).rejects.toThrow(
      /snapshotFile: .* is not a subnetkit-localnet-snapshot\/1 file/,
    );
  });
});
