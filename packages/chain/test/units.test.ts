import { Keypair, verifySignature } from '@subnetkit/wallet';
import { describe, expect, it } from 'vitest';
import {
  buildServeAxonArgs,
  CUSTOM_TX_ERRORS,
  commitHashPreimage,
  intToIp,
  ipToInt,
  keypairToSigner,
  mapSubmitError,
  metagraphFromNeurons,
  NETWORKS,
  resolveNetwork,
  versionAsInt,
  weightsBlocksLeft,
} from '../src/index.js';

describe('axon addresses', () => {
  it('encodes IPv4 and IPv6 as the chain does (big-endian integers)', () => {
    expect(ipToInt('1.2.3.4')).toEqual({ ip: 16909060n, ipType: 4 });
    expect(ipToInt('192.222.59.109')).toEqual({ ip: 3235789677n, ipType: 4 });
    expect(ipToInt('2001:db8::1')).toEqual({
      ip: 42540766411282592856903984951653826561n,
      ipType: 6,
    });
    expect(ipToInt('::ffff:1.2.3.4').ip).toBe((0xffffn << 32n) | 16909060n);
    expect(() => ipToInt('1.2.3')).toThrow(/ip/);
  });

  it('decodes by ip_type, not by the size of the number', () => {
    expect(intToIp(16909060n, 4)).toBe('1.2.3.4');
    expect(intToIp(16909060n, 6)).toBe('::102:304');
    expect(intToIp(42540766411282592856903984951653826561n, 6)).toBe('2001:db8::1');
    expect(intToIp(0n, 6)).toBe('::');
    expect(intToIp((1n << 128n) - 2n, 6)).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe');
    for (const ip of ['2001:db8:0:1:1:1:1:1', 'fe80::1:0:0:1', '1::', '2001:0:0:1::1']) {
      expect(intToIp(ipToInt(ip).ip, 6)).toBe(ip);
    }
  });

  it('refuses exactly the chain refusals and accepts the rest', () => {
    const ok = (ip: string | bigint, ipType?: number, port = 8091) =>
      buildServeAxonArgs({ netuid: 1, ip, port, ...(ipType ? { ipType } : {}) });
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { details: { name?: string; field?: string } }).details;
      }
      return undefined;
    };
    expect(refusal(() => ok('127.0.0.1'))).toEqual({ name: 'InvalidIpAddress' });
    expect(refusal(() => ok('255.255.255.255'))).toEqual({ name: 'InvalidIpAddress' });
    expect(refusal(() => ok(0xffff_ffffn, 4))).toEqual({ name: 'InvalidIpAddress' });
    expect(refusal(() => ok('::1'))).toEqual({ name: 'InvalidIpAddress' });
    expect(refusal(() => ok((1n << 128n) - 1n, 6))).toEqual({ name: 'InvalidIpAddress' });
    expect(refusal(() => ok(1n, 7))).toEqual({ name: 'InvalidIpType' });
    expect(refusal(() => ok('10.0.0.1', undefined, 0))).toEqual({ name: 'InvalidPort' });
    expect(refusal(() => ok('10.0.0.1', undefined, 70000))).toEqual({ field: 'port' });
    // Accepted by the chain, so accepted here: 0 ("not serving"), private, other loopback,
    // 2^32−2, an IPv4-sized number sent as IPv6, 127.0.0.1 as IPv6 type.
    expect(ok('0.0.0.0').ip).toBe(0n);
    expect(ok('10.1.2.3').ipType).toBe(4);
    expect(ok('127.0.0.2').ip).toBe(0x7f000002n);
    expect(ok(0xffff_fffen, 4).ip).toBe(0xffff_fffen);
    expect(ok(0x7f00_0001n, 6).ipType).toBe(6);
    expect(ok('fe80::1').ipType).toBe(6);
  });

  it('version as int follows the Python SDK', () => {
    expect(versionAsInt('9.11.1')).toBe(9011001);
    expect(() => versionAsInt('nine')).toThrow(/version/);
  });
});

describe('networks', () => {
  it('resolves names and URLs like the Python SDK', () => {
    expect(resolveNetwork('finney')).toEqual({ name: 'finney', endpoint: NETWORKS.finney });
    expect(resolveNetwork('test').endpoint).toBe('wss://test.finney.opentensor.ai:443');
    expect(resolveNetwork('local').endpoint).toBe('ws://127.0.0.1:9944');
    expect(resolveNetwork('ws://10.0.0.5:9944')).toEqual({
      name: 'custom',
      endpoint: 'ws://10.0.0.5:9944',
    });
    expect(resolveNetwork('finney', 'ws://127.0.0.1:9944')).toEqual({
      name: 'local',
      endpoint: 'ws://127.0.0.1:9944',
    });
    expect(() => resolveNetwork('http://example.com')).toThrow(/network/);
  });
});

describe('transaction errors', () => {
  it('names subtensor custom pool errors', () => {
    const rateLimited = mapSubmitError(
      Object.assign(new Error('1010: Invalid Transaction: Custom error: 6'), { code: 1010 }),
    );
    expect(rateLimited.code).toBe('POOL_REJECTED');
    expect(rateLimited.details).toMatchObject({
      name: 'RateLimitExceeded',
      customCode: 6,
      rpcCode: 1010,
    });
    expect(
      mapSubmitError(new Error('1010: Invalid Transaction: Custom error: 11')).details.name,
    ).toBe('InvalidIpAddress');
    expect(
      mapSubmitError({
        message: '1010: Invalid Transaction',
        code: 1010,
        data: 'Custom error: 255',
      }).details.name,
    ).toBe('BadRequest');
    expect(
      mapSubmitError(new Error('1010: Invalid Transaction: Transaction is outdated')).details.name,
    ).toBe('Stale');
    expect(
      mapSubmitError(
        new Error(
          '1010: Invalid Transaction: Inability to pay some fees (e.g. account balance too low)',
        ),
      ).details.name,
    ).toBe('Payment');
    expect(mapSubmitError(new Error('1014: Priority is too low: (1 vs 1)')).details.name).toBe(
      'PriorityTooLow',
    );
    expect(mapSubmitError(new Error('-32000: something else')).code).toBe('RPC_ERROR');
  });

  it('knows every CustomTransactionError of subtensor', () => {
    expect(Object.keys(CUSTOM_TX_ERRORS).map(Number)).toEqual([
      ...Array.from({ length: 28 }, (_, i) => i),
      255,
    ]);
    expect(CUSTOM_TX_ERRORS[19]).toBe('UidNotFound');
  });
});

describe('weights', () => {
  it('counts blocks left as the chain does (LastUpdate 0 = never set)', () => {
    expect(weightsBlocksLeft(1000, 0, 100)).toBe(0);
    expect(weightsBlocksLeft(1000, 950, 100)).toBe(50);
    expect(weightsBlocksLeft(1000, 900, 100)).toBe(0);
    expect(weightsBlocksLeft(1000, 901, 100)).toBe(1);
  });

  it('lays out the commit preimage as SCALE (AccountId, u16, Vec<u16>×3, u64)', () => {
    const bytes = commitHashPreimage({
      hotkey: new Uint8Array(32).fill(7),
      netuid: 2,
      mechid: 1,
      uids: [1],
      weights: [65535],
      salt: [],
      versionKey: 258n,
    });
    expect(Buffer.from(bytes.slice(32)).toString('hex')).toBe(
      '0210' + '04' + '0100' + '04' + 'ffff' + '00' + '0201000000000000',
    );
    expect(() =>
      commitHashPreimage({
        hotkey: new Uint8Array(3),
        netuid: 1,
        uids: [],
        weights: [],
        salt: [],
        versionKey: 0,
      }),
    ).toThrow(/hotkey/);
    expect(() =>
      commitHashPreimage({
        hotkey: new Uint8Array(32),
        netuid: 1,
        uids: [1, 2],
        weights: [3],
        salt: [],
        versionKey: 0,
      }),
    ).toThrow(/weights/);
  });
});

describe('signer adapter', () => {
  it('prefixes the sr25519 MultiSignature byte when asked, and the signature verifies', () => {
    const alice = Keypair.fromUri('//Alice');
    const signer = keypairToSigner(alice);
    const message = new TextEncoder().encode('payload');
    const typed = signer.sign(message, { withType: true });
    expect(typed).toHaveLength(65);
    expect(typed[0]).toBe(1);
    expect(verifySignature(message, typed.slice(1), alice.publicKey)).toBe(true);
    expect(signer.sign(message)).toHaveLength(64);
    expect(signer.address).toBe(alice.ss58Address);
    expect(() => keypairToSigner(Keypair.fromAddress(alice.ss58Address))).toThrow(/no secret key/);
  });
});

describe('metagraphFromNeurons (for in-memory chains)', () => {
  it('builds uid-ordered columns', () => {
    const axon = {
      block: 0,
      version: 0,
      ip: '0.0.0.0',
      ipInt: 0n,
      port: 0,
      ipType: 0,
      protocol: 0,
      placeholder1: 0,
      placeholder2: 0,
      isServing: false,
    };
    const neuron = (uid: number) => ({
      uid,
      netuid: 3,
      hotkey: `h${uid}`,
      coldkey: `c${uid}`,
      active: true,
      axon,
      stake: BigInt(uid) * 10n,
      rank: 0,
      emission: 0n,
      incentive: uid,
      consensus: 0,
      trust: 0,
      validatorTrust: 0,
      dividends: 0,
      lastUpdate: 5,
      validatorPermit: uid === 0,
      pruningScore: 0,
    });
    const m = metagraphFromNeurons({ netuid: 3, block: 9 }, [neuron(1), neuron(0)]);
    expect(m.uids).toEqual([0, 1]);
    expect(m.hotkeys).toEqual(['h0', 'h1']);
    expect(m.stake).toEqual([0n, 10n]);
    expect(m.validatorPermit).toEqual([true, false]);
  });
});
