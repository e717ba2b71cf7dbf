// Bounded fuzzing: random bytes, headers and JSON shapes. The axon must never crash and must
// always answer with a 4xx; afterwards it still serves a valid request.
import { connect } from 'node:net';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Axon } from '../src/index.js';
import { alice, bob, craft, DummySynapse, post, startAxon } from './helpers.js';

let axon: Axon;
let url: string;
let port: number;

beforeAll(async () => {
  const started = await startAxon(
    DummySynapse,
    { forward: (i) => ({ dummy_output: i.dummy_input }) },
    { headersTimeoutMs: 500, requestTimeoutMs: 800, maxBodyBytes: 16 * 1024, rateLimit: false },
  );
  axon = started.axon;
  url = started.url;
  port = axon.port;
});
afterAll(() => axon.stop({ graceMs: 100 }));

/** Writes raw bytes on a fresh connection; resolves with whatever comes back before close. */
function rawExchange(bytes: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 3_000);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d) => {
      data += d.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

const FUZZ_HEADERS = [
  'name',
  'timeout',
  'computed_body_hash',
  'bt_header_dendrite_hotkey',
  'bt_header_dendrite_nonce',
  'bt_header_dendrite_uuid',
  'bt_header_dendrite_signature',
  'bt_header_dendrite_version',
  'bt_header_axon_hotkey',
  'bt_header_input_obj_dummy_input',
  'content-type',
];

const headerValue = fc.oneof(
  fc.string({
    unit: fc.constantFrom(...' !#0123456789:;<=>?@ABCDEFxyz_-.'.split('')),
    maxLength: 80,
  }),
  fc.constantFrom(
    alice.ss58Address,
    bob.ss58Address,
    `0x${'ab'.repeat(64)}`,
    '12.0',
    '-1',
    '99999999999999999999999',
    'nan',
    'inf',
    '',
  ),
  fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String),
);

describe('fuzz', () => {
  it('raw random bytes: always a 4xx, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 300 }),
          fc
            .string({ maxLength: 200 })
            .map((s) => new TextEncoder().encode(`POST /Dummy HTTP/1.1\r\n${s}\r\n\r\n`)),
        ),
        async (bytes) => {
          const withEnd = new Uint8Array([...bytes, 13, 10, 13, 10]);
          const reply = await rawExchange(withEnd);
          expect(reply).toMatch(/^HTTP\/1\.1 4\d\d /);
        },
      ),
      { numRuns: 40, seed: 1 },
    );
  });

  it('random methods, paths, headers and bodies: always a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.oneof(
          fc.constantFrom('/Dummy', '/Synapse', '/', '/Dummy/', '/dummy', '/Dummy?x=1'),
          fc.webPath(),
        ),
        fc.dictionary(fc.constantFrom(...FUZZ_HEADERS), headerValue, { maxKeys: 8 }),
        fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 300 }), fc.constant('')),
        async (method, path, headers, body) => {
          let status: number;
          try {
            const res = await request(`${url}${path.startsWith('/') ? path : `/${path}`}`, {
              method: method as 'POST',
              headers,
              body: method === 'GET' ? undefined : body,
            });
            await res.body.dump();
            status = res.statusCode;
          } catch (err) {
            // The client refused to build the request (e.g. invalid header value): nothing sent.
            if ((err as { code?: string }).code === 'UND_ERR_INVALID_ARG') return;
            throw err;
          }
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
        },
      ),
      { numRuns: 150, seed: 2 },
    );
  });

  it('correctly signed headers with random JSON bodies: always a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json({ maxDepth: 3 }),
          fc
            .dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
            .map((d) => JSON.stringify(d)),
          fc
            .jsonValue({ maxDepth: 2 })
            .filter((v) => !Number.isSafeInteger(v))
            .map((v) => JSON.stringify({ dummy_input: v })),
        ),
        async (body) => {
          const signed = craft(DummySynapse, { dummy_input: 1 });
          const res = await post(url, '/Dummy', signed.headers, body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150, seed: 3 },
    );
  });

  it('still serves valid requests afterwards', async () => {
    const ok = craft(DummySynapse, { dummy_input: 3 });
    const res = await post(url, '/Dummy', ok.headers, ok.body);
    expect(res.status).toBe(200);
    expect(res.json.dummy_output).toBe(3);
  });
});
