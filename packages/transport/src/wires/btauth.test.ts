import { isSubnetkitError } from '@subnetkit/core';
import { encodeAddress, Keypair, verifySignature } from '@subnetkit/wallet';
import { describe, expect, it, vi } from 'vitest';
import {
  type BtauthHeaders,
  type BtauthRefusal,
  type BtauthRequest,
  type BtauthScheme,
  type BtauthVerdict,
  btauthPayload,
  createBtauthVerifier,
  ed25519Signer,
  signBtauth,
  type VerifyBtauthOptions,
  verifyBtauth,
} from './btauth.js';
import { MemoryReplayStore, type ReplayStore } from './replay.js';
import { sha256Hex } from './shared.js';

// --- §1.9 fixtures -------------------------------------------------------------------------
const NONCE = 1_752_076_800_000_000_000n;
const BODY = new TextEncoder().encode('{"prompt": "hello"}');
const METHOD = 'POST';
const PATH = '/generate?stream=false';
const BODY_SHA256 = '341c57448e531310fbbe83f44cea2a5e838bd9e8a6b82b269f01d0dbbc23c3cc';
const ALICE_SR = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const ALICE_ED = '5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const GOLDEN_ED25519_SIGNATURE =
  '0x1a6b631988bf1f7ea093ab9d5acf61f05c316d0b0e428b24b487b75a5f6ee0e1' +
  'a56a26918fdf871b6cf09437e6588023a4ce423cf622621b2a7feee17612f704';
const GOLDEN_SR25519_PAYLOAD = [
  'btauth/1',
  'sr25519',
  'POST',
  '/generate?stream=false',
  '341c57448e531310fbbe83f44cea2a5e838bd9e8a6b82b269f01d0dbbc23c3cc',
  '1752076800000000000',
  '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
].join('\n');

/** The ed25519 secret seed of `//Alice` (substrate HDKD); its address and signature prove it. */
const ALICE_ED_SEED = Buffer.from(
  'abf8e5bdbe30c65656c0a3cbd181ff8a56294a69dfedd27982aace4a76909115',
  'hex',
);

const aliceSr = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const charlie = Keypair.fromUri('//Charlie');
const aliceEd = ed25519Signer(ALICE_ED_SEED);

// --- helpers -------------------------------------------------------------------------------
function signed(
  scheme: BtauthScheme = 'sr25519',
  overrides: Partial<Parameters<typeof signBtauth>[0]> = {},
) {
  return signBtauth({
    method: METHOD,
    pathAndQuery: PATH,
    body: BODY,
    ...(scheme === 'sr25519' ? { keypair: aliceSr } : { signer: aliceEd }),
    receiver: BOB,
    nonce: NONCE,
    ...overrides,
  });
}

function request(headers: BtauthRequest['headers'], changes: Partial<BtauthRequest> = {}) {
  return { method: METHOD, pathAndQuery: PATH, body: BODY, headers, ...changes };
}

interface CheckOptions extends Partial<VerifyBtauthOptions> {
  nowNs?: bigint;
}

/** Verifies at `nonce + 1 ms` by default, against a fresh store on the same clock. */
function check(req: BtauthRequest, options: CheckOptions = {}): Promise<BtauthVerdict> {
  const nowNs = options.nowNs ?? NONCE + 1_000_000n;
  const { nowNs: _ignored, ...rest } = options;
  return verifyBtauth(req, {
    receiverHotkey: BOB,
    scheme: 'sr25519',
    replay: new MemoryReplayStore({}, { clock: () => Number(nowNs / 1_000_000n) }),
    now: () => nowNs,
    ...rest,
  });
}

async function refusal(req: BtauthRequest, options: CheckOptions = {}): Promise<BtauthRefusal> {
  const result = await check(req, options);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.caller.hotkey)}`);
  return result.refusal;
}

function without(headers: BtauthHeaders, name: string): BtauthHeaders {
  const out = { ...headers };
  delete out[name];
  return out;
}

// --- golden vectors ------------------------------------------------------------------------
describe('btauth/1 golden vectors (wires.md §1.9)', () => {
  it('hashes the 19-byte body and builds the sr25519 payload byte for byte', () => {
    expect(BODY.length).toBe(19);
    expect(sha256Hex(BODY)).toBe(BODY_SHA256);
    const payload = btauthPayload({
      scheme: 'sr25519',
      method: 'post',
      pathAndQuery: PATH,
      body: BODY,
      nonce: NONCE,
      sender: ALICE_SR,
      receiver: BOB,
    });
    expect(Buffer.from(payload).toString('utf8')).toBe(GOLDEN_SR25519_PAYLOAD);
    expect(payload).toEqual(new TextEncoder().encode(GOLDEN_SR25519_PAYLOAD));
    expect(payload.at(-1)).not.toBe(0x0a); // no trailing newline
    expect(Buffer.from(payload).toString('utf8').split('\n')).toHaveLength(8);
  });

  it('uses the fixture addresses of //Alice (sr25519 and ed25519) and //Bob', () => {
    expect(aliceSr.ss58Address).toBe(ALICE_SR);
    expect(bob.ss58Address).toBe(BOB);
    expect(aliceEd.ss58Address).toBe(ALICE_ED);
    expect(encodeAddress(aliceEd.publicKey)).toBe(ALICE_ED);
  });

  it('signs the ed25519 vector to exactly the pinned signature', () => {
    const headers = signed('ed25519');
    expect(headers).toEqual({
      'X-Bittensor-Version': '1',
      'X-Bittensor-Hotkey': ALICE_ED,
      'X-Bittensor-Nonce': '1752076800000000000',
      'X-Bittensor-Signature': GOLDEN_ED25519_SIGNATURE,
      'X-Bittensor-Crypto': 'ed25519',
      'X-Bittensor-Receiver': BOB,
    });
    const payload = Buffer.from(
      GOLDEN_SR25519_PAYLOAD.replace('\nsr25519\n', '\ned25519\n').replace(ALICE_SR, ALICE_ED),
    );
    expect(Buffer.from(aliceEd.sign(payload)).toString('hex')).toBe(
      GOLDEN_ED25519_SIGNATURE.slice(2),
    );
  });

  it('verifies the pinned ed25519 signature from headers written by hand', async () => {
    const headers = {
      'x-bittensor-version': '1',
      'x-bittensor-hotkey': ALICE_ED,
      'x-bittensor-nonce': '1752076800000000000',
      'x-bittensor-signature': GOLDEN_ED25519_SIGNATURE,
      'x-bittensor-crypto': 'ed25519',
      'x-bittensor-receiver': BOB,
    };
    expect(await check(request(headers), { scheme: 'ed25519' })).toEqual({
      ok: true,
      caller: {
        hotkey: ALICE_ED,
        publicKey: aliceEd.publicKey,
        nonce: NONCE,
        scheme: 'ed25519',
        receiver: BOB,
      },
    });
  });

  it('signs the sr25519 vector over exactly the golden payload, with no Crypto header', async () => {
    const headers = signed('sr25519');
    expect(Object.keys(headers).sort()).toEqual([
      'X-Bittensor-Hotkey',
      'X-Bittensor-Nonce',
      'X-Bittensor-Receiver',
      'X-Bittensor-Signature',
      'X-Bittensor-Version',
    ]);
    expect(headers['X-Bittensor-Nonce']).toBe('1752076800000000000');
    expect(headers['X-Bittensor-Signature']).toMatch(/^0x[0-9a-f]{128}$/);
    // Randomized, so: the signature verifies over the golden bytes, and not over anything else.
    const signature = headers['X-Bittensor-Signature']!;
    expect(verifySignature(GOLDEN_SR25519_PAYLOAD, signature, ALICE_SR)).toBe(true);
    expect(verifySignature(`<Bytes>${GOLDEN_SR25519_PAYLOAD}</Bytes>`, signature, ALICE_SR)).toBe(
      false,
    );
    expect(verifySignature(`${GOLDEN_SR25519_PAYLOAD}\n`, signature, ALICE_SR)).toBe(false);
    expect(signed('sr25519')['X-Bittensor-Signature']).not.toBe(signature);
    expect((await check(request(headers))).ok).toBe(true);
  });

  it('verifies an sr25519 signature made over the golden payload by the wallet directly', async () => {
    const signature = `0x${Buffer.from(aliceSr.sign(GOLDEN_SR25519_PAYLOAD)).toString('hex')}`;
    const headers = {
      'X-Bittensor-Version': '1',
      'X-Bittensor-Hotkey': ALICE_SR,
      'X-Bittensor-Nonce': '1752076800000000000',
      'X-Bittensor-Receiver': BOB,
      'X-Bittensor-Signature': signature,
    };
    expect(await check(request(headers))).toMatchObject({
      ok: true,
      caller: { hotkey: ALICE_SR, nonce: NONCE },
    });
  });

  it('keeps the ns nonce exact (it is beyond Number.MAX_SAFE_INTEGER)', () => {
    expect(NONCE > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(String(Number(NONCE) + 1)).not.toBe('1752076800000000001');
    const headers = signed('ed25519', { nonce: '1752076800000000001' });
    expect(headers['X-Bittensor-Nonce']).toBe('1752076800000000001');
  });
});

// --- round trips and header rules ------------------------------------------------------------
describe('verifyBtauth accepts', () => {
  it('both schemes, with the verified sender, nonce, scheme and receiver', async () => {
    expect(await check(request(signed('sr25519')))).toEqual({
      ok: true,
      caller: {
        hotkey: ALICE_SR,
        publicKey: aliceSr.publicKey,
        nonce: NONCE,
        scheme: 'sr25519',
        receiver: BOB,
      },
    });
    expect(await check(request(signed('ed25519')), { scheme: 'ed25519' })).toMatchObject({
      ok: true,
      caller: { hotkey: ALICE_ED, scheme: 'ed25519' },
    });
  });

  it('header names in any case, Node headersDistinct arrays, and fetch Headers', async () => {
    const headers = signed('ed25519');
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    const distinct = Object.fromEntries(Object.entries(lower).map(([k, v]) => [k, [v]]));
    for (const h of [lower, upper, distinct, new Headers(headers)]) {
      expect((await check(request(h), { scheme: 'ed25519' })).ok).toBe(true);
    }
  });

  it('the crypto spellings the SDK accepts, rebuilding the canonical name for the payload', async () => {
    const sr = signed('sr25519');
    for (const spelling of ['sr25519', 'SR25519', 'Sr25519', '1']) {
      const result = await check(request({ ...sr, 'X-Bittensor-Crypto': spelling }));
      expect(result.ok, spelling).toBe(true);
    }
    const ed = signed('ed25519');
    for (const spelling of ['ed25519', 'ED25519', '0']) {
      const result = await check(request({ ...ed, 'X-Bittensor-Crypto': spelling }), {
        scheme: 'ed25519',
      });
      expect(result.ok, spelling).toBe(true);
    }
  });

  it('a lowercase received method (the payload upper-cases it) and an empty GET body', async () => {
    expect((await check(request(signed(), { method: 'post' }))).ok).toBe(true);
    const get = signBtauth({
      method: 'get',
      pathAndQuery: '/health',
      keypair: aliceSr,
      receiver: BOB,
      nonce: NONCE,
    });
    const result = await check(
      request(get, { method: 'GET', pathAndQuery: '/health', body: new Uint8Array() }),
    );
    expect(result.ok).toBe(true);
  });

  it('the percent-encoded target exactly as sent', async () => {
    const target = '/a%20b/%E2%9C%93?q=a%2Fb&x=1';
    const headers = signed('sr25519', { pathAndQuery: target });
    expect((await check(request(headers, { pathAndQuery: target }))).ok).toBe(true);
    const decoded = await refusal(request(headers, { pathAndQuery: '/a b/✓?q=a/b&x=1' }));
    expect(decoded.code).toBe('BAD_SIGNATURE');
  });

  it('unbound requests only with requireReceiver: false', async () => {
    const headers = signed('sr25519', { receiver: null });
    expect(headers['X-Bittensor-Receiver']).toBeUndefined();
    expect((await refusal(request(headers))).code).toBe('MISSING_RECEIVER');
    const unbound = await check(request(headers), { requireReceiver: false });
    expect(unbound.ok && unbound.caller.receiver).toBeUndefined();
    expect(unbound.ok).toBe(true);
  });

  it('nonces on the edges of the window (10 s back, 2 s ahead by default, configurable)', async () => {
    const headers = signed();
    expect((await check(request(headers), { nowNs: NONCE + 10_000_000_000n })).ok).toBe(true);
    expect((await check(request(headers), { nowNs: NONCE - 2_000_000_000n })).ok).toBe(true);
    const wide = { window: { maxAgeMs: 300_000, skewMs: 30_000 } };
    expect((await check(request(headers), { ...wide, nowNs: NONCE + 299_000_000_000n })).ok).toBe(
      true,
    );
    expect((await check(request(headers), { ...wide, nowNs: NONCE - 29_000_000_000n })).ok).toBe(
      true,
    );
  });
});

// --- refusals ------------------------------------------------------------------------------
describe('verifyBtauth refuses', () => {
  it('a stale nonce (older than max age)', async () => {
    const r = await refusal(request(signed()), { nowNs: NONCE + 10_000_000_001n });
    expect(r).toMatchObject({
      wire: 'btauth',
      kind: 'StaleRequest',
      code: 'NONCE_TOO_OLD',
      status: 401,
    });
    expect((await refusal(request(signed()), { nowNs: NONCE + 11_000_000_000n })).code).toBe(
      'NONCE_TOO_OLD',
    );
    const tight = { window: { maxAgeMs: 1_000 }, nowNs: NONCE + 1_000_000_001n };
    expect((await refusal(request(signed()), tight)).code).toBe('NONCE_TOO_OLD');
  });

  it('a nonce from the future (beyond the allowed skew)', async () => {
    const r = await refusal(request(signed()), { nowNs: NONCE - 2_000_000_001n });
    expect(r).toMatchObject({ kind: 'StaleRequest', code: 'NONCE_IN_FUTURE', status: 401 });
    expect((await refusal(request(signed()), { nowNs: NONCE - 3_000_000_000n })).code).toBe(
      'NONCE_IN_FUTURE',
    );
  });

  it('a replay, as long as the nonce is fresh; after the window it is stale instead', async () => {
    let now = NONCE + 1_000_000n;
    const replay = new MemoryReplayStore({}, { clock: () => Number(now / 1_000_000n) });
    const options = { receiverHotkey: BOB, scheme: 'sr25519' as const, replay, now: () => now };
    const headers = signed();
    expect((await verifyBtauth(request(headers), options)).ok).toBe(true);
    const again = await verifyBtauth(request(headers), options);
    expect(again).toMatchObject({
      ok: false,
      refusal: { kind: 'ReplayedRequest', code: 'REPLAYED', status: 401 },
    });
    now = NONCE + 10_000_000_000n; // the last ns the nonce is fresh: still remembered
    expect(await verifyBtauth(request(headers), options)).toMatchObject({
      refusal: { code: 'REPLAYED' },
    });
    now += 1n;
    expect(await verifyBtauth(request(headers), options)).toMatchObject({
      refusal: { code: 'NONCE_TOO_OLD' },
    });
    // Another sender with the same nonce is not a replay.
    now = NONCE + 1_000_000n;
    const other = signBtauth({
      method: METHOD,
      pathAndQuery: PATH,
      body: BODY,
      keypair: charlie,
      receiver: BOB,
      nonce: NONCE,
    });
    expect((await verifyBtauth(request(other), options)).ok).toBe(true);
  });

  it('a request bound to another receiver', async () => {
    const r = await refusal(request(signed('sr25519', { receiver: charlie.ss58Address })));
    expect(r).toMatchObject({ kind: 'WrongReceiver', code: 'WRONG_RECEIVER', status: 401 });
    // Even when unbound requests are allowed, a bound one must be bound to us.
    const loose = await refusal(request(signed('sr25519', { receiver: charlie.ss58Address })), {
      requireReceiver: false,
    });
    expect(loose.code).toBe('WRONG_RECEIVER');
    const empty = await refusal(request({ ...signed(), 'X-Bittensor-Receiver': '' }), {
      requireReceiver: false,
    });
    expect(empty.code).toBe('WRONG_RECEIVER');
  });

  it('a missing receiver when one is required (the default)', async () => {
    const r = await refusal(request(without(signed(), 'X-Bittensor-Receiver')));
    expect(r).toMatchObject({ kind: 'WrongReceiver', code: 'MISSING_RECEIVER', status: 401 });
    // Stripping the receiver of a bound request breaks its signature when unbound is allowed.
    const stripped = await refusal(request(without(signed(), 'X-Bittensor-Receiver')), {
      requireReceiver: false,
    });
    expect(stripped.code).toBe('BAD_SIGNATURE');
  });

  it('a body changed after signing', async () => {
    const body = new TextEncoder().encode('{"prompt": "hellO"}');
    const r = await refusal(request(signed(), { body }));
    expect(r).toMatchObject({ kind: 'BadSignature', code: 'BAD_SIGNATURE', status: 401 });
    expect((await refusal(request(signed(), { body: new Uint8Array() }))).code).toBe(
      'BAD_SIGNATURE',
    );
    const ed = await refusal(request(signed('ed25519'), { body: BODY.subarray(1) }), {
      scheme: 'ed25519',
    });
    expect(ed.code).toBe('BAD_SIGNATURE');
  });

  it('a path or a query changed', async () => {
    for (const pathAndQuery of [
      '/generate',
      '/generate?stream=true',
      '/generate?stream=false&x=1',
      '/Generate?stream=false',
      '/admin?stream=false',
      '/generate/?stream=false',
    ]) {
      expect((await refusal(request(signed(), { pathAndQuery }))).code, pathAndQuery).toBe(
        'BAD_SIGNATURE',
      );
    }
  });

  it('a method changed', async () => {
    for (const method of ['PUT', 'GET', 'DELETE']) {
      expect((await refusal(request(signed(), { method }))).code, method).toBe('BAD_SIGNATURE');
    }
  });

  it('a scheme header that differs from the pinned scheme, and never tries the other scheme', async () => {
    const edToSr = await refusal(request(signed('ed25519')), { scheme: 'sr25519' });
    expect(edToSr).toMatchObject({ kind: 'MalformedAuth', code: 'SCHEME_MISMATCH', status: 401 });
    const srToEd = await refusal(request(signed('sr25519')), { scheme: 'ed25519' });
    expect(srToEd.code).toBe('SCHEME_MISMATCH');
    const claimed = await refusal(
      request({ ...signed('sr25519'), 'X-Bittensor-Crypto': 'ed25519' }),
    );
    expect(claimed.code).toBe('SCHEME_MISMATCH');
    // An ed25519 signature with the Crypto header stripped is checked as sr25519 only.
    const stripped = await refusal(request(without(signed('ed25519'), 'X-Bittensor-Crypto')));
    expect(stripped.code).toBe('BAD_SIGNATURE');
  });

  it('unknown and not-implemented schemes', async () => {
    for (const spelling of ['ecdsa', '', ' sr25519', 'sr25519 ', '01', '2', 'sr-25519']) {
      const r = await refusal(request({ ...signed(), 'X-Bittensor-Crypto': spelling }));
      expect(r.code, JSON.stringify(spelling)).toBe('UNKNOWN_SCHEME');
      expect(r.kind).toBe('MalformedAuth');
    }
    for (const spelling of ['hashed', 'mldsa', 'MLDSA']) {
      const r = await refusal(request({ ...signed(), 'X-Bittensor-Crypto': spelling }));
      expect(r.code, spelling).toBe('UNSUPPORTED_SCHEME');
    }
  });

  it('a malformed or missing nonce (canonical decimal only)', async () => {
    for (const nonce of [
      'not-a-number',
      '01752076800000000000',
      '+1752076800000000000',
      '-1752076800000000000',
      '1_752_076_800_000_000_000',
      ' 1752076800000000000',
      '1752076800000000000 ',
      '1.752076800000000000e18',
      '1752076800000000000.0',
      '0x1850d0e9f1b00000',
      '１７５２０７６８０００００００００００',
      '',
    ]) {
      const r = await refusal(request({ ...signed(), 'X-Bittensor-Nonce': nonce }));
      expect(r, nonce).toMatchObject({ kind: 'MalformedAuth', code: 'BAD_NONCE', status: 401 });
    }
    expect((await refusal(request(without(signed(), 'X-Bittensor-Nonce')))).code).toBe(
      'MISSING_NONCE',
    );
    // A canonical but different nonce is a forgery.
    const tampered = { ...signed(), 'X-Bittensor-Nonce': String(NONCE + 1n) };
    expect((await refusal(request(tampered))).code).toBe('BAD_SIGNATURE');
  });

  it('a badly encoded or missing signature; a wrong one', async () => {
    const good = signed()['X-Bittensor-Signature']!;
    for (const signature of [
      '0xnothex',
      good.toUpperCase(),
      `0x${good.slice(2).toUpperCase()}`,
      good.slice(2),
      `${good}0`,
      good.slice(0, -2),
      `${good}00`,
      '0x',
      '',
      ` ${good}`,
    ]) {
      const r = await refusal(request({ ...signed(), 'X-Bittensor-Signature': signature }));
      expect(r, signature).toMatchObject({
        kind: 'MalformedAuth',
        code: 'BAD_SIGNATURE_ENCODING',
      });
    }
    expect((await refusal(request(without(signed(), 'X-Bittensor-Signature')))).code).toBe(
      'MISSING_SIGNATURE',
    );
    const flipped = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    const r = await refusal(request({ ...signed(), 'X-Bittensor-Signature': flipped }));
    expect(r).toMatchObject({ kind: 'BadSignature', code: 'BAD_SIGNATURE' });
    const zero = await refusal(
      request({ ...signed(), 'X-Bittensor-Signature': `0x${'00'.repeat(64)}` }),
    );
    expect(zero.code).toBe('BAD_SIGNATURE');
  });

  it('a wrong or missing version header', async () => {
    for (const version of ['2', '0', '01', '1.0', ' 1', 'v1', 'btauth/1', '']) {
      const r = await refusal(request({ ...signed(), 'X-Bittensor-Version': version }));
      expect(r, version).toMatchObject({
        kind: 'MalformedAuth',
        code: 'BAD_VERSION',
        status: 401,
      });
    }
    expect((await refusal(request(without(signed(), 'X-Bittensor-Version')))).code).toBe(
      'BAD_VERSION',
    );
  });

  it('a missing or undecodable hotkey', async () => {
    expect((await refusal(request(without(signed(), 'X-Bittensor-Hotkey')))).code).toBe(
      'MISSING_HOTKEY',
    );
    expect((await refusal(request({ ...signed(), 'X-Bittensor-Hotkey': '' }))).code).toBe(
      'MISSING_HOTKEY',
    );
    const bad = await refusal(
      request({ ...signed(), 'X-Bittensor-Hotkey': `${ALICE_SR.slice(0, -1)}Z` }),
    );
    expect(bad).toMatchObject({ kind: 'MalformedAuth', code: 'BAD_HOTKEY' });
    // Alice's key spelled for another network (prefix 0) is not a Bittensor hotkey.
    const polkadot = encodeAddress(aliceSr.publicKey, 0);
    const other = await refusal(request({ ...signed(), 'X-Bittensor-Hotkey': polkadot }));
    expect(other.code).toBe('BAD_HOTKEY');
  });

  it('a header given twice', async () => {
    const headers = signed();
    const twice = { ...headers, 'x-bittensor-nonce': headers['X-Bittensor-Nonce']! };
    expect(await refusal(request(twice))).toMatchObject({
      kind: 'MalformedAuth',
      code: 'DUPLICATE_HEADER',
    });
    const array = { ...headers, 'X-Bittensor-Receiver': [BOB, BOB] };
    expect((await refusal(request(array))).code).toBe('DUPLICATE_HEADER');
    // fetch Headers join repeats with ", ", which no exact value accepts.
    const joined = new Headers(headers);
    joined.append('X-Bittensor-Version', '1');
    expect((await refusal(request(joined))).code).toBe('BAD_VERSION');
  });

  it('with 401 for every auth failure, and messages that never echo the signature', async () => {
    const headers = signed();
    const cases: Array<[BtauthRequest, CheckOptions]> = [
      [request({ ...headers, 'X-Bittensor-Version': '2' }), {}],
      [request(headers), { receiverHotkey: charlie.ss58Address }],
      [request(headers), { nowNs: NONCE + 60_000_000_000n }],
      [request(headers, { body: new Uint8Array([1]) }), {}],
    ];
    for (const [req, options] of cases) {
      const r = await refusal(req, options);
      expect(r.status).toBe(401);
      expect(r.message).not.toContain(headers['X-Bittensor-Signature']!.slice(2, 20));
      expect(r.message).not.toContain(BODY_SHA256);
    }
  });
});

// --- order of the checks and the replay store ----------------------------------------------
describe('verifyBtauth order of checks', () => {
  it('shape, then receiver, then freshness, then signature, then replay', async () => {
    const headers = signed();
    const wrongAll = {
      ...headers,
      'X-Bittensor-Receiver': charlie.ss58Address,
      'X-Bittensor-Signature': `0x${'11'.repeat(64)}`,
    };
    const stale = { nowNs: NONCE + 60_000_000_000n };
    // shape beats receiver
    expect((await refusal(request({ ...wrongAll, 'X-Bittensor-Nonce': 'x' }), stale)).code).toBe(
      'BAD_NONCE',
    );
    // receiver beats freshness and signature
    expect((await refusal(request(wrongAll), stale)).code).toBe('WRONG_RECEIVER');
    // freshness beats signature (and an undecodable hotkey)
    const forged = { ...headers, 'X-Bittensor-Signature': `0x${'11'.repeat(64)}` };
    expect((await refusal(request(forged), stale)).code).toBe('NONCE_TOO_OLD');
    expect((await refusal(request({ ...forged, 'X-Bittensor-Hotkey': 'nope' }), stale)).code).toBe(
      'NONCE_TOO_OLD',
    );
    // scheme mismatch is a shape check: before the receiver
    expect(
      (await refusal(request({ ...wrongAll, 'X-Bittensor-Crypto': 'ed25519' }), stale)).code,
    ).toBe('SCHEME_MISMATCH');
  });

  it('writes the replay store only after the signature verifies', async () => {
    const nowNs = NONCE + 1_000_000n;
    const store = new MemoryReplayStore({}, { clock: () => Number(nowNs / 1_000_000n) });
    const seen = vi.spyOn(store, 'seen');
    const headers = signed();
    const forged = { ...headers, 'X-Bittensor-Signature': `0x${'11'.repeat(64)}` };
    for (const req of [
      request(forged),
      request(headers, { body: new Uint8Array() }),
      request({ ...headers, 'X-Bittensor-Receiver': charlie.ss58Address }),
    ]) {
      expect((await check(req, { replay: store, nowNs })).ok).toBe(false);
    }
    expect(seen).not.toHaveBeenCalled();
    // The forged copies did not poison the store: the genuine request still goes through once.
    expect((await check(request(headers), { replay: store, nowNs })).ok).toBe(true);
    expect(seen).toHaveBeenCalledTimes(1);
    const maxAgeNs = 10_000_000_000n;
    expect(seen).toHaveBeenCalledWith(
      `btauth:${Buffer.from(aliceSr.publicKey).toString('hex')}:${NONCE}`,
      Number((NONCE + maxAgeNs) / 1_000_000n) + 1,
    );
  });

  it('awaits async stores; a failing or full store refuses with 503 (fail closed)', async () => {
    const keys = new Set<string>();
    const asyncStore: ReplayStore = {
      seen: async (key) => {
        await new Promise((r) => setTimeout(r, 1));
        if (keys.has(key)) return true;
        keys.add(key);
        return false;
      },
    };
    expect((await check(request(signed()), { replay: asyncStore })).ok).toBe(true);
    expect((await refusal(request(signed()), { replay: asyncStore })).code).toBe('REPLAYED');

    const failing: ReplayStore = {
      seen: () => Promise.reject(new Error('redis down')),
    };
    const failed = await refusal(request(signed()), { replay: failing });
    expect(failed).toMatchObject({
      kind: 'ReplayStoreUnavailable',
      code: 'REPLAY_STORE_UNAVAILABLE',
      status: 503,
      message: 'replay protection unavailable; retry later',
    });
    expect((failed.cause as Error).message).toBe('redis down');
    const throwing: ReplayStore = {
      seen: () => {
        throw new Error('boom');
      },
    };
    expect((await refusal(request(signed()), { replay: throwing })).code).toBe(
      'REPLAY_STORE_UNAVAILABLE',
    );

    const nowNs = NONCE + 1_000_000n;
    const tiny = new MemoryReplayStore(
      { maxEntries: 1 },
      { clock: () => Number(nowNs / 1_000_000n) },
    );
    expect((await check(request(signed()), { replay: tiny, nowNs })).ok).toBe(true);
    const other = signed('sr25519', { nonce: NONCE + 1n });
    const full = await refusal(request(other), { replay: tiny, nowNs });
    expect(full).toMatchObject({
      code: 'REPLAY_STORE_UNAVAILABLE',
      status: 503,
      message: 'replay store full; retry later with a fresh nonce',
    });
    expect(isSubnetkitError(full.cause, 'REPLAY_STORE_FULL')).toBe(true);
    // A store that answers anything but false is treated as "seen".
    const odd = { seen: () => undefined as unknown as boolean };
    expect((await refusal(request(signed()), { replay: odd })).code).toBe('REPLAYED');
  });
});

describe('createBtauthVerifier', () => {
  it('checks options once and keeps a replay store of its own on its clock', async () => {
    let now = NONCE + 1_000_000n;
    const verifier = createBtauthVerifier(
      { receiverHotkey: BOB, scheme: 'ed25519' },
      { clock: () => now },
    );
    const headers = signed('ed25519');
    expect(await verifier.verify(request(headers))).toMatchObject({
      ok: true,
      caller: { hotkey: ALICE_ED, nonce: NONCE },
    });
    expect(await verifier.verify(request(headers))).toMatchObject({
      ok: false,
      refusal: { wire: 'btauth', code: 'REPLAYED', header: 'X-Bittensor-Nonce' },
    });
    now = NONCE + 10_000_000_000n; // the last ns the nonce is fresh: still remembered
    expect(await verifier.verify(request(headers))).toMatchObject({
      refusal: { code: 'REPLAYED' },
    });
    now += 1n;
    expect(await verifier.verify(request(headers))).toMatchObject({
      refusal: { code: 'NONCE_TOO_OLD' },
    });
    // One store may serve several verifiers (and wires): keys are namespaced `btauth:`.
    const shared = new MemoryReplayStore({}, { clock: () => Number(now / 1_000_000n) });
    now = NONCE + 1_000_000n;
    const a = createBtauthVerifier(
      { receiverHotkey: BOB, scheme: 'sr25519' },
      { clock: () => now, replayStore: shared },
    );
    const b = createBtauthVerifier(
      { receiverHotkey: BOB, scheme: 'sr25519' },
      { clock: () => now, replayStore: shared },
    );
    expect((await a.verify(request(signed()))).ok).toBe(true);
    const replayed = await b.verify(request(signed()));
    expect(replayed.ok).toBe(false);
    expect(() => createBtauthVerifier({ receiverHotkey: BOB } as never)).toThrow(/scheme/);
    expect(() =>
      createBtauthVerifier(
        { receiverHotkey: BOB, scheme: 'sr25519' },
        { replayStore: {} as never },
      ),
    ).toThrow(/replayStore/);
  });
});

// --- bad options ---------------------------------------------------------------------------
describe('bad options are errors naming the field', () => {
  function field(fn: () => unknown): unknown {
    try {
      fn();
    } catch (error) {
      expect(isSubnetkitError(error, 'INVALID_OPTIONS')).toBe(true);
      return (error as { details?: { field?: string } }).details?.field;
    }
    throw new Error('expected an INVALID_OPTIONS error');
  }

  it('for signBtauth', () => {
    const base = { method: METHOD, pathAndQuery: PATH, body: BODY, receiver: BOB, nonce: NONCE };
    expect(field(() => signBtauth({ ...base }))).toBe('signer');
    expect(field(() => signBtauth({ ...base, keypair: aliceSr, signer: aliceEd }))).toBe('signer');
    expect(field(() => signBtauth({ ...base, keypair: aliceSr, scheme: 'ed25519' }))).toBe(
      'scheme',
    );
    expect(field(() => signBtauth({ ...base, keypair: aliceSr, receiver: 'bob' }))).toBe(
      'receiver',
    );
    expect(field(() => signBtauth({ ...base, keypair: aliceSr, method: 'PO ST' }))).toBe('method');
    for (const pathAndQuery of ['/a b', '/a\nb', '', '/✓']) {
      expect(field(() => signBtauth({ ...base, keypair: aliceSr, pathAndQuery }))).toBe(
        'pathAndQuery',
      );
    }
    for (const nonce of ['0123', '-1', 1752076800000000000 as unknown as bigint, -1n]) {
      expect(field(() => signBtauth({ ...base, keypair: aliceSr, nonce }))).toBe('nonce');
    }
    const short = {
      scheme: 'ed25519' as const,
      ss58Address: ALICE_ED,
      sign: () => new Uint8Array(63),
    };
    expect(field(() => signBtauth({ ...base, signer: short }))).toBe('signer');
    expect(field(() => ed25519Signer(new Uint8Array(31)))).toBe('seed');
    // The explicit scheme is accepted when it matches; a string body is its UTF-8.
    const a = signBtauth({
      ...base,
      signer: aliceEd,
      scheme: 'ed25519',
      body: '{"prompt": "hello"}',
    });
    expect(a['X-Bittensor-Signature']).toBe(GOLDEN_ED25519_SIGNATURE);
  });

  it('for verifyBtauth', async () => {
    const replay = new MemoryReplayStore();
    const base: VerifyBtauthOptions = { receiverHotkey: BOB, scheme: 'sr25519', replay };
    const req = request(signed());
    const rejects = async (options: unknown, r: unknown = req) => {
      try {
        await verifyBtauth(r as BtauthRequest, options as VerifyBtauthOptions);
      } catch (error) {
        expect(isSubnetkitError(error, 'INVALID_OPTIONS')).toBe(true);
        return (error as { details?: { field?: string } }).details?.field;
      }
      throw new Error('expected an INVALID_OPTIONS error');
    };
    expect(await rejects({ ...base, scheme: undefined })).toBe('scheme');
    expect(await rejects({ ...base, scheme: 'mldsa' })).toBe('scheme');
    expect(await rejects({ ...base, receiverHotkey: 'me' })).toBe('receiverHotkey');
    expect(await rejects({ ...base, replay: undefined })).toBe('replay');
    expect(await rejects({ ...base, window: { maxAgeMs: -1 } })).toBe('window.maxAgeMs');
    expect(await rejects({ ...base, window: { skewMs: Number.NaN } })).toBe('window.skewMs');
    expect(await rejects(base, { ...req, body: 'text' })).toBe('request.body');
    expect(await rejects(base, { ...req, pathAndQuery: undefined })).toBe('request.pathAndQuery');
  });
});
