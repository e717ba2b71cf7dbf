/**
 * `readStream` against a real loopback axon and dendrite with a streaming synapse: how a
 * stream ends (complete, stalled, oversized, cut, timeout, refused, cancelled) and what the
 * validator measured on its own clock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Axon,
  type AxonTarget,
  createAxon,
  createDendrite,
  type Dendrite,
  defineSynapse,
} from '@subnetkit/transport';
import { Keypair } from '@subnetkit/wallet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ReadStreamOptions, readStream } from './stream.js';

const silent = pino({ level: 'silent' });
const validatorKey = Keypair.fromUri('//Alice');
const minerKey = Keypair.fromUri('//Bob');
const stranger = Keypair.fromUri('//Stranger');

const Tokens = defineSynapse({
  name: 'Tokens',
  input: { mode: z.string(), n: z.int() },
  streaming: true,
});

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/** The text the `normal` mode streams for `n`. */
const normalText = (n: number) => `${Array.from({ length: n }, (_, i) => `tok-${i} `).join('')}€`;

describe('readStream over a real axon', () => {
  let axon: Axon;
  let dendrite: Dendrite;
  let target: AxonTarget;
  let raw: Server;
  let rawTarget: AxonTarget;
  /** Resolved by the `stall` handler once its first chunk is out. */
  let firstChunkSent: () => void = () => {};
  /** How the `big` handler's loop ended. */
  const bigEnded: string[] = [];

  beforeAll(async () => {
    axon = createAxon(
      { keypair: minerKey, host: '127.0.0.1', port: 0, verifyWorkers: 0 },
      { logger: silent },
    );
    axon.attach(Tokens, {
      blacklist: (info) =>
        info.dendrite.hotkey === validatorKey.ss58Address ? false : [true, 'unregistered caller'],
      forward: async function* (input, ctx) {
        switch (input.mode) {
          case 'normal':
            for (let i = 0; i < input.n; i++) {
              yield `tok-${i} `;
              await sleep(20);
            }
            yield Buffer.from('€'); // multi-byte, as bytes
            return;
          case 'stall':
            yield 'a';
            firstChunkSent();
            await sleep(30_000, ctx.signal);
            yield 'b';
            return;
          case 'big':
            for (let i = 0; i < 100_000 && !ctx.signal.aborted; i++) {
              yield 'x'.repeat(1024);
              await sleep(1);
            }
            bigEnded.push(ctx.signal.aborted ? 'aborted' : 'finished');
            return;
          case 'slow':
            for (let i = 0; i < 1000 && !ctx.signal.aborted; i++) {
              yield '.';
              await sleep(input.n, ctx.signal);
            }
            return;
          case 'throw':
            yield 'a';
            await sleep(20);
            yield 'b';
            await sleep(20);
            throw new Error('model crashed');
          default:
            throw new Error(`unknown mode ${input.mode}`);
        }
      },
    });
    await axon.start();
    target = { ip: '127.0.0.1', port: axon.port, hotkey: minerKey.ss58Address };
    dendrite = createDendrite({ keypair: validatorKey }, { logger: silent });

    // A server that starts a 200 chunked reply and then drops the connection.
    raw = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('partial ');
      setTimeout(() => res.socket?.destroy(), 30);
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    rawTarget = {
      ip: '127.0.0.1',
      port: (raw.address() as AddressInfo).port,
      hotkey: minerKey.ss58Address,
    };
  });

  afterAll(async () => {
    await dendrite?.close();
    await axon?.stop({ graceMs: 100 });
    raw?.closeAllConnections();
    await new Promise((r) => raw?.close(r));
  });

  const limits = (extra: Partial<ReadStreamOptions> = {}): ReadStreamOptions => ({
    timeoutS: 10,
    maxStreamBytes: 1024 * 1024,
    stallTimeoutS: 5,
    ...extra,
  });

  it('a normal stream is complete: chunks, text, bytes and timings', async () => {
    const { response, observation: o } = await readStream(
      dendrite,
      target,
      Tokens,
      { mode: 'normal', n: 5 },
      limits(),
    );
    expect(response.ok).toBe(true);
    expect(o.end).toBe('complete');
    expect(o.reason).toBeNull();
    const expected = normalText(5);
    expect(o.text).toBe(expected);
    expect(o.chunks.join('')).toBe(expected);
    expect(o.chunks.length).toBeGreaterThanOrEqual(2);
    expect(o.bytes).toBe(Buffer.byteLength(expected));
    expect(o.timeToFirstChunkMs).not.toBeNull();
    expect(o.timeToFirstChunkMs!).toBeGreaterThanOrEqual(0);
    expect(o.timeToFirstChunkMs!).toBeLessThanOrEqual(o.totalMs);
    expect(o.longestGapMs).toBeLessThanOrEqual(o.totalMs);
    expect(o.chunksPerSecond).toBeGreaterThan(0);
  });

  it('measures on the injected clock: first chunk, rate, total, longest gap', async () => {
    // Every reading of the clock moves it 10 ms: started = 0, chunk k at 10k, the end after.
    let t = 0;
    const now = () => {
      const v = t;
      t += 10;
      return v;
    };
    const { observation: o } = await readStream(
      dendrite,
      target,
      Tokens,
      { mode: 'normal', n: 4 },
      limits({ now }),
    );
    expect(o.end).toBe('complete');
    const m = o.chunks.length;
    expect(m).toBeGreaterThanOrEqual(2);
    expect(o.timeToFirstChunkMs).toBe(10);
    // (m - 1) chunks after the first over (10m - 10) ms.
    expect(o.chunksPerSecond).toBeCloseTo(100, 9);
    expect(o.longestGapMs).toBe(10);
    // m chunk readings, one for the end of the iteration, one after `result`.
    expect(o.totalMs).toBe(10 * (m + 2));
  });

  it('decode: bytes gives byte chunks and no text', async () => {
    const { observation: o } = await readStream(
      dendrite,
      target,
      Tokens,
      { mode: 'normal', n: 3 },
      limits({ decode: 'bytes' }),
    );
    expect(o.end).toBe('complete');
    expect(o.chunks.every((c) => c instanceof Uint8Array)).toBe(true);
    expect(o.text).toBe('');
    const joined = Buffer.concat(o.chunks as Uint8Array[]).toString('utf8');
    expect(joined).toBe(normalText(3));
    expect(o.bytes).toBe(Buffer.byteLength(joined));
  });

  it('a miner that pauses past stallTimeoutS is stalled, and the read ends well before the timeout', async () => {
    const { response, observation: o } = await readStream(
      dendrite,
      target,
      Tokens,
      { mode: 'stall', n: 0 },
      limits({ timeoutS: 20, stallTimeoutS: 0.3 }),
    );
    expect(o.end).toBe('stalled');
    expect(o.reason).toBe('no chunk for 0.3 s after 1 chunk(s)');
    expect(o.text).toBe('a');
    expect(response.ok).toBe(false);
    // The recorded gap is the stall itself. Node's timers keep whole milliseconds of a cached
    // loop time, so the deadline may fire up to 1 ms before 300 ms by performance.now().
    expect(o.longestGapMs).toBeGreaterThanOrEqual(299);
    // Stopped by the stall deadline: a read that waited for the 20 s timeout would end 'timeout'.
  });

  it('a stream over maxStreamBytes is oversized, and the miner is told to stop', async () => {
    const { observation: o } = await readStream(
      dendrite,
      target,
      Tokens,
      { mode: 'big', n: 0 },
      limits({ maxStreamBytes: 4096 }),
    );
    expect(o.end).toBe('oversized');
    expect(o.reason).toContain('4096-byte cap');
    expect(o.bytes).toBeGreaterThan(4096);
    const kept = o.chunks.reduce((s, c) => s + (c as string).length, 0);
    expect(kept).toBeLessThanOrEqual(4096);
    await expect.poll(() => bigEnded.at(-1)).toBe('aborted');
  });

  it("the dendrite's own stream cap also reads as oversized", async () => {
    const small = createDendrite(
      { keypair: validatorKey, maxStreamBytes: 2048 },
      { logger: silent },
    );
    try {
      const { response, observation: o } = await readStream(
        small,
        target,
        Tokens,
        { mode: 'big', n: 0 },
        limits(),
      );
      expect(response.error).toBe('STREAM_TOO_LONG');
      expect(o.end).toBe('oversized');
      expect(o.reason).toContain('2048');
    } finally {
      await small.close();
    }
  });

  it('a handler that throws mid-stream, or a dropped connection, is cut', async () => {
    const thrown = await readStream(dendrite, target, Tokens, { mode: 'throw', n: 0 }, limits());
    expect(thrown.observation.end).toBe('cut');
    expect(thrown.observation.reason).toMatch(/^stream cut before its end/);
    expect(thrown.observation.text).toBe('ab');

    const dropped = await readStream(dendrite, rawTarget, Tokens, { mode: 'x', n: 0 }, limits());
    expect(dropped.observation.end).toBe('cut');
    expect(dropped.observation.text).toBe('partial ');
  });

  it('a stream still running at the timeout ends as timeout', async () => {
    const { observation: o } = await readStream(
      dendrite,
      target,
      Tokens,
      { mode: 'slow', n: 50 },
      limits({ timeoutS: 0.5, stallTimeoutS: 5 }),
    );
    expect(o.end).toBe('timeout');
    expect(o.reason).toMatch(/before the timeout/);
    expect(o.chunks.length).toBeGreaterThan(0);
  });

  it('a caller the miner refuses gets refused, with the status', async () => {
    const other = createDendrite({ keypair: stranger }, { logger: silent });
    try {
      const { response, observation: o } = await readStream(
        other,
        target,
        Tokens,
        { mode: 'normal', n: 2 },
        limits(),
      );
      expect(response.dendrite.status_code).toBe(403);
      expect(o.end).toBe('refused');
      expect(o.reason).toMatch(/^no stream: 403/);
      expect(o.chunks).toEqual([]);
      expect(o.timeToFirstChunkMs).toBeNull();
      expect(o.chunksPerSecond).toBeNull();
    } finally {
      await other.close();
    }
  });

  it("the validator's abort signal ends an open stream", async () => {
    const controller = new AbortController();
    const sent = new Promise<void>((resolve) => {
      firstChunkSent = resolve;
    });
    const reading = readStream(
      dendrite,
      target,
      Tokens,
      { mode: 'stall', n: 0 },
      limits({ timeoutS: 20, stallTimeoutS: 15, signal: controller.signal }),
    );
    await sent;
    controller.abort(new Error('shutting down'));
    const { response, observation: o } = await reading;
    expect(response.ok).toBe(false);
    expect(response.error).toBe('CANCELLED');
    // Ended by our abort, not by the stall deadline or the 20 s timeout.
    expect(o.end).toBe('cancelled');

    // Already aborted: nothing is read.
    const pre = await readStream(
      dendrite,
      target,
      Tokens,
      { mode: 'normal', n: 2 },
      limits({ signal: AbortSignal.abort() }),
    );
    expect(pre.response.error).toBe('CANCELLED');
    expect(pre.observation.chunks).toEqual([]);
  });
});
