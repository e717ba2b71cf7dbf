import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type AnySynapse,
  type Axon,
  type AxonOptions,
  defineSynapse,
  PingSynapse,
  type SynapseHandlers,
  TransportMetrics,
} from '../src/index.js';
import { alice, bob, charlie, DummySynapse, newDendrite, sleep, startAxon } from './helpers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

async function axonWith<S extends AnySynapse>(
  def: S,
  handlers: SynapseHandlers<S>,
  options: Partial<AxonOptions> = {},
) {
  const started = await startAxon(def, handlers, options);
  cleanup.push(() => started.axon.stop({ graceMs: 100 }));
  return started;
}

function dendrite(options = {}, metrics?: TransportMetrics) {
  const d = newDendrite(options, metrics);
  cleanup.push(() => d.close());
  return d;
}

/** A plain HTTP server answering whatever `handler` writes (a misbehaving "axon"). */
async function rawServer(
  handler: Parameters<typeof createServer>[1],
): Promise<{ port: number; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { server, port: (server.address() as AddressInfo).port };
}

const target = (axon: Axon) => axon.info();

describe('dendrite ↔ axon', () => {
  it('queries, verifies the axon signature and fills the SDK terminal fields', async () => {
    const { axon } = await axonWith(DummySynapse, {
      forward: (i) => ({ dummy_output: i.dummy_input * 2 }),
    });
    const metrics = new TransportMetrics();
    const d = dendrite({ requireAxonSignature: true }, metrics);
    const [r] = await d.query([target(axon)], DummySynapse, { dummy_input: 4 }, { timeout: 5 });
    expect(r!.ok).toBe(true);
    expect(r!.output).toEqual({ dummy_output: 8 });
    expect(r!.dendrite.status_code).toBe(200);
    expect(r!.dendrite.status_message).toBe('Success');
    expect(r!.dendrite.process_time).toBeGreaterThan(0);
    expect(r!.dendrite.hotkey).toBe(alice.ss58Address);
    expect(r!.axon.hotkey).toBe(bob.ss58Address);
    expect(r!.axon.signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(r!.axon.process_time).toBeGreaterThanOrEqual(0);
    expect(metrics.snapshot().dendrite.Dummy?.byStatus).toEqual({ 200: 1 });
  });

  it('sends nothing when the caller signal is already aborted', async () => {
    let calls = 0;
    const { axon } = await axonWith(DummySynapse, {
      forward: (i) => {
        calls += 1;
        return { dummy_output: i.dummy_input };
      },
    });
    const d = dendrite();
    const signal = AbortSignal.abort(new Error('validator shutting down'));
    const [r] = await d.query(
      [target(axon)],
      DummySynapse,
      { dummy_input: 1 },
      { timeout: 5, signal },
    );
    expect(r!.ok).toBe(false);
    expect(r!.dendrite.status_code).not.toBe(200);
    await sleep(50);
    expect(calls).toBe(0);
  });

  it('sends many requests to one axon over keep-alive, all accepted (nonces increase)', async () => {
    const { axon } = await axonWith(
      DummySynapse,
      { forward: (i) => ({ dummy_output: i.dummy_input }) },
      { rateLimit: false },
    );
    const d = dendrite();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => d.call(target(axon), DummySynapse, { dummy_input: i })),
    );
    // Concurrent calls on several connections may arrive out of order (the SDK behaves the
    // same); sequential calls never fail.
    for (let i = 0; i < 20; i++) {
      const r = await d.call(target(axon), PingSynapse, {});
      expect(r.dendrite.status_code).toBe(200);
    }
    expect(results.filter((r) => !r.ok).map((r) => r.dendrite.status_message)).toEqual([]);
  });

  it('fans out: never throws, one result per axon in order, with the SDK status mapping', async () => {
    const { axon: good } = await axonWith(DummySynapse, { forward: () => ({ dummy_output: 1 }) });
    const { axon: slow } = await axonWith(DummySynapse, {
      forward: async () => {
        await sleep(2_000);
        return { dummy_output: 2 };
      },
    });
    const { axon: blacklisting } = await axonWith(DummySynapse, {
      forward: () => ({ dummy_output: 3 }),
      blacklist: () => true,
    });
    const garbage = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"not json');
    });
    const dead = await rawServer(() => {});
    const deadPort = dead.port;
    await new Promise<void>((r) => dead.server.close(() => r()));
    const targets = [
      target(good),
      target(slow),
      target(blacklisting),
      { ip: '127.0.0.1', port: garbage.port, hotkey: bob.ss58Address },
      { ip: '127.0.0.1', port: deadPort, hotkey: bob.ss58Address },
    ];
    const d = dendrite();
    const results = await d.query(targets, DummySynapse, { dummy_input: 1 }, { timeout: 0.5 });
    expect(results.map((r) => r.dendrite.status_code)).toEqual([200, 408, 403, 422, 503]);
    expect(results.map((r) => r.error)).toEqual([
      undefined,
      'TIMEOUT',
      undefined,
      'UNPARSEABLE_RESPONSE',
      'CONNECTION_FAILED',
    ]);
    expect(results[2]!.dendrite.status_message).toBe('Forbidden. Key is blacklisted: .');
    expect(results[1]!.dendrite.status_message).toBe('Request timeout after 0.5 seconds');
  });

  it('maps an axon-side 401 (wrong hotkey) and keeps its message', async () => {
    const { axon } = await axonWith(DummySynapse, { forward: () => ({ dummy_output: 1 }) });
    const d = dendrite();
    const wrong = { ...target(axon), hotkey: charlie.ss58Address };
    const r = await d.call(wrong, DummySynapse, { dummy_input: 1 });
    expect(r.dendrite.status_code).toBe(401);
    expect(r.dendrite.status_message).toMatch(/Signature mismatch/);
  });

  it('caps the response size (a miner answering too much is a failure, not an OOM)', async () => {
    const huge = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('{}');
      };
      res.on('error', () => {});
      pump();
    });
    const d = dendrite({ maxResponseBytes: 1024 * 1024 });
    const r = await d.call(
      { ip: '127.0.0.1', port: huge.port, hotkey: bob.ss58Address },
      DummySynapse,
      { dummy_input: 1 },
      { timeout: 10 },
    );
    expect(r.dendrite.status_code).toBe(422);
    expect(r.error).toBe('RESPONSE_TOO_LARGE');
  });

  it('rejects a reply whose axon signature does not verify', async () => {
    const forged = await rawServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        bt_header_axon_nonce: '1',
        bt_header_axon_uuid: 'u',
        bt_header_axon_signature: `0x${'33'.repeat(64)}`,
      });
      res.end(JSON.stringify({ dummy_output: 5 }));
    });
    const d = dendrite();
    const r = await d.call(
      { ip: '127.0.0.1', port: forged.port, hotkey: bob.ss58Address },
      DummySynapse,
      { dummy_input: 1 },
    );
    expect(r.error).toBe('BAD_AXON_SIGNATURE');
    expect(r.dendrite.status_code).toBe(422);
    expect(r.output).toBeUndefined();
  });

  it('rejects an output that breaks the schema (422)', async () => {
    const liar = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ dummy_output: 'lots' }));
    });
    const d = dendrite();
    const r = await d.call(
      { ip: '127.0.0.1', port: liar.port, hotkey: bob.ss58Address },
      DummySynapse,
      { dummy_input: 1 },
    );
    expect(r.error).toBe('INVALID_OUTPUT');
    expect(r.dendrite.status_code).toBe(422);
  });

  it('throws (before any network) for input that breaks the schema', async () => {
    const d = dendrite();
    await expect(
      d.query([{ ip: '127.0.0.1', port: 1, hotkey: bob.ss58Address }], DummySynapse, {
        dummy_input: 'x' as unknown as number,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_SYNAPSE_DATA' });
  });
});

const Tokens = defineSynapse({
  name: 'Tokens',
  input: { prompt: z.string(), n: z.int() },
  streaming: true,
});

describe('streaming', () => {
  it('streams chunks as an async iterable, then the final synapse', async () => {
    const { axon } = await axonWith(Tokens, {
      forward: async function* (input) {
        for (let i = 0; i < input.n; i++) {
          yield `${input.prompt}-${i} `;
          await sleep(5);
        }
        yield Buffer.from('€'); // multi-byte: must not be split into broken text
      },
    });
    const d = dendrite({ requireAxonSignature: true });
    const stream = d.stream(target(axon), Tokens, { prompt: 'tok', n: 5 });
    let text = '';
    for await (const chunk of stream) text += chunk as string;
    expect(text).toBe('tok-0 tok-1 tok-2 tok-3 tok-4 €');
    const final = await stream.result;
    expect(final.ok).toBe(true);
    expect(final.dendrite.status_code).toBe(200);
    expect(final.axon.process_time).toBeGreaterThan(0); // from the HTTP trailer
  });

  it('reports a stream cut mid-way after the chunks that did arrive', async () => {
    const { axon } = await axonWith(Tokens, {
      forward: async function* () {
        yield 'a';
        await sleep(20);
        yield 'b';
        await sleep(20);
        throw new Error('model crashed');
      },
    });
    const d = dendrite();
    const stream = d.stream(target(axon), Tokens, { prompt: '', n: 0 });
    const chunks: string[] = [];
    for await (const chunk of stream) chunks.push(chunk as string);
    expect(chunks.join('')).toBe('ab');
    const final = await stream.result;
    expect(final.ok).toBe(false);
    expect(final.error).toBe('STREAM_CUT');
    expect(final.dendrite.status_code).toBe(400);
  });

  it('cuts a stream past maxStreamBytes, and one past the timeout', async () => {
    const { axon } = await axonWith(Tokens, {
      forward: async function* (input, ctx) {
        for (let i = 0; i < 100_000 && !ctx.signal.aborted; i++) {
          yield 'x'.repeat(1024);
          if (input.n > 0) await sleep(input.n);
        }
      },
    });
    const d = dendrite({ maxStreamBytes: 64 * 1024 });
    const big = d.stream(target(axon), Tokens, { prompt: '', n: 0 });
    let got = 0;
    for await (const chunk of big) got += (chunk as string).length;
    expect(got).toBeLessThanOrEqual(64 * 1024);
    expect((await big.result).error).toBe('STREAM_TOO_LONG');
    const d2 = dendrite();
    const slow = d2.stream(target(axon), Tokens, { prompt: '', n: 20 }, { timeout: 0.3 });
    for await (const _ of slow) {
      // drain
    }
    const final = await slow.result;
    expect(final.dendrite.status_code).toBe(408);
  });

  it('passes an axon error status through without chunks', async () => {
    const { axon } = await axonWith(Tokens, {
      forward: async function* () {},
      blacklist: () => [true, 'no'] as const,
    });
    const d = dendrite();
    const stream = d.stream(target(axon), Tokens, { prompt: '', n: 0 });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks).toEqual([]);
    expect((await stream.result).dendrite.status_code).toBe(403);
  });

  it('reports a caller who stops iterating early', async () => {
    const { axon } = await axonWith(Tokens, {
      forward: async function* () {
        for (let i = 0; i < 1000; i++) {
          yield 'y';
          await sleep(1);
        }
      },
    });
    const d = dendrite();
    const stream = d.stream(target(axon), Tokens, { prompt: '', n: 0 });
    for await (const _ of stream) break;
    expect((await stream.result).error).toBe('CANCELLED');
  });
});
