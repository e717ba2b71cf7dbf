import { blake2AsU8a } from '@polkadot/util-crypto';
import { Keypair, verifySignature } from '@subnetkit/wallet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChainError, commitHash, keypairToSigner, type SubtensorChain } from '../src/index.js';
import type { FixtureNode } from './support/fixture-node.js';
import { connectInProcess, encodeEvents, setStorage } from './support/harness.js';
import { ScaleReader } from './support/scale-reader.js';

const argsOf = (call: { toPrimitive(): unknown }) =>
  (call.toPrimitive() as { args: Record<string, unknown> }).args;

import { FINNEY_GENESIS, recordedNode, SPEC343_AVAILABLE } from './support/spec343.js';

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const HEAD = 6_852_690;

function compact(n: number): number[] {
  if (n < 64) return [n << 2];
  if (n < 1 << 14) return [((n << 2) | 1) & 0xff, (n >> 6) & 0xff];
  throw new Error('test helper handles small compacts only');
}
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

describe.skipIf(!SPEC343_AVAILABLE)('writes on the spec-343 metadata', () => {
  let node: FixtureNode;
  let chain: SubtensorChain;

  beforeEach(async () => {
    node = recordedNode(['metagraph']);
    chain = await connectInProcess(node, { txTimeoutMs: 5_000 });
    // Synthetic state, encoded with the metadata's own types: alice is uid 0 on subnet 1.
    setStorage(node, chain.api, 'subtensorModule', 'uids', [1, alice.ss58Address], 0);
    setStorage(node, chain.api, 'subtensorModule', 'weightsSetRateLimit', [1], 100);
    setStorage(node, chain.api, 'subtensorModule', 'commitRevealWeightsEnabled', [1], false);
    setStorage(node, chain.api, 'subtensorModule', 'lastUpdate', [1], [HEAD - 150]);
  });
  afterEach(async () => {
    await chain.close();
  });

  it('builds set_weights and serve_axon, signs them offline and decodes them back; the signature verifies', async () => {
    const signer = keypairToSigner(alice);
    const setWeights = chain.buildSetWeights({
      netuid: 1,
      uids: [0, 5, 7],
      weights: [65535, 100, 7],
      versionKey: 21706,
    });
    const serve = chain.buildServeAxon({
      netuid: 1,
      ip: '192.222.59.109',
      port: 6028,
      version: 9011001,
    });
    for (const [tx, check] of [
      [
        setWeights,
        (args: Record<string, unknown>) =>
          expect(args).toEqual({
            netuid: 1,
            dests: [0, 5, 7],
            weights: [65535, 100, 7],
            version_key: 21706,
          }),
      ],
      [
        serve,
        (args: Record<string, unknown>) =>
          expect(args).toEqual({
            netuid: 1,
            version: 9011001,
            ip: 3235789677,
            port: 6028,
            ip_type: 4,
            protocol: 4,
            placeholder1: 0,
            placeholder2: 0,
          }),
      ],
    ] as const) {
      await tx.signAsync(signer, { nonce: 7, era: 0, blockHash: FINNEY_GENESIS });
      const decoded = chain.api.createType('Extrinsic', tx.toU8a());
      expect(decoded.isSigned).toBe(true);
      expect(decoded.signer.toString()).toBe(alice.ss58Address);
      expect(decoded.nonce.toNumber()).toBe(7);
      expect(decoded.method.section).toBe('subtensorModule');
      check(argsOf(decoded.method));

      // Rebuild the signed payload by hand (call ‖ era ‖ nonce ‖ tip ‖ metadata-hash mode ‖
      // spec ‖ tx version ‖ genesis ‖ block hash ‖ metadata hash None) and verify with the
      // wallet, independently of polkadot-js' payload code.
      const rv = chain.api.runtimeVersion;
      const genesis = Buffer.from(FINNEY_GENESIS.slice(2), 'hex');
      const payload = Uint8Array.from([
        ...decoded.method.toU8a(),
        0x00,
        ...compact(7),
        0x00,
        0x00,
        ...le32(rv.specVersion.toNumber()),
        ...le32(rv.transactionVersion.toNumber()),
        ...genesis,
        ...genesis,
        0x00,
      ]);
      const message = payload.length > 256 ? blake2AsU8a(payload, 256) : payload;
      const signature = decoded.signature.toU8a();
      expect(verifySignature(message, signature, alice.publicKey)).toBe(true);
      expect(verifySignature(message, signature, bob.publicKey)).toBe(false);
      // MultiSignature::Sr25519 in the extrinsic bytes, as the chain expects.
      const raw = new ScaleReader(tx.toU8a());
      raw.compact(); // length
      expect(raw.u8()).toBe(0x84); // signed, v4
      expect(raw.u8()).toBe(0x00); // MultiAddress::Id
      expect(Buffer.from(raw.raw(32))).toEqual(Buffer.from(alice.publicKey));
      expect(raw.u8()).toBe(0x01); // Sr25519
    }
  });

  it('set_weights: success is watched to inclusion and returns the block and events', async () => {
    node.onSubmit = () => ({
      kind: 'include',
      events: (i) =>
        encodeEvents(chain.api, i, {
          events: [{ pallet: 'SubtensorModule', name: 'WeightsSet', args: [1, 0] }],
        }),
    });
    const result = await chain.setWeights(alice, {
      netuid: 1,
      uids: [0, 1],
      weights: [65535, 1000],
    });
    expect(result.blockNumber).toBe(HEAD + 1);
    expect(result.events.map((e) => `${e.section}.${e.method}`)).toEqual([
      'subtensorModule.WeightsSet',
      'system.ExtrinsicSuccess',
    ]);
    expect(node.blocks.at(-1)?.extrinsics).toHaveLength(1);
  });

  it('decodes an in-block module error by name (SettingWeightsTooFast)', async () => {
    node.onSubmit = () => ({
      kind: 'include',
      events: (i) =>
        encodeEvents(chain.api, i, {
          failedWith: { pallet: 'SubtensorModule', error: 'SettingWeightsTooFast' },
        }),
    });
    const error = (await chain
      .setWeights(alice, { netuid: 1, uids: [0], weights: [1] })
      .catch((e) => e)) as ChainError;
    expect(error.code).toBe('MODULE_ERROR');
    expect(error.details).toMatchObject({
      section: 'subtensorModule',
      name: 'SettingWeightsTooFast',
    });
    expect(error.message).toMatch(/too recently/);
    expect(error.details.blockHash).toBe(node.blocks.at(-1)?.hash);
  });

  it('decodes other module errors by name (NotEnoughBalanceToStake on add_stake)', async () => {
    node.onSubmit = () => ({
      kind: 'include',
      events: (i) =>
        encodeEvents(chain.api, i, {
          failedWith: { pallet: 'SubtensorModule', error: 'NotEnoughBalanceToStake' },
        }),
    });
    await expect(
      chain.addStake(bob, { hotkey: alice.ss58Address, netuid: 1, amount: 10n ** 9n }),
    ).rejects.toMatchObject({
      code: 'MODULE_ERROR',
      details: { name: 'NotEnoughBalanceToStake' },
    });
  });

  it('maps a pool rejection "1010 Custom error: 6" to RateLimitExceeded by name', async () => {
    node.onSubmit = () => ({
      kind: 'reject',
      code: 1010,
      message: 'Invalid Transaction',
      data: 'Custom error: 6',
    });
    await expect(
      chain.setWeights(alice, { netuid: 1, uids: [0], weights: [1] }),
    ).rejects.toMatchObject({
      code: 'POOL_REJECTED',
      details: { name: 'RateLimitExceeded', customCode: 6, rpcCode: 1010 },
    });
    node.onSubmit = () => ({
      kind: 'reject',
      code: 1010,
      message: 'Invalid Transaction',
      data: 'Custom error: 19',
    });
    await expect(
      chain.transfer(alice, { dest: bob.ss58Address, amount: 1_000n }),
    ).rejects.toMatchObject({
      details: { name: 'UidNotFound' },
    });
    node.onSubmit = () => ({
      kind: 'reject',
      code: 1014,
      message: 'Priority is too low: (1 vs 1)',
    });
    await expect(
      chain.transfer(alice, { dest: bob.ss58Address, amount: 1_000n }),
    ).rejects.toMatchObject({
      code: 'POOL_REJECTED',
      details: { name: 'PriorityTooLow' },
    });
  });

  it('says "too soon, N blocks left" without sending a transaction', async () => {
    setStorage(node, chain.api, 'subtensorModule', 'lastUpdate', [1], [HEAD - 10]);
    const status = await chain.getWeightsStatus(1, alice.ss58Address);
    expect(status).toMatchObject({
      uid: 0,
      lastUpdate: HEAD - 10,
      rateLimit: 100,
      blocksLeft: 90,
      currentBlock: HEAD,
    });
    const before = node.requests.length;
    const error = (await chain
      .setWeights(alice, { netuid: 1, uids: [0], weights: [1] })
      .catch((e) => e)) as ChainError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details.blocksLeft).toBe(90);
    expect(error.message).toMatch(/90 blocks left/);
    expect(node.requests.slice(before).some((r) => r.method.startsWith('author_'))).toBe(false);
  });

  it("reads the hotkey's validator permit and the weights stake threshold with the status", async () => {
    setStorage(node, chain.api, 'subtensorModule', 'validatorPermit', [1], [false]);
    setStorage(node, chain.api, 'subtensorModule', 'stakeThreshold', [], 1_000_000_000_000n);
    expect(await chain.getWeightsStatus(1, alice.ss58Address)).toMatchObject({
      uid: 0,
      validatorPermit: false,
      stakeThreshold: 1_000_000_000_000n,
    });
    setStorage(node, chain.api, 'subtensorModule', 'validatorPermit', [1], [true]);
    expect((await chain.getWeightsStatus(1, alice.ss58Address)).validatorPermit).toBe(true);
    // Not registered: no uid, so no permit to read.
    expect((await chain.getWeightsStatus(1, bob.ss58Address)).validatorPermit).toBeNull();
  });

  it('refuses set_weights for an unregistered hotkey and when commit-reveal is on, without sending', async () => {
    await expect(
      chain.setWeights(bob, { netuid: 1, uids: [0], weights: [1] }),
    ).rejects.toMatchObject({ code: 'NOT_REGISTERED' });
    setStorage(node, chain.api, 'subtensorModule', 'commitRevealWeightsEnabled', [1], true);
    await expect(
      chain.setWeights(alice, { netuid: 1, uids: [0], weights: [1] }),
    ).rejects.toMatchObject({
      code: 'COMMIT_REVEAL_ENABLED',
    });
    expect(node.requests.some((r) => r.method.startsWith('author_'))).toBe(false);
  });

  it('commit_weights sends the commit-reveal v2 hash; reveal_weights sends what it hashes', async () => {
    setStorage(node, chain.api, 'subtensorModule', 'commitRevealWeightsEnabled', [1], true);
    const sent: string[] = [];
    node.onSubmit = (hex) => {
      sent.push(hex);
      return { kind: 'include', events: (i) => encodeEvents(chain.api, i, {}) };
    };
    const params = {
      netuid: 1,
      uids: [0, 3],
      weights: [65535, 12000],
      salt: [9, 8, 7],
      versionKey: 21706,
    };
    const commit = await chain.commitWeights(alice, params);
    expect(commit.salt).toEqual([9, 8, 7]);
    const decoded = chain.api.createType('Extrinsic', sent[0]);
    expect(decoded.method.method).toBe('commitWeights');
    expect(decoded.method.args[1]?.toHex()).toBe(commit.commitHash);
    // polkadot-js' own encoding of the tuple subtensor hashes gives the same hash.
    const tuple = chain.api.createType('(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)', [
      alice.publicKey,
      1,
      params.uids,
      params.weights,
      params.salt,
      params.versionKey,
    ]);
    expect(Buffer.from(blake2AsU8a(tuple.toU8a(), 256)).toString('hex')).toBe(
      commit.commitHash.slice(2),
    );
    await chain.revealWeights(alice, params);
    const reveal = chain.api.createType('Extrinsic', sent[1]);
    expect(reveal.method.method).toBe('revealWeights');
    expect(argsOf(reveal.method)).toEqual({
      netuid: 1,
      uids: [0, 3],
      values: [65535, 12000],
      salt: [9, 8, 7],
      version_key: 21706,
    });
  });

  it('burned_register returns the uid from NeuronRegistered', async () => {
    node.onSubmit = () => ({
      kind: 'include',
      events: (i) =>
        encodeEvents(chain.api, i, {
          events: [
            {
              pallet: 'SubtensorModule',
              name: 'NeuronRegistered',
              args: [1, 1023, bob.ss58Address],
            },
          ],
        }),
    });
    const result = await chain.burnedRegister(alice, { netuid: 1, hotkey: bob.ss58Address });
    expect(result.uid).toBe(1023);
  });

  it('serve_axon: refuses exactly what the chain refuses, before sending', async () => {
    const refused = [
      [{ ip: '127.0.0.1', port: 8091 }, 'InvalidIpAddress'],
      [{ ip: '::1', port: 8091 }, 'InvalidIpAddress'],
      [{ ip: '255.255.255.255', port: 8091 }, 'InvalidIpAddress'],
      [{ ip: '10.0.0.1', port: 0 }, 'InvalidPort'],
      [{ ip: 16909060n, ipType: 5, port: 8091 }, 'InvalidIpType'],
    ] as const;
    for (const [params, name] of refused) {
      await expect(chain.serveAxon(alice, { netuid: 1, ...params })).rejects.toMatchObject({
        code: 'AXON_REFUSED',
        details: { name },
      });
    }
    expect(node.requests.some((r) => r.method.startsWith('author_'))).toBe(false);
    // Private, other-loopback and zero addresses are accepted, as the chain accepts them.
    const sent: string[] = [];
    node.onSubmit = (hex) => {
      sent.push(hex);
      return { kind: 'include', events: (i) => encodeEvents(chain.api, i, {}) };
    };
    for (const ip of ['10.0.0.1', '127.0.0.2', '0.0.0.0', '2001:db8::1']) {
      await chain.serveAxon(alice, { netuid: 1, ip, port: 8091 });
    }
    const last = argsOf(chain.api.createType('Extrinsic', sent[3]).method);
    expect(BigInt(String(last.ip))).toBe(42540766411282592856903984951653826561n);
    expect(last.ip_type).toBe(6);
  });

  it('transfer and add_stake build the calls subtensor expects', async () => {
    const sent: string[] = [];
    node.onSubmit = (hex) => {
      sent.push(hex);
      return { kind: 'include', events: (i) => encodeEvents(chain.api, i, {}) };
    };
    await chain.transfer(alice, { dest: bob.ss58Address, amount: 123_456n });
    await chain.addStake(alice, { hotkey: bob.ss58Address, netuid: 1, amount: 10n ** 9n });
    const transfer = chain.api.createType('Extrinsic', sent[0]).method;
    expect(`${transfer.section}.${transfer.method}`).toBe('balances.transferKeepAlive');
    expect(argsOf(transfer)).toEqual({ dest: { id: bob.ss58Address }, value: 123456 });
    const stake = chain.api.createType('Extrinsic', sent[1]).method;
    expect(argsOf(stake)).toEqual({
      hotkey: bob.ss58Address,
      netuid: 1,
      amount_staked: 1_000_000_000,
    });
    await expect(chain.transfer(alice, { dest: 'nope', amount: 1n })).rejects.toMatchObject({
      details: { field: 'dest' },
    });
    await expect(
      chain.transfer(alice, { dest: bob.ss58Address, amount: 0n }),
    ).rejects.toMatchObject({ details: { field: 'amount' } });
  });

  it('never reports success when the block events cannot be decoded', async () => {
    node.onSubmit = () => ({
      kind: 'include',
      events: () => '0x0800000000000000000000000000000000',
    });
    await expect(
      chain.transfer(alice, { dest: bob.ss58Address, amount: 1n }),
    ).rejects.toMatchObject({
      code: 'TX_OUTCOME_UNKNOWN',
    });
  });

  it('a submission the node holds times out clearly with the tx hash', async () => {
    node.onSubmit = () => ({ kind: 'hold' });
    const error = (await chain
      .transfer(alice, { dest: bob.ss58Address, amount: 1n }, { timeoutMs: 300 })
      .catch((e) => e)) as ChainError;
    expect(error.code).toBe('TX_TIMEOUT');
    expect(error.details.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('the commit hash matches an independent test vector', () => {
    const hash = commitHash({
      hotkey: new Uint8Array(32),
      netuid: 1,
      uids: [0, 1],
      weights: [65535, 32768],
      salt: [1, 2, 3],
      versionKey: 0,
    });
    expect(Buffer.from(hash).toString('hex')).toBe(
      '93768f433621f56dc42f4d40e6f9725131fed4786efe13cf73661dbb1e965577',
    );
  });
});
