// One handler, many wires: the same synapse handlers served over btauth/1, Epistula v2 and
// Fiber beside the Synapse wire, dendrite → axon over real HTTP, and every refusal.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type AnySynapse,
  type Axon,
  Axon as AxonClass,
  type AxonComponents,
  type AxonOptions,
  defineSynapse,
  type HandlerContext,
  type SynapseHandlers,
  TransportMetrics,
  type WireName,
} from '../src/index.js';
import { fiberNonce, signBtauth, signEpistula, signFiber } from '../src/wires/index.js';
import { alice, bob, charlie, DummySynapse, newDendrite, post, silent } from './helpers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

const ALL: WireName[] = ['synapse', 'btauth', 'epistula', 'fiber'];

interface Seen {
  wire: WireName;
  hotkey: string;
  blacklistWire: WireName;
}

async function serve<S extends AnySynapse>(
  def: S,
  handlers: SynapseHandlers<S>,
  options: Partial<AxonOptions> = {},
  components: AxonComponents = {},
) {
  const metrics = new TransportMetrics();
  const axon: Axon = new AxonClass(
    { keypair: bob, host: '127.0.0.1', port: 0, verifyWorkers: 0, wires: ALL, ...options },
    { logger: silent, metrics, ...components },
  );
  axon.attach(def, handlers);
  await axon.start();
  cleanup.push(() => axon.stop({ graceMs: 100 }));
  return { axon, metrics, url: `http://127.0.0.1:${axon.port}` };
}

/** The one handler every wire is served by; it records what the context said. */
function dummyHandlers(seen: Seen[]): SynapseHandlers<typeof DummySynapse> {
  let blacklistWire: WireName = 'synapse';
  return {
    blacklist: (info) => {
      blacklistWire = info.wire;
      return info.dendrite.hotkey === charlie.ss58Address ? [true, 'charlie'] : false;
    },
    forward: (input, ctx: HandlerContext) => {
      seen.push({ wire: ctx.wire, hotkey: ctx.dendrite.hotkey, blacklistWire });
      return { dummy_output: input.dummy_input * 2 };
    },
  };
}

const body = (n: number) => JSON.stringify({ dummy_input: n });

describe('wires: one handler, round trips dendrite → axon', () => {
  for (const wire of ALL) {
    it(`${wire}: the same handler answers, ctx.wire and the verified hotkey are set`, async () => {
      const seen: Seen[] = [];
      const { axon } = await serve(DummySynapse, dummyHandlers(seen));
      const dendrite = newDendrite();
      cleanup.push(() => dendrite.close());
      const r = await dendrite.call({ ...axon.info(), wire }, DummySynapse, { dummy_input: 21 });
      expect(r.dendrite.status_message).toBe('Success');
      expect(r.ok).toBe(true);
      expect(r.wire).toBe(wire);
      expect(r.output?.dummy_output).toBe(42);
      expect(seen).toEqual([{ wire, hotkey: alice.ss58Address, blacklistWire: wire }]);
    });
  }

  it('the dendrite-wide default wire, overridden per target', async () => {
    const seen: Seen[] = [];
    const { axon } = await serve(DummySynapse, dummyHandlers(seen));
    const dendrite = newDendrite({ wire: 'epistula' });
    cleanup.push(() => dendrite.close());
    const [a, b] = await dendrite.query(
      [axon.info(), { ...axon.info(), wire: 'fiber' }],
      DummySynapse,
      { dummy_input: 2 },
    );
    expect([a?.wire, b?.wire]).toEqual(['epistula', 'fiber']);
    expect([a?.output?.dummy_output, b?.output?.dummy_output]).toEqual([4, 4]);
    expect(seen.map((s) => s.wire).sort()).toEqual(['epistula', 'fiber']);
  });

  it('the reply is the output fields as plain JSON, with no bt_header_* headers', async () => {
    const { url } = await serve(DummySynapse, dummyHandlers([]));
    const b = body(5);
    const headers = {
      ...signEpistula(alice, b, { signedFor: bob.ss58Address }),
      'content-type': 'application/json',
    };
    const res = await post(url, '/Dummy', headers, b);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ dummy_output: 10 });
    expect(Object.keys(res.headers).filter((h) => h.startsWith('bt_header_'))).toEqual([]);
  });

  it('a blacklisted (verified) caller gets 403 on every signed wire; a 400 for a bad input', async () => {
    const { axon, url } = await serve(DummySynapse, dummyHandlers([]));
    const dendrite = newDendrite({ keypair: charlie });
    cleanup.push(() => dendrite.close());
    for (const wire of ['btauth', 'epistula', 'fiber'] as const) {
      const r = await dendrite.call({ ...axon.info(), wire }, DummySynapse, { dummy_input: 1 });
      expect([wire, r.dendrite.status_code]).toEqual([wire, 403]);
      expect(r.dendrite.status_message).toContain('blacklisted');
    }
    const bad = JSON.stringify({ dummy_input: 'x' });
    const headers = signFiber(alice, bad, { minerHotkey: bob.ss58Address });
    const res = await post(url, '/Dummy', headers, bad);
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('Invalid Dummy');
  });

  it('streams over a signed wire as over Synapse (chunked body)', async () => {
    const Story = defineSynapse({
      name: 'Story',
      input: { n: z.int() },
      output: {},
      streaming: true,
    });
    const { axon } = await serve(Story, {
      forward: async function* (input) {
        for (let i = 0; i < input.n; i++) yield `c${i};`;
      },
    });
    const dendrite = newDendrite();
    cleanup.push(() => dendrite.close());
    for (const wire of ['synapse', 'btauth', 'epistula', 'fiber'] as const) {
      const stream = dendrite.stream({ ...axon.info(), wire }, Story, { n: 3 });
      let text = '';
      for await (const chunk of stream) text += chunk;
      const r = await stream.result;
      expect([wire, text, r.ok, r.wire]).toEqual([wire, 'c0;c1;c2;', true, wire]);
    }
  });
});

describe('wires: refusals over real HTTP', () => {
  it('unsigned: 401 on btauth, 400 on epistula, 422 on fiber (each reference status); no wire headers at all: 401', async () => {
    const { url } = await serve(DummySynapse, dummyHandlers([]), {
      wires: ['btauth', 'epistula', 'fiber'],
    });
    const b = body(1);
    const none = await post(url, '/Dummy', { 'content-type': 'application/json' }, b);
    expect(none.status).toBe(401);
    expect(none.json.message).toContain('Unsigned');
    const bt = await post(url, '/Dummy', { 'x-bittensor-version': '1' }, b);
    expect(bt.status).toBe(401);
    expect(bt.json.message).toContain('MISSING_HOTKEY');
    const ep = await post(url, '/Dummy', { 'epistula-version': '2' }, b);
    expect(ep.status).toBe(400);
    expect(ep.json.message).toContain('MISSING_HEADER');
    const fi = await post(url, '/Dummy', { 'validator-hotkey': alice.ss58Address }, b);
    expect(fi.status).toBe(422);
    expect(fi.json.message).toContain('MISSING_HEADER');
  });

  it('replayed: the same signed request twice is refused the second time, on each wire', async () => {
    const { url, metrics } = await serve(DummySynapse, dummyHandlers([]));
    const b = body(3);
    const signed = {
      btauth: signBtauth({
        method: 'POST',
        pathAndQuery: '/Dummy',
        body: b,
        keypair: alice,
        receiver: bob.ss58Address,
      }),
      epistula: signEpistula(alice, b, { signedFor: bob.ss58Address }),
      fiber: signFiber(alice, b, { minerHotkey: bob.ss58Address }),
    };
    const second = { btauth: 401, epistula: 400, fiber: 401 };
    for (const wire of ['btauth', 'epistula', 'fiber'] as const) {
      expect((await post(url, '/Dummy', signed[wire], b)).status).toBe(200);
      const again = await post(url, '/Dummy', signed[wire], b);
      expect([wire, again.status]).toEqual([wire, second[wire]]);
      expect(again.json.message).toContain('REPLAYED');
    }
    const snap = metrics.snapshot();
    for (const wire of ['btauth', 'epistula', 'fiber']) {
      expect(snap.wires[wire]).toEqual({ requests: 2, rejections: { REPLAYED: 1 } });
    }
    expect(snap.rejections.replayed).toBe(3);
  });

  it('wrong receiver: signed for another hotkey is refused, on each wire', async () => {
    const { url, metrics } = await serve(DummySynapse, dummyHandlers([]));
    const b = body(3);
    const other = charlie.ss58Address;
    const cases = [
      [
        signBtauth({
          method: 'POST',
          pathAndQuery: '/Dummy',
          body: b,
          keypair: alice,
          receiver: other,
        }),
        401,
      ],
      [signEpistula(alice, b, { signedFor: other }), 400],
      [signFiber(alice, b, { minerHotkey: other }), 401],
    ] as const;
    for (const [headers, status] of cases) {
      const res = await post(url, '/Dummy', headers, b);
      expect(res.status).toBe(status);
      expect(res.json.message).toContain('WRONG_RECEIVER');
    }
    expect(metrics.snapshot().rejections.wrong_receiver).toBe(3);
  });

  it('body changed after signing: refused as a bad signature, on each wire; the handler never runs', async () => {
    const seen: Seen[] = [];
    const { url, metrics } = await serve(DummySynapse, dummyHandlers(seen));
    const signedFor = body(3);
    const sent = body(4);
    const cases = [
      [
        signBtauth({
          method: 'POST',
          pathAndQuery: '/Dummy',
          body: signedFor,
          keypair: alice,
          receiver: bob.ss58Address,
        }),
        401,
      ],
      [signEpistula(alice, signedFor, { signedFor: bob.ss58Address }), 400],
      [signFiber(alice, signedFor, { minerHotkey: bob.ss58Address }), 401],
    ] as const;
    for (const [headers, status] of cases) {
      const res = await post(url, '/Dummy', headers, sent);
      expect(res.status).toBe(status);
      expect(res.json.message).toContain('BAD_SIGNATURE');
    }
    expect(seen).toEqual([]);
    expect(metrics.snapshot().rejections.bad_signature).toBe(3);
  });

  it('stale: signed a minute ago is refused, on each wire (fiber only past its 120 s window)', async () => {
    const { url } = await serve(DummySynapse, dummyHandlers([]));
    const b = body(3);
    const ago = BigInt(Date.now() - 60_000) * 1_000_000n;
    const cases = [
      [
        signBtauth({
          method: 'POST',
          pathAndQuery: '/Dummy',
          body: b,
          keypair: alice,
          receiver: bob.ss58Address,
          nonce: ago,
        }),
        401,
        'NONCE_TOO_OLD',
      ],
      [
        signEpistula(alice, b, { signedFor: bob.ss58Address, timestampMs: Date.now() - 60_000 }),
        400,
        'STALE',
      ],
      [
        signFiber(alice, b, {
          minerHotkey: bob.ss58Address,
          nonce: fiberNonce(BigInt(Date.now() - 180_000) * 1_000_000n),
        }),
        401,
        'STALE',
      ],
    ] as const;
    for (const [headers, status, code] of cases) {
      const res = await post(url, '/Dummy', headers, b);
      expect([res.status, res.json.message]).toEqual([status, expect.stringContaining(code)]);
    }
  });

  it('btauth: the raw path and query as sent are signed (another route or query is refused)', async () => {
    const { url } = await serve(DummySynapse, dummyHandlers([]));
    const b = body(3);
    const headers = signBtauth({
      method: 'POST',
      pathAndQuery: '/Dummy?x=1',
      body: b,
      keypair: alice,
      receiver: bob.ss58Address,
    });
    expect((await post(url, '/Dummy?x=2', headers, b)).status).toBe(401);
    expect((await post(url, '/Dummy?x=1', headers, b)).status).toBe(200);
  });

  it('wire not enabled: 400 naming the wire; the default axon serves Synapse only', async () => {
    const { url, metrics } = await serve(DummySynapse, dummyHandlers([]), {
      wires: ['synapse', 'btauth'],
    });
    const b = body(1);
    const res = await post(
      url,
      '/Dummy',
      signEpistula(alice, b, { signedFor: bob.ss58Address }),
      b,
    );
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(
      'Wire epistula is not enabled on this axon (enabled: synapse, btauth)',
    );
    expect(Object.keys(res.headers).some((h) => h.startsWith('bt_header_'))).toBe(false);
    expect(metrics.snapshot().wires.epistula?.rejections).toEqual({ wire_not_enabled: 1 });

    const plain = await serve(DummySynapse, dummyHandlers([]), { wires: undefined });
    const dendrite = newDendrite();
    cleanup.push(() => dendrite.close());
    const r = await dendrite.call({ ...plain.axon.info(), wire: 'btauth' }, DummySynapse, {
      dummy_input: 1,
    });
    expect(r.dendrite.status_code).toBe(400);
    expect(r.dendrite.status_message).toContain('Wire btauth is not enabled');
    const ok = await dendrite.call(plain.axon.info(), DummySynapse, { dummy_input: 1 });
    expect([ok.ok, ok.wire]).toEqual([true, 'synapse']);
  });

  it('mixed headers: two wires at once is 400 with a clear reason, even when both are valid', async () => {
    const { url, metrics } = await serve(DummySynapse, dummyHandlers([]));
    const b = body(1);
    const headers = {
      ...signBtauth({
        method: 'POST',
        pathAndQuery: '/Dummy',
        body: b,
        keypair: alice,
        receiver: bob.ss58Address,
      }),
      ...signEpistula(alice, b, { signedFor: bob.ss58Address }),
    };
    const res = await post(url, '/Dummy', headers, b);
    expect(res.status).toBe(400);
    expect(res.json.message).toBe(
      "Request mixes the headers of wires btauth and epistula: send one wire's headers only",
    );
    const synapseAndFiber = await post(
      url,
      '/Dummy',
      {
        ...signFiber(alice, b, { minerHotkey: bob.ss58Address }),
        bt_header_dendrite_hotkey: alice.ss58Address,
      },
      b,
    );
    expect(synapseAndFiber.status).toBe(400);
    expect(synapseAndFiber.json.message).toContain('synapse and fiber');
    expect(metrics.snapshot().rejections.mixed_wires).toBe(2);
  });

  it('fiber: minStake with an injected stake lookup (403 below it, 403 unknown)', async () => {
    const stakes = new Map([[alice.ss58Address, 5_000]]);
    const { axon } = await serve(
      DummySynapse,
      dummyHandlers([]),
      { fiber: { minStake: 1_000 } },
      { stakeLookup: (hotkey) => stakes.get(hotkey) },
    );
    const target = { ...axon.info(), wire: 'fiber' as const };
    const ok = await newDendrite().call(target, DummySynapse, { dummy_input: 1 });
    expect(ok.ok).toBe(true);
    stakes.set(alice.ss58Address, 10);
    const low = await newDendrite().call(target, DummySynapse, { dummy_input: 1 });
    expect(low.dendrite.status_code).toBe(403);
    expect(low.dendrite.status_message).toContain('STAKE_TOO_LOW');
    const unknown = await newDendrite({ keypair: charlie }).call(target, DummySynapse, {
      dummy_input: 1,
    });
    expect(unknown.dendrite.status_message).toContain('NOT_REGISTERED');
  });

  it('btauth: the scheme is pinned by config, requireReceiver can be turned off', async () => {
    const { url } = await serve(DummySynapse, dummyHandlers([]), {
      btauth: { requireReceiver: false },
    });
    const b = body(1);
    const unbound = signBtauth({ method: 'POST', pathAndQuery: '/Dummy', body: b, keypair: alice });
    expect((await post(url, '/Dummy', unbound, b)).status).toBe(200);
    const ed = await serve(DummySynapse, dummyHandlers([]), { btauth: { scheme: 'ed25519' } });
    const sr = signBtauth({
      method: 'POST',
      pathAndQuery: '/Dummy',
      body: b,
      keypair: alice,
      receiver: bob.ss58Address,
    });
    const res = await post(ed.url, '/Dummy', sr, b);
    expect(res.status).toBe(401);
    expect(res.json.message).toContain('SCHEME_MISMATCH');
  });

  it('a target whose hotkey cannot be signed for is a BAD_TARGET result, not a throw', async () => {
    const { axon } = await serve(DummySynapse, dummyHandlers([]));
    const dendrite = newDendrite();
    cleanup.push(() => dendrite.close());
    const r = await dendrite.call(
      { ...axon.info(), hotkey: 'not-ss58', wire: 'epistula' },
      DummySynapse,
      {
        dummy_input: 1,
      },
    );
    expect([r.ok, r.error, r.dendrite.status_code]).toEqual([false, 'BAD_TARGET', 400]);
    expect(r.dendrite.status_message).toContain('signedFor');
  });

  it('bad wire options are refused at construction, naming the field', () => {
    expect(
      () =>
        new AxonClass({ keypair: bob, wires: ['synapse', 'grpc' as WireName] }, { logger: silent }),
    ).toThrow(/options\.wires: unknown wire "grpc"/);
    expect(
      () =>
        new AxonClass(
          { keypair: bob, wires: ['fiber'], fiber: { minStake: 1 } },
          { logger: silent },
        ),
    ).toThrow(/stakeLookup/);
    expect(() => newDendrite({ wire: 'x' as WireName })).toThrow(/options\.wire: unknown wire/);
  });
});
