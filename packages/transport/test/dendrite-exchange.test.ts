// The dendrite's non-streaming exchange: how a call ends at each stage (before a connection,
// while waiting, inside a non-200 body), and a fan-out with many axons down.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Dendrite, type DendriteOptions } from '../src/index.js';
import { alice, bob, DummySynapse, newDendrite, sleep, startAxon } from './helpers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

function dendrite(options: Partial<DendriteOptions> = {}) {
  const d = newDendrite(options);
  cleanup.push(() => d.close());
  return d;
}

async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return (server.address() as AddressInfo).port;
}

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const at = (port: number) => ({ ip: '127.0.0.1', port, hotkey: bob.ss58Address });

describe('dendrite exchange', () => {
  it('ends a call still waiting for its connection at the call timeout', async () => {
    // A connector that never connects: only the call's own timer can end the call.
    const stuck = new Agent({ connect: () => {}, connectTimeout: 3_600_000 });
    cleanup.push(() => stuck.destroy());
    const d = new Dendrite(
      { keypair: alice },
      { logger: pino({ level: 'silent' }), dispatcher: stuck },
    );
    const r = await d.call(at(9), DummySynapse, { dummy_input: 1 }, { timeout: 0.2 });
    expect(r.error).toBe('TIMEOUT');
    expect(r.dendrite.status_code).toBe(408);
  });

  it("ends a waiting call on the caller's signal, as CANCELLED", async () => {
    let received = 0;
    const port = await rawServer(() => {
      received += 1; // never answers
    });
    const controller = new AbortController();
    const d = dendrite();
    const pending = d.call(
      at(port),
      DummySynapse,
      { dummy_input: 1 },
      {
        timeout: 30,
        signal: controller.signal,
      },
    );
    while (received === 0) await sleep(5);
    controller.abort(new Error('validator shutting down'));
    const r = await pending;
    expect(r.error).toBe('CANCELLED');
    expect(r.ok).toBe(false);
  });

  it("keeps an axon's non-200 status when its body is over maxResponseBytes", async () => {
    const port = await rawServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'x'.repeat(64 * 1024) }));
    });
    const d = dendrite({ maxResponseBytes: 1024 });
    const r = await d.call(at(port), DummySynapse, { dummy_input: 1 }, { timeout: 5 });
    expect(r.dendrite.status_code).toBe(503);
    expect(r.error).toBeUndefined();
  });

  it("keeps an axon's non-200 status when its body breaks off", async () => {
    const port = await rawServer((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"message":"slow');
      setTimeout(() => res.destroy(), 20);
    });
    const d = dendrite();
    const r = await d.call(at(port), DummySynapse, { dummy_input: 1 }, { timeout: 5 });
    expect(r.dendrite.status_code).toBe(429);
    expect(r.error).toBeUndefined();
  });

  it('reads a 200 of exactly maxResponseBytes and refuses one byte more', async () => {
    const reply = (size: number) => {
      const json = '{"dummy_output":7}';
      return json + ' '.repeat(size - json.length);
    };
    const exact = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply(4096));
    });
    const over = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply(4097));
    });
    const d = dendrite({ maxResponseBytes: 4096, verifyAxonSignature: false });
    const [a, b] = await d.query([at(exact), at(over)], DummySynapse, { dummy_input: 1 });
    expect(a!.ok).toBe(true);
    expect(a!.output).toEqual({ dummy_output: 7 });
    expect(b!.error).toBe('RESPONSE_TOO_LARGE');
  });

  it('returns every live answer of a fan-out where most axons are down, in order', async () => {
    const live = await Promise.all(
      Array.from({ length: 4 }, async (_, k) => {
        const { axon } = await startAxon(DummySynapse, {
          forward: (i) => ({ dummy_output: i.dummy_input + k }),
        });
        cleanup.push(() => axon.stop({ graceMs: 100 }));
        return axon.info();
      }),
    );
    const dead = await Promise.all(Array.from({ length: 12 }, deadPort));
    // Live axons at positions 0, 4, 8, 12; the rest refuse connections.
    const targets = dead.map(at);
    for (let k = 0; k < live.length; k++) targets.splice(k * 4, 0, live[k]!);
    const d = dendrite({ requireAxonSignature: true });
    const results = await d.query(targets, DummySynapse, { dummy_input: 10 }, { timeout: 5 });
    expect(results).toHaveLength(16);
    results.forEach((r, i) => {
      if (i % 4 === 0) {
        expect(r.ok).toBe(true);
        expect(r.output).toEqual({ dummy_output: 10 + i / 4 });
        expect(r.target.port).toBe(live[i / 4]!.port);
      } else {
        expect(r.error).toBe('CONNECTION_FAILED');
        expect(r.dendrite.status_code).toBe(503);
      }
    });
  });
});
