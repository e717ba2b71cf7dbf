import { expandMetadata, type Metadata, type TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { Keypair } from '@subnetkit/wallet';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMetadata, type LocalnetMetadata } from '../src/metadata/build.js';
import { QUICKNET_BEACON_CONFIG } from '../src/metadata/drand.js';
import { BEACON_CONFIG } from '../src/state/codecs.js';
import { fixtureExists, loadRealMetadata } from './real-metadata.js';
import { shape } from './shape.js';

type Side = { registry: TypeRegistry; metadata: Metadata };

const variants = (side: Side, id: number) =>
  side.registry.lookup.getSiType(id).def.asVariant.variants.map((v) => ({
    name: v.name.toString(),
    index: v.index.toNumber(),
    fields: v.fields.map(
      (f) =>
        `${f.name.isSome ? f.name.unwrap().toString() : ''}:${shape(side.registry, f.type.toNumber())}`,
    ),
  }));

describe.skipIf(!fixtureExists)('fidelity with the real spec-343 metadata', () => {
  let ours: LocalnetMetadata;
  let o: Side;
  let r: Side;
  beforeAll(() => {
    ours = buildMetadata();
    o = { registry: ours.registry, metadata: ours.metadata };
    r = loadRealMetadata();
  });

  const realPallet = (name: string) => {
    const p = r.metadata.asV15.pallets.find((x) => x.name.toString() === name);
    if (!p) throw new Error(`real metadata has no pallet ${name}`);
    return p;
  };

  it('pallets keep mainnet indices; calls, events and errors keep indices, names and shapes', () => {
    let checked = 0;
    for (const p of o.metadata.asV15.pallets) {
      const rp = realPallet(p.name.toString());
      expect(p.index.toNumber(), p.name.toString()).toBe(rp.index.toNumber());
      for (const kind of ['calls', 'events', 'errors'] as const) {
        const mine = p[kind];
        if (mine.isNone) continue;
        const theirs = variants(r, rp[kind].unwrap().type.toNumber());
        expect(shape(o.registry, mine.unwrap().type.toNumber()).split('<')[0]).toBe(
          shape(r.registry, rp[kind].unwrap().type.toNumber()).split('<')[0],
        );
        for (const v of variants(o, mine.unwrap().type.toNumber())) {
          const match = theirs.find((x) => x.name === v.name);
          expect(match, `${p.name}.${kind}.${v.name}`).toBeDefined();
          expect(v, `${p.name}.${kind}.${v.name}`).toEqual(match);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('storage items keep hashers, key and value shapes, and defaults', () => {
    for (const p of o.metadata.asV15.pallets) {
      if (p.storage.isNone) continue;
      const rp = realPallet(p.name.toString()).storage.unwrap();
      for (const item of p.storage.unwrap().items) {
        const name = `${p.name}.${item.name}`;
        const ri = rp.items.find((x) => x.name.eq(item.name));
        expect(ri, name).toBeDefined();
        if (!ri) continue;
        expect(item.modifier.toString(), name).toBe(ri.modifier.toString());
        expect(item.fallback.toHex(), name).toBe(ri.fallback.toHex());
        if (item.type.isPlain) {
          expect(shape(o.registry, item.type.asPlain.toNumber()), name).toBe(
            shape(r.registry, ri.type.asPlain.toNumber()),
          );
        } else {
          const a = item.type.asMap;
          const b = ri.type.asMap;
          expect(a.hashers.map(String), name).toEqual(b.hashers.map(String));
          expect(shape(o.registry, a.key.toNumber()), name).toBe(
            shape(r.registry, b.key.toNumber()),
          );
          expect(shape(o.registry, a.value.toNumber()), name).toBe(
            shape(r.registry, b.value.toNumber()),
          );
        }
      }
    }
  });

  it('constants keep their shapes; runtime APIs keep names, inputs and outputs', () => {
    for (const p of o.metadata.asV15.pallets) {
      const rp = realPallet(p.name.toString());
      for (const k of p.constants) {
        const rk = rp.constants.find((x) => x.name.eq(k.name));
        expect(rk, `${p.name}.${k.name}`).toBeDefined();
        expect(shape(o.registry, k.type.toNumber())).toBe(shape(r.registry, rk!.type.toNumber()));
      }
    }
    for (const api of o.metadata.asV15.apis) {
      const ra = r.metadata.asV15.apis.find((x) => x.name.eq(api.name));
      expect(ra, api.name.toString()).toBeDefined();
      for (const m of api.methods) {
        const rm = ra!.methods.find((x) => x.name.eq(m.name));
        const name = `${api.name}.${m.name}`;
        expect(rm, name).toBeDefined();
        expect(
          m.inputs.map((i) => `${i.name}:${shape(o.registry, i.type.toNumber())}`),
          name,
        ).toEqual(rm!.inputs.map((i) => `${i.name}:${shape(r.registry, i.type.toNumber())}`));
        expect(shape(o.registry, m.output.toNumber()), name).toBe(
          shape(r.registry, rm!.output.toNumber()),
        );
      }
    }
  });

  it('transaction extensions are the same list with the same explicit and implicit types', () => {
    const ext = (side: Side) =>
      side.metadata.asV15.extrinsic.signedExtensions.map(
        (e) =>
          `${e.identifier}:${shape(side.registry, e.type.toNumber())}:${shape(side.registry, e.additionalSigned.toNumber())}`,
      );
    expect(ext(o)).toEqual(ext(r));
    const sig = (side: Side) => [
      shape(side.registry, side.metadata.asV15.extrinsic.addressType.toNumber()),
      shape(side.registry, side.metadata.asV15.extrinsic.signatureType.toNumber()),
      shape(side.registry, side.metadata.asV15.extrinsic.extraType.toNumber()),
    ];
    expect(sig(o)).toEqual(sig(r));
  });

  it('the runtime version lists each API with mainnet’s version', () => {
    const real = r.metadata.asV15.pallets
      .find((p) => p.name.eq('System'))!
      .constants.find((c) => c.name.eq('Version'))!;
    const version = r.registry.createType('RuntimeVersion', real.value) as unknown as {
      apis: [{ toHex(): string }, { toNumber(): number }][];
    };
    const realApis = new Map(version.apis.map(([h, v]) => [h.toHex(), v.toNumber()]));
    for (const [hash, v] of ours.apiHashes) expect(realApis.get(hash), hash).toBe(v);
  });

  it('calls, storage keys, events, errors and runtime API values encode to the same bytes', () => {
    const alice = Keypair.fromUri('//Alice');
    const bob = Keypair.fromUri('//Bob');
    const eo = expandMetadata(o.registry, o.metadata);
    const er = expandMetadata(r.registry, r.metadata);
    const hash = `0x${'ab'.repeat(32)}`;
    const calls = (x: typeof eo) => [
      x.tx.subtensorModule!.setWeights!(1, [0, 1, 2], [65535, 100, 0], 12345n),
      x.tx.subtensorModule!.serveAxon!(1, 9011001, 3235789677n, 6028, 4, 4, 0, 0),
      x.tx.subtensorModule!.burnedRegister!(1, alice.ss58Address),
      x.tx.subtensorModule!.addStake!(alice.ss58Address, 1, 1_000_000_000n),
      x.tx.subtensorModule!.removeStake!(alice.ss58Address, 1, 5n),
      x.tx.subtensorModule!.commitWeights!(1, hash),
      x.tx.subtensorModule!.revealWeights!(1, [0, 1], [65535, 32768], [1, 2, 3], 0),
      x.tx.subtensorModule!.registerNetwork!(bob.ss58Address),
      x.tx.subtensorModule!.startCall!(1),
      x.tx.balances!.transferKeepAlive!({ Id: bob.ss58Address }, 10n ** 9n),
      x.tx.balances!.transferAllowDeath!({ Id: bob.ss58Address }, 7n),
      x.tx.sudo!.sudo!(x.tx.adminUtils!.sudoSetTempo!(1, 10)),
      x.tx.sudo!.sudo!(x.tx.adminUtils!.sudoSetWeightsSetRateLimit!(1, 0)),
      x.tx.adminUtils!.sudoSetCommitRevealWeightsEnabled!(1, false),
    ];
    expect(calls(eo).map((c) => c.toHex())).toEqual(calls(er).map((c) => c.toHex()));

    const keys = (x: typeof eo) => [
      x.query.subtensorModule!.uids!(1, alice.ss58Address),
      x.query.subtensorModule!.keys!(1, 0),
      x.query.subtensorModule!.axons!(1, alice.ss58Address),
      x.query.subtensorModule!.tempo!(1),
      x.query.subtensorModule!.lastUpdate!(1),
      x.query.subtensorModule!.weightCommits!(1, alice.ss58Address),
      x.query.subtensorModule!.totalHotkeyAlpha!(alice.ss58Address, 1),
      x.query.subtensorModule!.commitRevealWeightsEnabled!(1),
      x.query.subtensorModule!.weightsSetRateLimit!(1),
      x.query.system!.account!(alice.ss58Address),
      x.query.system!.events!(),
    ];
    expect(keys(eo).map((k) => u8aToHex(k))).toEqual(keys(er).map((k) => u8aToHex(k)));

    const eventBytes = (side: Side) => {
      const events = side.metadata.asV15.pallets
        .find((p) => p.name.eq('System'))!
        .storage.unwrap()
        .items.find((i) => i.name.eq('Events'))!;
      const type = side.registry.createLookupType(events.type.asPlain);
      return side.registry
        .createType(type, [
          {
            phase: { ApplyExtrinsic: 1 },
            event: { SubtensorModule: { NeuronRegistered: [1, 3, alice.ss58Address] } },
            topics: [],
          },
          {
            phase: { ApplyExtrinsic: 2 },
            event: {
              System: {
                ExtrinsicFailed: {
                  dispatchError: { Module: { index: 7, error: '0x1c000000' } },
                  dispatchInfo: {
                    weight: { refTime: 5, proofSize: 0 },
                    class: 'Normal',
                    paysFee: 'No',
                  },
                },
              },
            },
            topics: [],
          },
          {
            phase: 'Finalization',
            event: { Sudo: { Sudid: { sudoResult: { Ok: null } } } },
            topics: [],
          },
        ])
        .toHex();
    };
    expect(eventBytes(o)).toBe(eventBytes(r));

    for (const name of [
      'SettingWeightsTooFast',
      'CommitRevealEnabled',
      'NotEnoughBalanceToStake',
    ]) {
      const find = (side: Side) => {
        const errors = side.metadata.asV15.pallets
          .find((p) => p.name.eq('SubtensorModule'))!
          .errors.unwrap().type;
        const v = side.registry.lookup
          .getSiType(errors)
          .def.asVariant.variants.find((x) => x.name.eq(name))!;
        return v.index.toNumber();
      };
      expect(find(o), name).toBe(find(r));
      const decoded = r.registry.findMetaError({
        index: r.registry.createType('u8', 7),
        error: r.registry.createType('u8', find(o)),
      } as never);
      expect(decoded.name).toBe(name);
    }

    const neuron = {
      hotkey: alice.ss58Address,
      coldkey: bob.ss58Address,
      uid: 3,
      netuid: 1,
      active: true,
      axonInfo: {
        block: 7,
        version: 9011001,
        ip: 3235789677n,
        port: 6028,
        ipType: 4,
        protocol: 4,
        placeholder1: 0,
        placeholder2: 0,
      },
      prometheusInfo: { block: 0, version: 0, ip: 0, port: 0, ipType: 0 },
      stake: [[bob.ss58Address, 123456789]],
      rank: 0,
      emission: 42,
      incentive: 65535,
      consensus: 100,
      trust: 0,
      validatorTrust: 9,
      dividends: 8,
      lastUpdate: 77,
      validatorPermit: true,
      pruningScore: 65535,
    };
    const apiResult = (side: Side) => {
      const api = side.metadata.asV15.apis.find((a) => a.name.eq('NeuronInfoRuntimeApi'))!;
      const m = api.methods.find((x) => x.name.eq('get_neurons_lite'))!;
      return side.registry.createType(side.registry.createLookupType(m.output), [neuron]).toHex();
    };
    expect(apiResult(o)).toBe(apiResult(r));
  });

  it('timelocked weights and drand: calls, storage keys and values, events encode the same', () => {
    const alice = Keypair.fromUri('//Alice');
    const eo = expandMetadata(o.registry, o.metadata);
    const er = expandMetadata(r.registry, r.metadata);
    const commit = `0x${'5a'.repeat(1313)}`;
    const pulse = {
      round: 21_000_000,
      randomness: `0x${'11'.repeat(32)}`,
      signature: `0x${'22'.repeat(48)}`,
    };
    const calls = (x: typeof eo) => [
      x.tx.subtensorModule!.commitTimelockedWeights!(7, commit, 32_340_463, 4),
      x.tx.subtensorModule!.commitTimelockedMechanismWeights!(7, 1, commit, 32_340_463, 4),
      x.tx.adminUtils!.sudoSetCommitRevealVersion!(4),
      x.tx.drand!.writePulse!(
        { blockNumber: 9, pulses: [pulse], public: { Sr25519: alice.publicKey } },
        null,
      ),
      x.tx.drand!.setOldestStoredRound!(5),
    ];
    expect(calls(eo).map((c) => c.toHex())).toEqual(calls(er).map((c) => c.toHex()));
    const keys = (x: typeof eo) => [
      x.query.subtensorModule!.timelockedWeightCommits!(4097, 123_456),
      x.query.subtensorModule!.commitRevealWeightsVersion!(),
      x.query.subtensorModule!.mechanismCountCurrent!(7),
      x.query.drand!.pulses!(21_000_000),
      x.query.drand!.beaconConfig!(),
      x.query.drand!.lastStoredRound!(),
      x.query.drand!.oldestStoredRound!(),
    ];
    expect(keys(eo).map((k) => u8aToHex(k))).toEqual(keys(er).map((k) => u8aToHex(k)));
    const value = (side: Side, pallet: string, item: string, v: unknown) => {
      const p = side.metadata.asV15.pallets.find((x) => x.name.eq(pallet))!;
      const s = p.storage.unwrap().items.find((i) => i.name.eq(item))!;
      const id = s.type.isPlain ? s.type.asPlain : s.type.asMap.value;
      return side.registry.createType(side.registry.createLookupType(id), v).toHex();
    };
    const queue = [[alice.ss58Address, 9_101_265, commit, 32_340_463]];
    const config = {
      publicKey: `0x${'83'.repeat(96)}`,
      period: 3,
      genesisTime: 1_692_803_367,
      hash: `0x${'52'.repeat(32)}`,
      groupHash: `0x${'f4'.repeat(32)}`,
      schemeId: '0x626c73',
      metadata: { beaconId: '0x71' },
    };
    for (const [pallet, item, v] of [
      ['SubtensorModule', 'TimelockedWeightCommits', queue],
      ['Drand', 'Pulses', pulse],
      ['Drand', 'BeaconConfig', config],
    ] as const) {
      expect(value(o, pallet, item, v), item).toBe(value(r, pallet, item, v));
    }
    const eventBytes = (side: Side) => {
      const events = side.metadata.asV15.pallets
        .find((p) => p.name.eq('System'))!
        .storage.unwrap()
        .items.find((i) => i.name.eq('Events'))!;
      return side.registry
        .createType(side.registry.createLookupType(events.type.asPlain), [
          {
            phase: { ApplyExtrinsic: 3 },
            event: {
              SubtensorModule: {
                TimelockedWeightsCommitted: [alice.ss58Address, 4097, `0x${'ab'.repeat(32)}`, 9],
              },
            },
            topics: [],
          },
          {
            phase: 'Initialization',
            event: { SubtensorModule: { TimelockedWeightsRevealed: [7, alice.ss58Address] } },
            topics: [],
          },
          {
            phase: { ApplyExtrinsic: 1 },
            event: { Drand: { NewPulse: { rounds: [20_999_999, 21_000_000] } } },
            topics: [],
          },
          {
            phase: 'Finalization',
            event: { SubtensorModule: { CommitRevealVersionSet: [4] } },
            topics: [],
          },
        ])
        .toHex();
    };
    expect(eventBytes(o)).toBe(eventBytes(r));
    // Our encoder of stored values agrees with the metadata's types.
    const bc = QUICKNET_BEACON_CONFIG;
    expect(u8aToHex(BEACON_CONFIG.enc(bc))).toBe(realPalletStorageDefault('Drand', 'BeaconConfig'));
  });

  const realPalletStorageDefault = (pallet: string, item: string) =>
    realPallet(pallet)
      .storage.unwrap()
      .items.find((i) => i.name.eq(item))!
      .fallback.toHex();
});
