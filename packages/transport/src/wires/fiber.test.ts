import { createHash } from 'node:crypto';
import { Keypair, verifySignature } from '@subnetkit/wallet';
import { describe, expect, it } from 'vitest';
import {
  createFiberVerifier,
  DEFAULT_FIBER_WINDOW_MS,
  FIBER_ENCRYPTED_UNSUPPORTED,
  FIBER_REFUSAL_STATUS,
  type FiberVerdict,
  type FiberVerifierComponents,
  type FiberVerifierOptions,
  fiberMessage,
  fiberNonce,
  signFiber,
} from './fiber.js';
import type { ReplayStore } from './replay.js';

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const charlie = Keypair.fromUri('//Charlie');
const T0 = 1_752_076_800_000_000_000n;
const MS = 1_000_000n;
const BODY = new TextEncoder().encode('{"prompt": "hello"}');
const NONCE = `${T0}_aB3dE5gH9k`;

function setup(
  options: Partial<FiberVerifierOptions> = {},
  components: Omit<FiberVerifierComponents, 'clock'> = {},
) {
  const time = { now: T0 };
  const verifier = createFiberVerifier(
    { hotkey: bob.ss58Address, ...options },
    { clock: () => time.now, ...components },
  );
  return { time, verifier };
}

const signed = (over: Partial<Parameters<typeof signFiber>[2]> = {}, body: Uint8Array = BODY) =>
  signFiber(alice, body, { minerHotkey: bob.ss58Address, nonce: fiberNonce(T0), ...over });

function refusal(verdict: FiberVerdict) {
  if (verdict.ok) throw new Error('expected a refusal');
  return verdict.refusal;
}

describe('signFiber', () => {
  it('signs nonce:miner_hotkey:sha256(body) over the raw UTF-8 message', () => {
    const headers = signFiber(alice, BODY, { minerHotkey: bob.ss58Address, nonce: NONCE });
    expect(headers).toEqual({
      'validator-hotkey': alice.ss58Address,
      'miner-hotkey': bob.ss58Address,
      nonce: NONCE,
      signature: expect.stringMatching(/^0x[0-9a-f]{128}$/),
    });
    const message = `${NONCE}:${bob.ss58Address}:341c57448e531310fbbe83f44cea2a5e838bd9e8a6b82b269f01d0dbbc23c3cc`;
    expect(
      fiberMessage(NONCE, bob.ss58Address, createHash('sha256').update(BODY).digest('hex')),
    ).toBe(message);
    expect(verifySignature(message, headers.signature!, alice.publicKey)).toBe(true);
  });

  it('makes nonces <time_ns>_<10 alphanumerics>, fresh each time', () => {
    expect(fiberNonce(T0)).toMatch(/^1752076800000000000_[A-Za-z0-9]{10}$/);
    expect(fiberNonce(T0)).not.toBe(fiberNonce(T0));
    const now = BigInt(Date.now()) * MS;
    const t = BigInt(fiberNonce().split('_')[0]!);
    expect(t >= now - 1000n * MS && t <= now + 1000n * MS).toBe(true);
  });

  it('refuses bad options, naming the field', () => {
    expect(() => signFiber(alice, BODY, { minerHotkey: 'bob' })).toThrow(/minerHotkey/);
    expect(() => signFiber(alice, BODY, { minerHotkey: bob.ss58Address, nonce: '123' })).toThrow(
      /nonce/,
    );
  });
});

describe('createFiberVerifier', () => {
  it('accepts a valid request and names the caller', async () => {
    const { verifier } = setup();
    const headers = signFiber(alice, BODY, { minerHotkey: bob.ss58Address, nonce: NONCE });
    expect(await verifier.verify({ headers, body: BODY })).toEqual({
      ok: true,
      caller: { hotkey: alice.ss58Address, publicKey: alice.publicKey, nonce: NONCE, timeNs: T0 },
    });
    expect((await verifier.verify({ headers: new Headers(signed()), body: BODY })).ok).toBe(true);
    expect((await verifier.verify({ headers: signed({}, new Uint8Array(0)) })).ok).toBe(true);
  });

  it('refuses a stale nonce, accepting one exactly 120 s old', async () => {
    const { time, verifier } = setup();
    time.now = T0 + BigInt(DEFAULT_FIBER_WINDOW_MS) * MS;
    expect((await verifier.verify({ headers: signed(), body: BODY })).ok).toBe(true);
    time.now += 1n;
    const r = refusal(await verifier.verify({ headers: signed(), body: BODY }));
    expect(r).toMatchObject({ wire: 'fiber', code: 'STALE', status: 401, header: 'nonce' });
  });

  it('refuses a nonce more than 120 s ahead', async () => {
    const { time, verifier } = setup();
    time.now = T0 - BigInt(DEFAULT_FIBER_WINDOW_MS) * MS;
    expect((await verifier.verify({ headers: signed(), body: BODY })).ok).toBe(true);
    time.now -= 1n;
    expect(refusal(await verifier.verify({ headers: signed(), body: BODY })).code).toBe('FUTURE');
  });

  it('honours a configured window', async () => {
    const { time, verifier } = setup({ windowMs: 10_000 });
    time.now = T0 + 10_001n * MS;
    expect(refusal(await verifier.verify({ headers: signed(), body: BODY })).code).toBe('STALE');
  });

  it('refuses a replayed nonce for as long as it is fresh', async () => {
    const { time, verifier } = setup();
    const headers = signed();
    expect((await verifier.verify({ headers, body: BODY })).ok).toBe(true);
    const r = refusal(await verifier.verify({ headers, body: BODY }));
    expect(r).toMatchObject({ code: 'REPLAYED', status: 401, header: 'nonce' });
    time.now = T0 + BigInt(DEFAULT_FIBER_WINDOW_MS) * MS;
    expect(refusal(await verifier.verify({ headers, body: BODY })).code).toBe('REPLAYED');
    time.now += 1n;
    expect(refusal(await verifier.verify({ headers, body: BODY })).code).toBe('STALE');
  });

  it('keys used nonces per validator (Fiber keeps one global set)', async () => {
    const { verifier } = setup();
    const nonce = fiberNonce(T0);
    const fromAlice = signFiber(alice, BODY, { minerHotkey: bob.ss58Address, nonce });
    const fromCharlie = signFiber(charlie, BODY, { minerHotkey: bob.ss58Address, nonce });
    expect((await verifier.verify({ headers: fromAlice, body: BODY })).ok).toBe(true);
    expect((await verifier.verify({ headers: fromCharlie, body: BODY })).ok).toBe(true);
    expect(refusal(await verifier.verify({ headers: fromCharlie, body: BODY })).code).toBe(
      'REPLAYED',
    );
  });

  it('does not burn a nonce on a forged request (Fiber adds it before checking)', async () => {
    const { verifier } = setup();
    const headers = signed();
    const forged = { ...headers, signature: `0x${'11'.repeat(64)}` };
    expect(refusal(await verifier.verify({ headers: forged, body: BODY })).code).toBe(
      'BAD_SIGNATURE',
    );
    expect((await verifier.verify({ headers, body: BODY })).ok).toBe(true);
  });

  it('refuses a request for another miner (Fiber itself does not check miner-hotkey)', async () => {
    const { verifier } = setup();
    const r = refusal(
      await verifier.verify({ headers: signed({ minerHotkey: charlie.ss58Address }), body: BODY }),
    );
    expect(r).toMatchObject({ code: 'WRONG_RECEIVER', status: 401, header: 'miner-hotkey' });
  });

  it('refuses a body changed after signing', async () => {
    const { verifier } = setup();
    const headers = signed();
    const r = refusal(await verifier.verify({ headers, body: new TextEncoder().encode('{}') }));
    expect(r).toMatchObject({ code: 'BAD_SIGNATURE', status: 401, header: 'signature' });
    expect(refusal(await verifier.verify({ headers })).code).toBe('BAD_SIGNATURE');
  });

  it('refuses a bad signature: another key, or a changed nonce', async () => {
    const { verifier } = setup();
    const forged = { ...signFiber(charlie, BODY, { minerHotkey: bob.ss58Address, nonce: NONCE }) };
    forged['validator-hotkey'] = alice.ss58Address;
    expect(refusal(await verifier.verify({ headers: forged, body: BODY })).code).toBe(
      'BAD_SIGNATURE',
    );
    const renonced = { ...signed(), nonce: `${T0 + 1n}_aB3dE5gH9k` };
    expect(refusal(await verifier.verify({ headers: renonced, body: BODY })).code).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('refuses malformed or missing headers (422 when missing, as FastAPI answers)', async () => {
    const { verifier } = setup();
    const cases: [Record<string, string | string[] | undefined>, string, string, number][] = [
      [{ 'validator-hotkey': undefined }, 'MISSING_HEADER', 'validator-hotkey', 422],
      [{ 'miner-hotkey': '' }, 'MISSING_HEADER', 'miner-hotkey', 422],
      [{ nonce: undefined }, 'MISSING_HEADER', 'nonce', 422],
      [{ signature: undefined }, 'MISSING_HEADER', 'signature', 422],
      [{ nonce: 'abc_aB3dE5gH9k' }, 'MALFORMED_HEADER', 'nonce', 401],
      [{ nonce: `${T0}` }, 'MALFORMED_HEADER', 'nonce', 401],
      [{ nonce: `${T0}_short` }, 'MALFORMED_HEADER', 'nonce', 401],
      [{ nonce: '0_aB3dE5gH9k' }, 'STALE', 'nonce', 401],
      [{ nonce: `${T0}_aB3dE5gH9k!` }, 'MALFORMED_HEADER', 'nonce', 401],
      [{ nonce: `-${T0}_aB3dE5gH9k` }, 'MALFORMED_HEADER', 'nonce', 401],
      [{ nonce: `${10n ** 20n}_aB3dE5gH9k` }, 'MALFORMED_HEADER', 'nonce', 401],
      [{ nonce: `${10n ** 20n - 1n}_aB3dE5gH9k` }, 'FUTURE', 'nonce', 401],
      [{ 'validator-hotkey': 'alice' }, 'MALFORMED_HEADER', 'validator-hotkey', 401],
      [{ signature: 'ab'.repeat(64) }, 'MALFORMED_HEADER', 'signature', 401],
      [
        { signature: [`0x${'ab'.repeat(64)}`, `0x${'cd'.repeat(64)}`] },
        'MALFORMED_HEADER',
        'signature',
        401,
      ],
    ];
    for (const [patch, code, header, status] of cases) {
      const headers: Record<string, string | string[] | undefined> = { ...signed(), ...patch };
      const r = refusal(await verifier.verify({ headers, body: BODY }));
      expect([r.code, r.header, r.status], JSON.stringify(patch)).toEqual([code, header, status]);
    }
  });

  it('refuses encrypted-mode requests as UNSUPPORTED (501)', async () => {
    const { verifier } = setup();
    const headers = { ...signed(), 'symmetric-key-uuid': 'ab'.repeat(32) };
    const r = refusal(await verifier.verify({ headers, body: BODY }));
    expect(r).toEqual({
      wire: 'fiber',
      code: 'UNSUPPORTED',
      status: 501,
      message: FIBER_ENCRYPTED_UNSUPPORTED,
      header: 'symmetric-key-uuid',
    });
  });

  describe('stake check', () => {
    const stakes = new Map<string, number | bigint>([
      [alice.ss58Address, 1_000],
      [charlie.ss58Address, 999.5],
    ]);
    const stakeLookup = async (hotkey: string) => stakes.get(hotkey);

    it('accepts a validator with enough stake and reports it', async () => {
      const { verifier } = setup({ minStake: 1_000 }, { stakeLookup });
      const verdict = await verifier.verify({ headers: signed(), body: BODY });
      expect(verdict.ok && verdict.caller.stake).toBe(1_000);
    });

    it('refuses a validator below minStake, or not in the metagraph (403, as Fiber)', async () => {
      const { verifier } = setup({ minStake: 1_000 }, { stakeLookup });
      const low = signFiber(charlie, BODY, { minerHotkey: bob.ss58Address, nonce: fiberNonce(T0) });
      const r = refusal(await verifier.verify({ headers: low, body: BODY }));
      expect(r).toMatchObject({ code: 'STAKE_TOO_LOW', status: 403, header: 'validator-hotkey' });
      const dave = Keypair.fromUri('//Dave');
      const unknown = signFiber(dave, BODY, {
        minerHotkey: bob.ss58Address,
        nonce: fiberNonce(T0),
      });
      expect(refusal(await verifier.verify({ headers: unknown, body: BODY }))).toMatchObject({
        code: 'NOT_REGISTERED',
        status: 403,
      });
    });

    it('compares bigint stakes (rao) and a sync lookup', async () => {
      const { verifier } = setup(
        { minStake: 1_000_000_000_000n },
        { stakeLookup: (h) => (h === alice.ss58Address ? 999_999_999_999n : null) },
      );
      expect(refusal(await verifier.verify({ headers: signed(), body: BODY })).code).toBe(
        'STAKE_TOO_LOW',
      );
    });

    it('refuses (503) when the lookup fails', async () => {
      const { verifier } = setup(
        { minStake: 1 },
        {
          stakeLookup: () => {
            throw new Error('metagraph not synced');
          },
        },
      );
      const r = refusal(await verifier.verify({ headers: signed(), body: BODY }));
      expect(r).toMatchObject({ code: 'STAKE_LOOKUP_FAILED', status: 503 });
    });

    it('needs minStake and stakeLookup together', () => {
      expect(() => createFiberVerifier({ hotkey: bob.ss58Address, minStake: 1 })).toThrow(
        /stakeLookup/,
      );
      expect(() =>
        createFiberVerifier({ hotkey: bob.ss58Address }, { stakeLookup: () => 1 }),
      ).toThrow(/minStake/);
      expect(() =>
        createFiberVerifier({ hotkey: bob.ss58Address, minStake: Number.NaN }, { stakeLookup }),
      ).toThrow(/minStake/);
    });
  });

  it('writes the replay store only after the signature holds, and fails closed when it throws', async () => {
    const keys: [string, number][] = [];
    const replayStore: ReplayStore = {
      seen(key, expiresAtMs) {
        keys.push([key, expiresAtMs]);
        if (keys.length > 1) throw new Error('redis down');
        return false;
      },
    };
    const { verifier } = setup({}, { replayStore });
    await verifier.verify({ headers: signed(), body: new Uint8Array(1) });
    expect(keys).toEqual([]);
    const headers = signFiber(alice, BODY, { minerHotkey: bob.ss58Address, nonce: NONCE });
    expect((await verifier.verify({ headers, body: BODY })).ok).toBe(true);
    expect(keys).toEqual([
      [`fiber:${Buffer.from(alice.publicKey).toString('hex')}:${NONCE}`, Number(T0 / MS) + 120_001],
    ]);
    expect(refusal(await verifier.verify({ headers: signed(), body: BODY }))).toMatchObject({
      code: 'REPLAY_STORE_UNAVAILABLE',
      status: 503,
    });
  });

  it('refuses bad options, naming the field', () => {
    expect(() => createFiberVerifier({ hotkey: 'bob' })).toThrow(/hotkey/);
    expect(() => createFiberVerifier({ hotkey: bob.ss58Address, windowMs: -5 })).toThrow(
      /windowMs/,
    );
  });

  it('answers 401 for bad auth, 403 for policy, 422 for a missing header', () => {
    expect(FIBER_REFUSAL_STATUS).toMatchObject({
      MISSING_HEADER: 422,
      BAD_SIGNATURE: 401,
      STALE: 401,
      REPLAYED: 401,
      STAKE_TOO_LOW: 403,
      NOT_REGISTERED: 403,
      UNSUPPORTED: 501,
    });
  });
});
