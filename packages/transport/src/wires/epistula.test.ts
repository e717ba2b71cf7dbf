import { createHash } from 'node:crypto';
import { Keypair, verifySignature } from '@subnetkit/wallet';
import { describe, expect, it } from 'vitest';
import { wrapBytes } from '../signing.js';
import {
  createEpistulaVerifier,
  DEFAULT_EPISTULA_MAX_AGE_MS,
  DEFAULT_EPISTULA_MAX_FUTURE_MS,
  EPISTULA_REFUSAL_STATUS,
  type EpistulaVerdict,
  type EpistulaVerifierOptions,
  epistulaMessage,
  signEpistula,
} from './epistula.js';
import type { ReplayStore } from './replay.js';

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const charlie = Keypair.fromUri('//Charlie');
const T0 = 1_752_076_800_000;
const BODY = new TextEncoder().encode('{"prompt": "hello"}');

function setup(options: Partial<EpistulaVerifierOptions> = {}, replayStore?: ReplayStore) {
  const time = { now: T0 };
  const verifier = createEpistulaVerifier(
    { hotkey: bob.ss58Address, ...options },
    { clock: () => time.now, ...(replayStore ? { replayStore } : {}) },
  );
  return { time, verifier };
}

const signed = (over: Parameters<typeof signEpistula>[2] = {}, body: Uint8Array = BODY) =>
  signEpistula(alice, body, { signedFor: bob.ss58Address, timestampMs: T0, ...over });

function refusal(verdict: EpistulaVerdict) {
  if (verdict.ok) throw new Error('expected a refusal');
  return verdict.refusal;
}

describe('signEpistula', () => {
  it('signs sha256(body).uuid.timestamp.signed_for over the raw UTF-8 message', () => {
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const headers = signed({ uuid });
    expect(Object.keys(headers)).toEqual([
      'Epistula-Version',
      'Epistula-Timestamp',
      'Epistula-Uuid',
      'Epistula-Signed-By',
      'Epistula-Signed-For',
      'Epistula-Request-Signature',
    ]);
    expect(headers['Epistula-Version']).toBe('2');
    expect(headers['Epistula-Timestamp']).toBe(String(T0));
    expect(headers['Epistula-Signed-By']).toBe(alice.ss58Address);
    expect(headers['Epistula-Request-Signature']).toMatch(/^0x[0-9a-f]{128}$/);
    // sha256 of the 19 bytes, as in wires.md §1.9; the message spelled out by hand.
    const message = `341c57448e531310fbbe83f44cea2a5e838bd9e8a6b82b269f01d0dbbc23c3cc.${uuid}.${T0}.${bob.ss58Address}`;
    expect(
      epistulaMessage(createHash('sha256').update(BODY).digest('hex'), uuid, T0, bob.ss58Address),
    ).toBe(message);
    const sig = headers['Epistula-Request-Signature']!;
    expect(verifySignature(message, sig, alice.publicKey)).toBe(true);
    expect(
      verifySignature(wrapBytes(new TextEncoder().encode(message)), sig, alice.publicKey),
    ).toBe(false);
  });

  it('omits Signed-For without a receiver and signs an empty field; strings are signed as UTF-8', () => {
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const headers = signEpistula(alice, 'héllo', { timestampMs: T0, uuid });
    expect(headers['Epistula-Signed-For']).toBeUndefined();
    const hash = createHash('sha256').update('héllo', 'utf8').digest('hex');
    expect(
      verifySignature(
        `${hash}.${uuid}.${T0}.`,
        headers['Epistula-Request-Signature']!,
        alice.publicKey,
      ),
    ).toBe(true);
  });

  it('uses a fresh uuid4 and the current time by default', () => {
    const before = Date.now();
    const a = signEpistula(alice, BODY, { signedFor: bob.ss58Address });
    const b = signEpistula(alice, BODY, { signedFor: bob.ss58Address });
    expect(a['Epistula-Uuid']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(a['Epistula-Uuid']).not.toBe(b['Epistula-Uuid']);
    expect(Number(a['Epistula-Timestamp'])).toBeGreaterThanOrEqual(before);
  });

  it('refuses bad options, naming the field', () => {
    expect(() => signEpistula(alice, BODY, { signedFor: 'nope' })).toThrow(/signedFor/);
    expect(() => signEpistula(alice, BODY, { uuid: 'not-a-uuid' })).toThrow(/uuid/);
    expect(() => signEpistula(alice, BODY, { timestampMs: 1.5 })).toThrow(/timestampMs/);
    expect(() => signEpistula(bob, BODY, { timestampMs: -1 })).toThrow(/timestampMs/);
  });
});

describe('createEpistulaVerifier', () => {
  it('accepts a valid request and names the caller', async () => {
    const { verifier } = setup();
    const headers = signed();
    const verdict = await verifier.verify({ headers, body: BODY });
    expect(verdict).toEqual({
      ok: true,
      caller: {
        hotkey: alice.ss58Address,
        publicKey: alice.publicKey,
        signedFor: bob.ss58Address,
        uuid: headers['Epistula-Uuid'],
        timestampMs: T0,
      },
    });
  });

  it('reads headers from a fetch Headers, a lowercase record, or any casing', async () => {
    const { verifier } = setup();
    const lower = Object.fromEntries(
      Object.entries(signed()).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect((await verifier.verify({ headers: lower, body: BODY })).ok).toBe(true);
    expect((await verifier.verify({ headers: new Headers(signed()), body: BODY })).ok).toBe(true);
    const arrays = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k, [v]]));
    expect((await verifier.verify({ headers: arrays, body: BODY })).ok).toBe(true);
  });

  it('verifies an empty body (a GET) as the hash of the empty string', async () => {
    const { verifier } = setup();
    const headers = signed({}, new Uint8Array(0));
    expect((await verifier.verify({ headers })).ok).toBe(true);
  });

  it('refuses a stale request, accepting one exactly maxAgeMs old', async () => {
    const { time, verifier } = setup();
    time.now = T0 + DEFAULT_EPISTULA_MAX_AGE_MS;
    expect((await verifier.verify({ headers: signed(), body: BODY })).ok).toBe(true);
    time.now += 1;
    const r = refusal(await verifier.verify({ headers: signed(), body: BODY }));
    expect(r).toMatchObject({
      wire: 'epistula',
      code: 'STALE',
      status: 400,
      header: 'Epistula-Timestamp',
    });
    expect(r.message).toMatch(/10001 ms old \(limit 10000 ms\)/);
  });

  it('refuses a request dated too far ahead (the references have no future bound)', async () => {
    const { time, verifier } = setup();
    time.now = T0 - DEFAULT_EPISTULA_MAX_FUTURE_MS;
    expect((await verifier.verify({ headers: signed(), body: BODY })).ok).toBe(true);
    time.now -= 1;
    expect(refusal(await verifier.verify({ headers: signed(), body: BODY })).code).toBe('FUTURE');
  });

  it('honours a configured window', async () => {
    const { time, verifier } = setup({ maxAgeMs: 15_000, maxFutureMs: 0 });
    time.now = T0 + 15_000;
    expect((await verifier.verify({ headers: signed(), body: BODY })).ok).toBe(true);
    time.now = T0 - 1;
    expect(refusal(await verifier.verify({ headers: signed(), body: BODY })).code).toBe('FUTURE');
  });

  it('refuses a replayed request for as long as it is fresh', async () => {
    const { time, verifier } = setup();
    const headers = signed();
    expect((await verifier.verify({ headers, body: BODY })).ok).toBe(true);
    const r = refusal(await verifier.verify({ headers, body: BODY }));
    expect(r).toMatchObject({ code: 'REPLAYED', status: 400, header: 'Epistula-Uuid' });
    time.now = T0 + DEFAULT_EPISTULA_MAX_AGE_MS;
    expect(refusal(await verifier.verify({ headers, body: BODY })).code).toBe('REPLAYED');
    time.now += 1;
    expect(refusal(await verifier.verify({ headers, body: BODY })).code).toBe('STALE');
    // Another uuid from the same sender is a new request.
    time.now = T0;
    expect((await verifier.verify({ headers: signed(), body: BODY })).ok).toBe(true);
  });

  it('refuses a request signed for another receiver, or for none', async () => {
    const { verifier } = setup();
    const other = signed({ signedFor: charlie.ss58Address });
    const r = refusal(await verifier.verify({ headers: other, body: BODY }));
    expect(r).toMatchObject({ code: 'WRONG_RECEIVER', status: 400, header: 'Epistula-Signed-For' });
    const unbound = signEpistula(alice, BODY, { timestampMs: T0 });
    expect(refusal(await verifier.verify({ headers: unbound, body: BODY })).code).toBe(
      'WRONG_RECEIVER',
    );
    // gobt may send an empty Signed-For: the same as none.
    const empty = { ...unbound, 'Epistula-Signed-For': '' };
    expect(refusal(await verifier.verify({ headers: empty, body: BODY })).code).toBe(
      'WRONG_RECEIVER',
    );
  });

  it('accepts unbound requests only when told to, and still refuses another receiver', async () => {
    const { verifier } = setup({ requireSignedFor: false });
    const unbound = signEpistula(alice, BODY, { timestampMs: T0 });
    const verdict = await verifier.verify({ headers: unbound, body: BODY });
    expect(verdict.ok && verdict.caller.signedFor).toBeUndefined();
    expect(verdict.ok).toBe(true);
    const empty = { ...signEpistula(alice, BODY, { timestampMs: T0 }), 'Epistula-Signed-For': '' };
    expect((await verifier.verify({ headers: empty, body: BODY })).ok).toBe(true);
    const other = signed({ signedFor: charlie.ss58Address });
    expect(refusal(await verifier.verify({ headers: other, body: BODY })).code).toBe(
      'WRONG_RECEIVER',
    );
    // Dropping Signed-For from a bound request changes the message: bad signature.
    const { 'Epistula-Signed-For': _, ...stripped } = signed();
    expect(refusal(await verifier.verify({ headers: stripped, body: BODY })).code).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('refuses a body changed after signing', async () => {
    const { verifier } = setup();
    const headers = signed();
    const changed = new TextEncoder().encode('{"prompt": "hellO"}');
    const r = refusal(await verifier.verify({ headers, body: changed }));
    expect(r).toMatchObject({
      code: 'BAD_SIGNATURE',
      status: 400,
      header: 'Epistula-Request-Signature',
    });
    expect(refusal(await verifier.verify({ headers })).code).toBe('BAD_SIGNATURE');
  });

  it('refuses a changed timestamp or uuid (both are signed)', async () => {
    const { verifier } = setup();
    const headers = signed();
    const later = { ...headers, 'Epistula-Timestamp': String(T0 + 1) };
    expect(refusal(await verifier.verify({ headers: later, body: BODY })).code).toBe(
      'BAD_SIGNATURE',
    );
    const uuid = { ...headers, 'Epistula-Uuid': headers['Epistula-Uuid']!.toUpperCase() };
    expect(refusal(await verifier.verify({ headers: uuid, body: BODY })).code).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('refuses a bad signature: another key, or garbage of the right shape', async () => {
    const { verifier } = setup();
    const forged = {
      ...signEpistula(charlie, BODY, { signedFor: bob.ss58Address, timestampMs: T0 }),
    };
    forged['Epistula-Signed-By'] = alice.ss58Address;
    expect(refusal(await verifier.verify({ headers: forged, body: BODY })).code).toBe(
      'BAD_SIGNATURE',
    );
    const zero = { ...signed(), 'Epistula-Request-Signature': `0x${'00'.repeat(64)}` };
    expect(refusal(await verifier.verify({ headers: zero, body: BODY })).code).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('refuses a <Bytes>-wrapped signature unless acceptBytesWrapped', async () => {
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const message = epistulaMessage(
      createHash('sha256').update(BODY).digest('hex'),
      uuid,
      T0,
      bob.ss58Address,
    );
    const sig = alice.sign(wrapBytes(new TextEncoder().encode(message)));
    const headers = {
      ...signed({ uuid }),
      'Epistula-Request-Signature': `0x${Buffer.from(sig).toString('hex')}`,
    };
    expect(refusal(await setup().verifier.verify({ headers, body: BODY })).code).toBe(
      'BAD_SIGNATURE',
    );
    expect(
      (await setup({ acceptBytesWrapped: true }).verifier.verify({ headers, body: BODY })).ok,
    ).toBe(true);
  });

  it('refuses malformed or missing headers before checking the signature', async () => {
    const { verifier } = setup();
    const cases: [Record<string, string | string[] | undefined>, string, string][] = [
      [{ 'Epistula-Version': '1' }, 'UNSUPPORTED_VERSION', 'Epistula-Version'],
      [{ 'Epistula-Version': undefined }, 'MISSING_HEADER', 'Epistula-Version'],
      [{ 'Epistula-Timestamp': undefined }, 'MISSING_HEADER', 'Epistula-Timestamp'],
      [{ 'Epistula-Uuid': '' }, 'MISSING_HEADER', 'Epistula-Uuid'],
      [{ 'Epistula-Signed-By': undefined }, 'MISSING_HEADER', 'Epistula-Signed-By'],
      [{ 'Epistula-Request-Signature': undefined }, 'MISSING_HEADER', 'Epistula-Request-Signature'],
      [{ 'Epistula-Timestamp': `${T0 / 1000}.0` }, 'MALFORMED_HEADER', 'Epistula-Timestamp'],
      [{ 'Epistula-Timestamp': `0${T0}` }, 'MALFORMED_HEADER', 'Epistula-Timestamp'],
      [{ 'Epistula-Timestamp': ` ${T0}` }, 'MALFORMED_HEADER', 'Epistula-Timestamp'],
      [{ 'Epistula-Timestamp': `${T0}`.repeat(2) }, 'MALFORMED_HEADER', 'Epistula-Timestamp'],
      [{ 'Epistula-Uuid': 'a-b-c-d-e' }, 'MALFORMED_HEADER', 'Epistula-Uuid'],
      [{ 'Epistula-Signed-By': 'alice' }, 'MALFORMED_HEADER', 'Epistula-Signed-By'],
      // The same key with the Polkadot prefix (0): one key has one spelling here.
      [
        { 'Epistula-Signed-By': '15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5' },
        'MALFORMED_HEADER',
        'Epistula-Signed-By',
      ],
      [
        { 'Epistula-Request-Signature': 'ab'.repeat(64) },
        'MALFORMED_HEADER',
        'Epistula-Request-Signature',
      ],
      [
        { 'Epistula-Request-Signature': '0x1234' },
        'MALFORMED_HEADER',
        'Epistula-Request-Signature',
      ],
      [
        {
          'Epistula-Uuid': [
            '0f8fad5b-d9cb-469f-a165-70867728950e',
            '1f8fad5b-d9cb-469f-a165-70867728950e',
          ],
        },
        'MALFORMED_HEADER',
        'Epistula-Uuid',
      ],
    ];
    for (const [patch, code, header] of cases) {
      const headers: Record<string, string | string[] | undefined> = { ...signed(), ...patch };
      const r = refusal(await verifier.verify({ headers, body: BODY }));
      expect([r.code, r.header, r.status], JSON.stringify(patch)).toEqual([code, header, 400]);
    }
  });

  it('ignores the Secret-Signature headers (implementations disagree on them)', async () => {
    const { verifier } = setup();
    const headers = {
      ...signed(),
      'Epistula-Secret-Signature-0': 'garbage',
      'Epistula-Secret-Signature-1': `0x${'00'.repeat(64)}`,
      // SN1's validators also copy body keys into the headers.
      task: 'QuestionAnsweringTask',
      'X-Client-Timeout': '20',
    };
    expect((await verifier.verify({ headers, body: BODY })).ok).toBe(true);
  });

  it('writes the replay store only after the signature holds, and fails closed when it throws', async () => {
    const keys: [string, number][] = [];
    const store: ReplayStore = {
      async seen(key, expiresAtMs) {
        keys.push([key, expiresAtMs]);
        if (key.endsWith('e')) throw new Error('redis down');
        return false;
      },
    };
    const { verifier } = setup({}, store);
    await verifier.verify({ headers: signed(), body: new Uint8Array(1) });
    expect(keys).toEqual([]);
    const uuid = '0f8fad5b-d9cb-469f-a165-708677289501';
    expect((await verifier.verify({ headers: signed({ uuid }), body: BODY })).ok).toBe(true);
    expect(keys).toEqual([
      [
        `epistula:${Buffer.from(alice.publicKey).toString('hex')}:${uuid}`,
        T0 + DEFAULT_EPISTULA_MAX_AGE_MS + 1,
      ],
    ]);
    const r = refusal(
      await verifier.verify({ headers: signed({ uuid: uuid.replace(/1$/, 'e') }), body: BODY }),
    );
    expect(r).toMatchObject({ code: 'REPLAY_STORE_UNAVAILABLE', status: 503 });
    expect((r.cause as Error).message).toBe('redis down');
  });

  it('one store serves several verifiers: a request replayed to a second receiver process is refused', async () => {
    const keys = new Set<string>();
    const shared: ReplayStore = {
      seen(key) {
        if (keys.has(key)) return true;
        keys.add(key);
        return false;
      },
    };
    const a = setup({}, shared).verifier;
    const b = setup({}, shared).verifier;
    const headers = signed();
    expect((await a.verify({ headers, body: BODY })).ok).toBe(true);
    expect(refusal(await b.verify({ headers, body: BODY })).code).toBe('REPLAYED');
  });

  it('refuses bad options, naming the field', () => {
    expect(() => createEpistulaVerifier({ hotkey: 'bob' })).toThrow(/hotkey/);
    expect(() => createEpistulaVerifier({ hotkey: bob.ss58Address, maxAgeMs: -1 })).toThrow(
      /maxAgeMs/,
    );
    expect(() => createEpistulaVerifier({ hotkey: bob.ss58Address, maxFutureMs: 0.5 })).toThrow(
      /maxFutureMs/,
    );
  });

  it('answers 400 for every caller fault and 503 for its own', () => {
    for (const [code, status] of Object.entries(EPISTULA_REFUSAL_STATUS)) {
      expect([code, status]).toEqual([code, code === 'REPLAY_STORE_UNAVAILABLE' ? 503 : 400]);
    }
  });
});
