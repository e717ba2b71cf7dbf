import { hexToU8a, u8aToHex } from '@polkadot/util';
import { encodeAddress } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubtensorChain } from '../src/index.js';
import { intToIp } from '../src/index.js';
import { connectInProcess } from './support/harness.js';
import { readAxon, readNeuronLite, ScaleReader } from './support/scale-reader.js';
import { loadSpec343, recordedNode, SPEC343_AVAILABLE } from './support/spec343.js';

const ss58 = (bytes: Uint8Array) => encodeAddress(bytes, 42);

/** The raw recorded result of a runtime API call in a session. */
function recordedCall(session: string, method: string): string {
  const calls = loadSpec343().recordings[session]?.state_call ?? {};
  for (const [params, response] of Object.entries(calls)) {
    if ((JSON.parse(params) as string[])[0] === method) return String(response.result);
  }
  throw new Error(`no ${method} in ${session}`);
}

function recordedStorage(
  session: string,
  keySuffixOrPrefix: (key: string) => boolean,
): Array<[string, string | null]> {
  const s = loadSpec343().recordings[session] ?? {};
  const out: Array<[string, string | null]> = [];
  for (const [params, response] of Object.entries(s.state_getStorageAt ?? {})) {
    const key = String((JSON.parse(params) as unknown[])[0]);
    if (keySuffixOrPrefix(key)) out.push([key, response.result as string | null]);
  }
  for (const response of Object.values(s.state_queryStorageAt ?? {})) {
    for (const [key, value] of (response.result as { changes: [string, string | null][] }[])[0]
      ?.changes ?? []) {
      if (keySuffixOrPrefix(key)) out.push([key, value]);
    }
  }
  return out;
}

describe.skipIf(!SPEC343_AVAILABLE)(
  'SubtensorChain on recorded mainnet data (spec 343, netuid 1, block 6852690)',
  () => {
    let chain: SubtensorChain;
    // Independent decode of the raw get_neurons_lite bytes the node returned.
    let rawNeurons: ReturnType<typeof readNeuronLite>[];

    beforeAll(async () => {
      chain = await connectInProcess(recordedNode(['metagraph']));
      const reader = new ScaleReader(
        recordedCall('metagraph', 'NeuronInfoRuntimeApi_get_neurons_lite'),
      );
      rawNeurons = reader.vec(() => readNeuronLite(reader));
      expect(reader.remaining).toBe(0);
    });
    afterAll(async () => {
      await chain?.close();
    });

    it('comes up on the V15 metadata and accepts its transaction extensions', () => {
      expect(chain.api.runtimeVersion.specVersion.toNumber()).toBe(343);
      expect(chain.extensions.emptyUnknown).toEqual([
        'SubtensorTransactionExtension',
        'DrandPriority',
      ]);
      expect(chain.extensions.known).toContain('ChargeTransactionPayment');
      expect(chain.extensions.known).toContain('CheckMetadataHash');
    });

    it('reads the block number of the recorded head', async () => {
      expect(await chain.getCurrentBlock()).toBe(6_852_690);
    });

    it('decodes the metagraph from get_selective_mechagraph, matching the raw neurons field by field', async () => {
      const m = await chain.getMetagraph(1);
      expect(m.source).toBe('mechagraph');
      expect(m.block).toBe(6_852_690);
      expect(m.n).toBe(1024);
      expect(rawNeurons).toHaveLength(1024);
      // Several neurons, every field, against the independent decoder.
      for (const uid of [0, 1, 2, 77, 511, 1023]) {
        const raw = rawNeurons[uid];
        if (!raw) throw new Error(`no raw neuron ${uid}`);
        expect(raw.uid).toBe(uid);
        expect(m.hotkeys[uid]).toBe(ss58(raw.hotkey));
        expect(m.coldkeys[uid]).toBe(ss58(raw.coldkey));
        expect(m.active[uid]).toBe(raw.active);
        expect(m.validatorPermit[uid]).toBe(raw.validatorPermit);
        expect(m.lastUpdate[uid]).toBe(raw.lastUpdate);
        expect(m.incentive[uid]).toBe(raw.incentive);
        expect(m.dividends[uid]).toBe(raw.dividends);
        expect(m.consensus[uid]).toBe(raw.consensus);
        expect(m.emission[uid]).toBe(raw.emission);
        expect(m.trust[uid]).toBe(raw.trust);
        expect(m.rank[uid]).toBe(raw.rank);
        expect(m.pruningScore[uid]).toBe(raw.pruningScore);
        const axon = m.axons[uid];
        expect(axon?.ipInt).toBe(raw.axon.ip);
        expect(axon?.port).toBe(raw.axon.port);
        expect(axon?.version).toBe(raw.axon.version);
        expect(axon?.ipType).toBe(raw.axon.ipType);
        expect(axon?.block).toBe(Number(raw.axon.block));
        expect(axon?.ip).toBe(
          raw.axon.ip === 0n ? '0.0.0.0' : intToIp(raw.axon.ip, raw.axon.ipType),
        );
      }
      // The whole subnet, column by column.
      expect(m.hotkeys).toEqual(rawNeurons.map((n) => ss58(n.hotkey)));
      expect(m.lastUpdate).toEqual(rawNeurons.map((n) => n.lastUpdate));
      expect(m.emission).toEqual(rawNeurons.map((n) => n.emission));
      expect(m.validatorPermit).toEqual(rawNeurons.map((n) => n.validatorPermit));
      expect(m.stakeKind).toBe('total');
      expect(m.stake).toEqual(m.totalStake);
      expect(m.alphaStake).toHaveLength(1024);
      expect(m.taoStake).toHaveLength(1024);
      expect(m.blockAtRegistration?.every((b) => b > 0 && b <= 6_852_690)).toBe(true);
    });

    it('decodes a real mainnet axon (192.222.59.109:6028, SDK 9.11.1)', async () => {
      const m = await chain.getMetagraph(1);
      const axon = m.axons[0];
      expect(axon).toMatchObject({
        ip: '192.222.59.109',
        ipInt: 3235789677n,
        port: 6028,
        version: 9011001,
        ipType: 4,
        isServing: true,
      });
      expect(m.axons.filter((a) => a.isServing).length).toBeGreaterThan(0);
      expect(
        m.axons.filter((a) => a.isServing).every((a) => a.ipType === 4 || a.ipType === 6),
      ).toBe(true);
    });

    it('gives the same metagraph from get_neurons_lite as from the mechagraph', async () => {
      const viaMecha = await chain.getMetagraph(1);
      const viaNeurons = await chain.getMetagraph(1, { source: 'neurons' });
      expect(viaNeurons.source).toBe('neurons');
      for (const key of [
        'uids',
        'hotkeys',
        'coldkeys',
        'axons',
        'active',
        'validatorPermit',
        'lastUpdate',
        'incentive',
        'dividends',
        'consensus',
        'trust',
        'rank',
        'pruningScore',
        'emission',
      ] as const) {
        expect(viaNeurons[key], key).toEqual(viaMecha[key]);
      }
      // neurons_lite reports the hotkey's own alpha (TotalHotkeyAlpha); the mechagraph's
      // alpha_stake includes child-key inheritance, so the two differ for some validators.
      expect(viaNeurons.stakeKind).toBe('own-alpha');
      expect(viaNeurons.ownAlphaStake).toEqual(
        rawNeurons.map((n) => n.stake.reduce((s, e) => s + e.amount, 0n)),
      );
      expect(viaNeurons.stake).toEqual(viaNeurons.ownAlphaStake);
      expect(viaNeurons.validatorTrust).toEqual(rawNeurons.map((n) => n.validatorTrust));
    });

    it('decodes hyperparameters matching the recorded mechagraph bytes', async () => {
      const h = await chain.getHyperparameters(1, { source: 'mechagraph' });
      // Independent decode of the scalar head of the recorded SelectiveMetagraph.
      const r = new ScaleReader(
        recordedCall('metagraph', 'SubnetInfoRuntimeApi_get_selective_mechagraph'),
      );
      expect(r.u8()).toBe(1); // Some
      expect(r.compactNum()).toBe(1); // netuid
      const text = (codes: bigint[]) => Buffer.from(codes.map(Number)).toString('utf8');
      expect(text(r.option(() => r.vec(() => r.compact())) ?? [])).toBe('Apex');
      r.option(() => r.vec(() => r.compact())); // symbol
      r.option(() => r.option(() => Array.from({ length: 8 }, () => r.bytesVec()))); // identity
      const c = () => r.option(() => r.compact()) as bigint;
      c(); // network_registered_at
      r.option(() => r.account());
      r.option(() => r.account());
      expect(Number(c())).toBe(6_852_690); // block
      const tempo = Number(c());
      for (let i = 0; i < 12; i++) c(); // last_step … pending_root_emission, subnet_volume
      r.option(() => r.u128()); // moving_price I96F32
      const values = {
        rho: Number(c()),
        kappa: Number(c()),
        minAllowedWeights: Number(c()),
        maxWeightsLimit: Number(c()),
        weightsVersion: c(),
        weightsRateLimit: Number(c()),
        activityCutoff: Number(c()),
        maxValidators: Number(c()),
        numUids: Number(c()),
        maxUids: Number(c()),
        burn: c(),
        difficulty: c(),
        registrationAllowed: r.option(() => r.bool()),
        powRegistrationAllowed: r.option(() => r.bool()),
        immunityPeriod: Number(c()),
        minDifficulty: c(),
        maxDifficulty: c(),
        minBurn: c(),
        maxBurn: c(),
        adjustmentAlpha: c(),
        adjustmentInterval: Number(c()),
        targetRegsPerInterval: Number(c()),
        maxRegsPerBlock: Number(c()),
        servingRateLimit: Number(c()),
        commitRevealWeightsEnabled: r.option(() => r.bool()),
        commitRevealPeriod: Number(c()),
        liquidAlphaEnabled: r.option(() => r.bool()),
        alphaHigh: Number(c()),
        alphaLow: Number(c()),
        bondsMovingAvg: c(),
      };
      expect(h).toMatchObject({
        tempo,
        rho: values.rho,
        kappa: values.kappa,
        minAllowedWeights: values.minAllowedWeights,
        maxWeightsLimit: values.maxWeightsLimit,
        weightsVersion: values.weightsVersion,
        weightsRateLimit: values.weightsRateLimit,
        activityCutoff: values.activityCutoff,
        maxValidators: values.maxValidators,
        maxUids: values.maxUids,
        burn: values.burn,
        difficulty: values.difficulty,
        registrationAllowed: values.registrationAllowed,
        immunityPeriod: values.immunityPeriod,
        minBurn: values.minBurn,
        maxBurn: values.maxBurn,
        adjustmentAlpha: values.adjustmentAlpha,
        adjustmentInterval: values.adjustmentInterval,
        targetRegsPerInterval: values.targetRegsPerInterval,
        maxRegsPerBlock: values.maxRegsPerBlock,
        servingRateLimit: values.servingRateLimit,
        commitRevealWeightsEnabled: values.commitRevealWeightsEnabled,
        commitRevealPeriod: values.commitRevealPeriod,
        liquidAlphaEnabled: values.liquidAlphaEnabled,
        alphaHigh: values.alphaHigh,
        alphaLow: values.alphaLow,
        bondsMovingAvg: values.bondsMovingAvg,
      });
      expect(values.numUids).toBe(1024);
      // Sanity against known subtensor ranges, so a shifted decode cannot pass.
      expect(h.kappa).toBe(32767);
      expect(h.maxUids).toBe(1024);
    });

    it('reports a missing subnet as bad input naming netuid', async () => {
      await expect(chain.getMetagraph(1, { mechid: 16 })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { field: 'mechid' },
      });
    });
  },
);

describe.skipIf(!SPEC343_AVAILABLE)('SubtensorChain on recorded storage (netuid 23)', () => {
  it('reads weights and bonds rows equal to the recorded storage values', async () => {
    const chain = await connectInProcess(recordedNode(['weights', 'bonds']));
    try {
      const weights = await chain.getWeights(23);
      const bonds = await chain.getBonds(23);
      const pairs = (hex: string | null) => {
        const r = new ScaleReader(hex ?? '0x00');
        return r.vec(() => [r.u16(), r.u16()] as [number, number]);
      };
      const uidOf = (key: string) => new ScaleReader(key.slice(-4)).u16();
      const rawWeights = recordedStorage('weights', (k) =>
        k.includes('a1e7036061f484bc3048a64b64e35ec41700'),
      );
      const rawBonds = recordedStorage('bonds', (k) =>
        k.includes('5641285262b8f970e4cbaafbff8d6ab01700'),
      );
      expect(rawWeights.length).toBeGreaterThan(0);
      expect(rawBonds.length).toBeGreaterThan(0);
      expect(weights).toEqual(new Map(rawWeights.map(([k, v]) => [uidOf(k), pairs(v)])));
      expect(weights.get(10)).toEqual([[10, 65535]]);
      expect(bonds).toEqual(new Map(rawBonds.map(([k, v]) => [uidOf(k), pairs(v)])));
    } finally {
      await chain.close();
    }
  });

  it('reads uid / registration of a hotkey from Uids', async () => {
    const chain = await connectInProcess(recordedNode(['get_uid_for_hotkey_on_subnet']));
    try {
      const [[key, value]] = recordedStorage('get_uid_for_hotkey_on_subnet', () => true) as [
        [string, string],
      ];
      const hotkey = ss58(hexToU8a(`0x${key.slice(-64)}`));
      const expected = new ScaleReader(value).u16();
      expect(expected).toBe(5);
      expect(await chain.getUid(23, hotkey)).toBe(expected);
      expect(await chain.isRegistered(23, hotkey)).toBe(true);
      expect(await chain.getUid(24, hotkey)).toBeNull();
      await expect(chain.getUid(23, 'not-an-address')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { field: 'hotkey' },
      });
    } finally {
      await chain.close();
    }
  });

  it('reads a balance equal to the recorded System.Account value', async () => {
    const chain = await connectInProcess(recordedNode(['get_balance']));
    try {
      const [[key, value]] = recordedStorage('get_balance', () => true) as [[string, string]];
      const address = ss58(hexToU8a(`0x${key.slice(-64)}`));
      const r = new ScaleReader(value);
      r.u32();
      r.u32();
      r.u32();
      r.u32(); // nonce, consumers, providers, sufficients
      // subtensor's Balance is u64
      const free = r.u64();
      const reserved = r.u64();
      const frozen = r.u64();
      expect(await chain.getBalance(address)).toEqual({ free, reserved, frozen });
      expect(free).toBe(7_450_117_072n);
    } finally {
      await chain.close();
    }
  });

  it('reads hyperparameters from storage equal to the recorded SubnetHyperparams of the same subnet', async () => {
    const sessions = [
      'tempo',
      'immunity_period',
      'min_allowed_weights',
      'max_weight_limit',
      'difficulty',
      'recycle',
      'subnet_exists',
    ];
    const chain = await connectInProcess(recordedNode(sessions));
    try {
      const h = await chain.getHyperparameters(23, { source: 'storage' });
      // The spec-208 get_subnet_hyperparams result: Vec<u8> wrapping SubnetHyperparams (all Compact).
      const outer = new ScaleReader(
        recordedCall('get_subnet_hyperparameters', 'SubnetInfoRuntimeApi_get_subnet_hyperparams'),
      );
      const r = new ScaleReader(outer.bytesVec());
      const c = () => r.compact();
      const blob = {
        rho: c(),
        kappa: c(),
        immunityPeriod: c(),
        minAllowedWeights: c(),
        maxWeightsLimit: c(),
        tempo: c(),
        minDifficulty: c(),
        maxDifficulty: c(),
        weightsVersion: c(),
        weightsRateLimit: c(),
        adjustmentInterval: c(),
        activityCutoff: c(),
        registrationAllowed: r.bool(),
        targetRegsPerInterval: c(),
        minBurn: c(),
        maxBurn: c(),
        bondsMovingAvg: c(),
        maxRegsPerBlock: c(),
        servingRateLimit: c(),
        maxValidators: c(),
        adjustmentAlpha: c(),
        difficulty: c(),
      };
      expect(h.tempo).toBe(Number(blob.tempo));
      expect(h.tempo).toBe(1000);
      expect(h.immunityPeriod).toBe(Number(blob.immunityPeriod));
      expect(h.minAllowedWeights).toBe(Number(blob.minAllowedWeights));
      expect(h.maxWeightsLimit).toBe(Number(blob.maxWeightsLimit));
      expect(h.difficulty).toBe(blob.difficulty);
      const [[, burnHex]] = recordedStorage(
        'recycle',
        (k) => k.includes('0x658faa385070e074c85bf6b568cf0555') && !k.includes('0e30450f'),
      ) as [[string, string]];
      expect(h.burn).toBe(new ScaleReader(burnHex).u64());
    } finally {
      await chain.close();
    }
  });
});

export { readAxon, u8aToHex };

describe.skipIf(!SPEC343_AVAILABLE)('transaction extension guard', () => {
  it('fails loudly on an unknown extension that carries data, accepts empty ones', async () => {
    const chain = await connectInProcess(recordedNode(['metagraph']));
    try {
      const { checkTransactionExtensions } = await import('../src/index.js');
      const real = chain.api.runtimeMetadata.asV15.extrinsic.signedExtensions;
      const tip = real.find((e) => e.identifier.toString() === 'ChargeTransactionPayment');
      const empty = real.find((e) => e.identifier.toString() === 'DrandPriority');
      if (!tip || !empty) throw new Error('fixture metadata lacks extensions');
      const withExtra = (extra: {
        identifier: string;
        type: unknown;
        additionalSigned: unknown;
      }) => ({
        version: 15,
        asV15: { extrinsic: { signedExtensions: [...real, extra] } },
      });
      expect(() =>
        checkTransactionExtensions(
          chain.api.registry,
          withExtra({
            identifier: 'FutureFeeExtension',
            type: tip.type,
            additionalSigned: empty.additionalSigned,
          }),
        ),
      ).toThrow(
        expect.objectContaining({
          code: 'UNKNOWN_TX_EXTENSION',
          details: { name: 'FutureFeeExtension' },
        }),
      );
      expect(() =>
        checkTransactionExtensions(
          chain.api.registry,
          withExtra({ identifier: 'FutureCheck', type: empty.type, additionalSigned: tip.type }),
        ),
      ).toThrow(/FutureCheck/);
      const report = checkTransactionExtensions(
        chain.api.registry,
        withExtra({
          identifier: 'FutureMarker',
          type: empty.type,
          additionalSigned: empty.additionalSigned,
        }),
      );
      expect(report.emptyUnknown).toEqual([
        'SubtensorTransactionExtension',
        'DrandPriority',
        'FutureMarker',
      ]);
    } finally {
      await chain.close();
    }
  });
});
