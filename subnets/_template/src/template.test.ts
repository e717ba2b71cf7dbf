import { createServer, type Server } from 'node:http';
import { loadConfig, seededRandom } from '@subnetkit/neuron';
import {
  computeBodyHash,
  EMPTY_BODY_HASH,
  encodeSynapseHeaders,
  requestValues,
} from '@subnetkit/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateConfigSchema } from './config.js';
import { HttpBackend, OfflineBackend } from './miner/backend.js';
import { backendFromConfig, createTemplateMiner } from './miner/miner.js';
import { Dummy } from './protocol.js';
import { createTemplateValidator, MAX_INPUT } from './validator/validator.js';

const config = (argv: string[]) => {
  const r = loadConfig(templateConfigSchema, { argv, env: {} });
  if (r.help) throw new Error('help');
  return r.config;
};

// The parts of the forward context the template miner reads.
const ctx = (signal = new AbortController().signal) =>
  ({ backend: new OfflineBackend(), signal }) as never;

describe('protocol', () => {
  it('is the Python template Dummy: required int input, optional int output, no hash fields', () => {
    expect(Dummy.name).toBe('Dummy');
    expect(Dummy.hashFields).toEqual([]);
    const values = requestValues(Dummy, { dummy_input: 21 });
    expect(values).toEqual({ dummy_output: null, dummy_input: 21 });
    // No required_hash_fields: the body hash is the SDK's constant (sha3 of "").
    expect(computeBodyHash(Dummy, values)).toBe(EMPTY_BODY_HASH);
    const headers = encodeSynapseHeaders(Dummy, values, { timeout: 12, bodyHash: EMPTY_BODY_HASH });
    expect(headers.bt_header_input_obj_dummy_input).toBe(Buffer.from('0').toString('base64'));
    expect(headers).not.toHaveProperty('bt_header_input_obj_dummy_output');
    expect(Dummy.input.safeParse({ dummy_input: 1.5 }).success).toBe(false);
    expect(Dummy.output.parse({ dummy_output: null })).toEqual({ dummy_output: null });
  });
});

describe('miner', () => {
  it('answers 2 · input offline', async () => {
    expect(
      await createTemplateMiner(new OfflineBackend()).forward({ dummy_input: 21 }, ctx()),
    ).toEqual({ dummy_output: 42 });
  });

  describe('HTTP backend', () => {
    let server: Server;
    let url: string;
    const seen: unknown[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => {
          body += d;
        });
        req.on('end', () => {
          const parsed = JSON.parse(body) as { dummy_input: number };
          seen.push(parsed);
          if (parsed.dummy_input === 500) {
            res.writeHead(500).end('boom');
          } else if (parsed.dummy_input === 7) {
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"dummy_output":"x"}');
          } else {
            res
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ dummy_output: parsed.dummy_input * 2 }));
          }
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}/answer`;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it('posts the input and returns the model answer; errors and bad replies throw', async () => {
      const backend = backendFromConfig(
        config(['--template.backend', 'http', '--template.backend_url', url]),
      );
      expect(backend).toBeInstanceOf(HttpBackend);
      const signal = new AbortController().signal;
      expect(await backend.answer(5, signal)).toBe(10);
      expect(seen.at(-1)).toEqual({ dummy_input: 5 });
      await expect(backend.answer(500, signal)).rejects.toThrow(/answered 500/);
      await expect(backend.answer(7, signal)).rejects.toThrow(/not \{"dummy_output": int\}/);
    });
  });

  it('config: --template.* flags are checked', () => {
    expect(config([]).template).toEqual({ backend: 'offline' });
    expect(() => config(['--template.backend', 'model'])).toThrow(/template\.backend/);
    expect(() => backendFromConfig(config(['--template.backend', 'http']))).toThrow(
      /--template.backend_url/,
    );
    expect(() => config(['--template.backend_url', 'not a url'])).toThrow(/template\.backend_url/);
  });
});

describe('validator', () => {
  const v = createTemplateValidator();
  const task = async (seedHex: string) =>
    v.createTask({ seed: seedHex } as never, 1, {
      random: seededRandom(seedHex),
      step: 0,
      hotkey: null,
      neuron: {} as never,
    });

  it('derives the task from the seed alone (rebuildable from the revealed seed)', async () => {
    const a = await task('11'.repeat(32));
    const b = await task('11'.repeat(32));
    const c = await task('22'.repeat(32));
    expect(a).toEqual(b);
    expect(a.input).not.toEqual(c.input);
    const x = (a.input as { dummy_input: number }).dummy_input;
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThan(MAX_INPUT);
    expect(a.private).toBe(2 * x);
  });

  it('checks answers exactly', async () => {
    const t = { input: { dummy_input: 4 }, private: 8 };
    const answer = (dummy_output: number | null) =>
      v.score(t, { ok: true, output: { dummy_output } } as never, {} as never);
    expect(await answer(8)).toMatchObject({ status: 'pass', score: 1, components: { exact: 1 } });
    expect(await answer(9)).toMatchObject({
      status: 'fail',
      score: 0,
      reasons: ['expected 8, got 9'],
    });
    expect(await answer(null)).toMatchObject({ status: 'fail', reasons: ['empty answer'] });
  });
});
