// OpenAIChatBackend through the miner's real forward, against a stub of an OpenAI-compatible
// chat-completions server on 127.0.0.1 that streams server-sent events like the real API:
// success (the request's fields, pieces, finish reason, usage, model), server errors, the
// deadline, the caller's cancellation, malformed and cut streams, oversized lines and streams,
// and the constructor's, the flags' and backendFromConfig's refusals.
import type { ServerResponse } from 'node:http';
import { loadConfig } from '@subnetkit/neuron';
import { type StubHandler, type StubServer, startStubServer } from '@subnetkit/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { textConfigSchema } from '../src/config.js';
import { TextSubnetError } from '../src/errors.js';
import type { TextBackend } from '../src/miner/backend.js';
import { backendFromConfig, createTextMiner } from '../src/miner/miner.js';
import {
  MAX_SSE_BYTES,
  MAX_SSE_LINE_BYTES,
  OpenAIChatBackend,
  type OpenAIChatBackendOptions,
} from '../src/miner/openai-backend.js';
import { TextGeneration, type TextGenerationInput } from '../src/protocol.js';
import { MAX_EVENT_BYTES, parseEvents } from '../src/stream/events.js';

let stub: StubServer;

beforeAll(async () => {
  stub = await startStubServer();
});
afterEach(() => stub.reset());
afterAll(() => stub.close());

const SEED = '0123456789abcdef'.repeat(4);

/** A task as a validator sends it (checked against the protocol's own input schema). */
function task(overrides: Partial<TextGenerationInput> = {}): TextGenerationInput {
  return TextGeneration.input.parse({
    messages: [
      { role: 'system', content: 'Continue the text.' },
      { role: 'user', content: 'the state of the union is' },
    ],
    model: 'subnetkit-kn4-0123456789abcdef',
    seed: SEED,
    temperature: 0.7,
    top_k: 40,
    top_p: 0.95,
    max_tokens: 48,
    logprobs: 5,
    ...overrides,
  });
}

/** The miner's real forward with `backend`, as the runtime would call it. */
function forward(
  backend: TextBackend,
  input: TextGenerationInput,
  signal: AbortSignal = new AbortController().signal,
): AsyncIterable<string> {
  const miner = createTextMiner(backend);
  const ctx = { backend, signal, timeout: 12 } as unknown as Parameters<typeof miner.forward>[1];
  return miner.forward(input, ctx) as AsyncIterable<string>;
}

/** Every line the miner streams (rejects when the stream fails). */
async function lines(
  stream: AsyncIterable<string>,
  onLine: (line: string, i: number) => void = () => {},
): Promise<string[]> {
  const out: string[] = [];
  for await (const line of stream) {
    onLine(line, out.length);
    out.push(line);
  }
  return out;
}

const backendOf = (options: Partial<OpenAIChatBackendOptions> = {}) =>
  new OpenAIChatBackend({
    url: stub.base,
    model: 'test-model',
    key: 'sk-test',
    timeoutS: 5,
    ...options,
  });

/** `promise`, or a rejection when it has not settled within `ms` (never a hung test). */
function within<T>(promise: Promise<T> | undefined, ms: number, what: string): Promise<T> {
  if (!promise) return Promise.reject(new Error(`${what}: nothing to wait for`));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function rejection(promise: Promise<unknown>): Promise<TextSubnetError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection, got an answer');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TextSubnetError);
  return error as TextSubnetError;
}

/** A streamed chunk as the OpenAI API writes it. */
function chunk(
  delta: Record<string, unknown>,
  finish: string | null = null,
  extra: Record<string, unknown> = {},
) {
  return {
    id: 'chatcmpl-stub',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'served-model-7b',
    system_fingerprint: 'fp_stub',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...extra,
  };
}

const event = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

function startSse(res: ServerResponse) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
}

/** A stub handler that streams `events` (raw SSE text) then ends. */
const streams =
  (...events: string[]): StubHandler =>
  (_req, _body, res) => {
    startSse(res);
    for (const e of events) res.write(e);
    res.end();
  };

const PIECES = ['The', ' union', ' is', ' strong', '.'];

/** The stub's usual answer: a role chunk, five content chunks, a finish chunk, usage, [DONE]. */
const honestStream = (finish = 'length') =>
  streams(
    event(chunk({ role: 'assistant', content: '' })),
    ...PIECES.map((p) =>
      event({
        ...chunk({ content: p }),
        choices: [
          {
            index: 0,
            delta: { content: p },
            logprobs: { content: [{ token: p, logprob: -0.5, bytes: [], top_logprobs: [] }] },
            finish_reason: null,
          },
        ],
      }),
    ),
    event(chunk({}, finish)),
    event({
      ...chunk({}),
      choices: [],
      usage: { prompt_tokens: 17, completion_tokens: 5, total_tokens: 22 },
    }),
    'data: [DONE]\n\n',
  );

describe('OpenAIChatBackend, success', () => {
  it('posts the task to /v1/chat/completions and streams its pieces, finish reason, usage and model', async () => {
    const input = task();
    stub.handler = honestStream('length');
    const out = await lines(forward(backendOf(), input));

    expect(stub.seen).toHaveLength(1);
    const [req] = stub.seen;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe('Bearer sk-test');
    expect(req?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(req?.body.toString('utf8') ?? '')).toEqual({
      model: 'test-model',
      messages: input.messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.7,
      top_p: 0.95,
      max_tokens: 48,
      seed: 0x0123456789ab,
      logprobs: true,
      top_logprobs: 5,
      top_k: 40,
    });

    // Every line the miner sent is an event; together they are one valid stream.
    expect(out.every((l) => l.endsWith('\n'))).toBe(true);
    const parsed = parseEvents(out.join(''));
    if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.reason}`);
    expect(parsed.pieces.map((p) => p.text).join('')).toBe(PIECES.join(''));
    // Text only: the server's tokens are not the reference model's.
    expect(parsed.pieces).toEqual(PIECES.map((text) => ({ text })));
    expect(parsed.done).toEqual({
      done: true,
      finish_reason: 'length',
      usage: { prompt_tokens: 17, completion_tokens: 5 },
      model: 'served-model-7b',
    });
    await within(stub.closed[0], 1000, 'the stub connection closing');
  });

  it("sends the task's model, no key, no top_k and no top_logprobs when none apply; keeps a base path", async () => {
    const input = task({ top_k: 0, logprobs: 0, temperature: 0, top_p: 1 });
    const long = `${'x'.repeat(5000)}\u{1F600}${'"'.repeat(5000)}`;
    const plain = (delta: Record<string, unknown>, finish: string | null = null) => ({
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    // CRLF line ends, a keep-alive comment, an event: field and a two-line event: all SSE.
    stub.handler = streams(
      ': keep-alive\r\n\r\n',
      `event: message\r\ndata: ${JSON.stringify(plain({ content: 'Hello' }))}\r\n\r\n`,
      `data: {"choices": [{"index": 0,\ndata: "delta": {"content": ", world"}}]}\n\n`,
      event(plain({ content: long })),
      event(plain({}, 'content_filter')),
      'data: [DONE]\n\n',
    );
    const backend = new OpenAIChatBackend({ url: `${stub.base}/api/`, timeoutS: 5 });
    const out = await lines(forward(backend, input));

    expect(stub.seen[0]?.url).toBe('/api/v1/chat/completions');
    expect(stub.seen[0]?.headers.authorization).toBeUndefined();
    const body = JSON.parse(stub.seen[0]?.body.toString('utf8') ?? '');
    expect(body).toMatchObject({
      model: input.model,
      logprobs: false,
      temperature: 0,
      top_p: 1,
      seed: 0x0123456789ab,
    });
    expect(body).not.toHaveProperty('top_k');
    expect(body).not.toHaveProperty('top_logprobs');

    const parsed = parseEvents(out.join(''));
    if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.reason}`);
    expect(parsed.pieces.map((p) => p.text).join('')).toBe(`Hello, world${long}`);
    // The long delta is split so that every line stays a valid event.
    expect(parsed.pieces.length).toBeGreaterThan(3);
    for (const line of out) expect(Buffer.byteLength(line)).toBeLessThan(MAX_EVENT_BYTES);
    expect(parsed.done).toEqual({
      done: true,
      // content_filter and the like: the answer ended, not at max_tokens.
      finish_reason: 'stop',
      // No usage chunk: 0s (the validator recounts), and the model asked for (none reported).
      usage: { prompt_tokens: 0, completion_tokens: 0 },
      model: input.model,
    });
  });

  it('a consumer that stops early closes the connection', async () => {
    stub.handler = (_req, _body, res) => {
      startSse(res);
      res.write(event(chunk({ content: 'first' })));
      // ... and nothing more: the miner's consumer is gone.
    };
    for await (const line of forward(backendOf(), task())) {
      expect(JSON.parse(line)).toEqual({ text: 'first' });
      break;
    }
    await within(stub.closed[0], 1000, 'the stub connection closing');
  });
});

describe('OpenAIChatBackend, failures', () => {
  it('a 500 with an OpenAI error body is BACKEND_FAILED with the status and the message', async () => {
    stub.handler = (_req, _body, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'model overloaded', type: 'server_error' } }));
    };
    const error = await rejection(lines(forward(backendOf(), task())));
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toContain(
      `${stub.base}/v1/chat/completions answered 500: model overloaded`,
    );
  });

  it("a 400 with vLLM's error body, and a 401 in plain text, say so", async () => {
    stub.handler = (_req, _body, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'error',
          message: 'The model `test-model` does not exist.',
          type: 'NotFoundError',
          code: 404,
        }),
      );
    };
    const vllm = await rejection(lines(forward(backendOf(), task())));
    expect(vllm.code).toBe('BACKEND_FAILED');
    expect(vllm.message).toMatch(/answered 400: The model `test-model` does not exist\.$/);

    stub.handler = (_req, _body, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('invalid api key\n');
    };
    const plain = await rejection(lines(forward(backendOf(), task())));
    expect(plain.code).toBe('BACKEND_FAILED');
    expect(plain.message).toMatch(/answered 401: invalid api key$/);
  });

  it('a server that never answers is BACKEND_FAILED naming the timeout, and its connection is closed', async () => {
    stub.handler = () => {
      // never answers
    };
    const error = await rejection(lines(forward(backendOf({ timeoutS: 0.3 }), task())));
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toContain('no complete answer after 0.3 s (--text.backend_timeout)');
    expect(stub.seen).toHaveLength(1);
    await within(stub.closed[0], 1000, 'the stub connection closing');
  });

  it('a stream that stalls after its first piece is BACKEND_FAILED naming the timeout', async () => {
    stub.handler = (_req, _body, res) => {
      startSse(res);
      res.write(event(chunk({ content: 'Once' })));
    };
    const got: string[] = [];
    const error = await rejection(
      lines(forward(backendOf({ timeoutS: 0.3 }), task()), (l) => got.push(l)),
    );
    expect(got).toEqual(['{"text":"Once"}\n']);
    expect(error.message).toContain('no complete answer after 0.3 s');
    await within(stub.closed[0], 1000, 'the stub connection closing');
  });

  // Decision: the caller aborting ends the stream with BACKEND_FAILED "cancelled", never a
  // clean end, so that an answer cut short can never pass for a complete one.
  it('the caller aborting mid-stream is BACKEND_FAILED "cancelled", promptly, and closes the connection', async () => {
    const controller = new AbortController();
    stub.handler = (_req, _body, res) => {
      startSse(res);
      res.write(event(chunk({ content: 'Once' })));
      res.write(event(chunk({ content: ' upon' })));
      // ... then stalls (the deadline, 30 s, is not what ends this test).
    };
    const error = await rejection(
      lines(forward(backendOf({ timeoutS: 30 }), task(), controller.signal), (_l, i) => {
        if (i === 0) controller.abort(new Error('validator deadline'));
      }),
    );
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toContain('cancelled');
    expect(error.message).not.toContain('no complete answer');
    await within(stub.closed[0], 1000, 'the stub connection closing');
  });

  it('a server that is not there is BACKEND_FAILED naming the refused connection', async () => {
    const gone = await startStubServer();
    const url = gone.base;
    await gone.close();
    const error = await rejection(lines(forward(backendOf({ url }), task())));
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toContain(
      `text backend ${url}/v1/chat/completions: the request failed (`,
    );
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('an already aborted caller sends no request', async () => {
    const controller = new AbortController();
    controller.abort();
    stub.handler = honestStream();
    const error = await rejection(lines(forward(backendOf(), task(), controller.signal)));
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toContain('cancelled');
    expect(stub.seen).toHaveLength(0);
  });

  describe('malformed streams', () => {
    const content = event(chunk({ content: 'Hi' }));
    const cases: [string, StubHandler, string][] = [
      [
        'a data line that is not JSON',
        streams(content, 'data: {"choices": [oops\n\n', 'data: [DONE]\n\n'),
        `an event's data is not JSON: "{\\"choices\\": [oops"`,
      ],
      [
        'JSON without choices',
        streams(
          content,
          event({ id: 'x', object: 'chat.completion.chunk', model: 'm' }),
          'data: [DONE]\n\n',
        ),
        'an event is not a chat completion chunk (choices:',
      ],
      [
        'a stream cut before [DONE]',
        streams(content, event(chunk({}, 'stop'))),
        'the event stream ended before data: [DONE]',
      ],
      [
        'a stream cut before any finish_reason',
        streams(content),
        'the event stream ended before data: [DONE] (and without a finish_reason)',
      ],
      [
        '[DONE] without a finish_reason',
        streams(content, 'data: [DONE]\n\n'),
        'the event stream ended without a finish_reason',
      ],
      [
        'an error event mid-stream',
        streams(content, event({ error: { message: 'CUDA out of memory', code: 500 } })),
        'the server failed mid-stream: CUDA out of memory',
      ],
      [
        'a 200 with a JSON body (stream: true ignored)',
        (_req, _body, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'streaming is not supported' }));
        },
        'answered JSON, not an event stream: streaming is not supported',
      ],
      [
        'a connection reset mid-stream',
        (_req, _body, res) => {
          startSse(res);
          res.write(content, () => res.destroy());
        },
        'the connection broke mid-stream (',
      ],
    ];
    for (const [name, reply, message] of cases) {
      it(`${name} → BACKEND_FAILED naming it`, async () => {
        stub.handler = reply;
        const error = await rejection(lines(forward(backendOf(), task())));
        expect(error.code).toBe('BACKEND_FAILED');
        expect(error.message).toContain(message);
        expect(error.message).toContain(`${stub.base}/v1/chat/completions`);
      });
    }
  });

  describe('oversized streams', () => {
    it('a line longer than MAX_SSE_LINE_BYTES is refused without waiting for its end', async () => {
      stub.handler = (_req, _body, res) => {
        startSse(res);
        res.write(`data: {"choices":[{"delta":{"content":"${'x'.repeat(MAX_SSE_LINE_BYTES)}`);
        // ... and never the rest.
      };
      const error = await rejection(lines(forward(backendOf({ timeoutS: 30 }), task())));
      expect(error.code).toBe('BACKEND_FAILED');
      expect(error.message).toContain(
        `an event stream line is longer than the ${MAX_SSE_LINE_BYTES} bytes allowed`,
      );
      await within(stub.closed[0], 1000, 'the stub connection closing');
    });

    it('a stream longer than MAX_SSE_BYTES is refused', async () => {
      const one = event(chunk({ content: 'y'.repeat(4000) }));
      stub.handler = (_req, _body, res) => {
        startSse(res);
        let sent = 0;
        const more = () => {
          while (sent < MAX_SSE_BYTES + 64 * 1024 && !res.destroyed) {
            sent += one.length;
            if (!res.write(one)) {
              res.once('drain', more);
              return;
            }
          }
          if (!res.destroyed) res.end('data: [DONE]\n\n');
        };
        more();
      };
      const error = await rejection(lines(forward(backendOf({ timeoutS: 30 }), task())));
      expect(error.code).toBe('BACKEND_FAILED');
      expect(error.message).toContain(
        `the event stream is longer than the ${MAX_SSE_BYTES} bytes allowed`,
      );
    });
  });
});

describe('OpenAIChatBackend refusals', () => {
  const refused = (options: Partial<OpenAIChatBackendOptions>, field: string, message: RegExp) => {
    let error: unknown;
    try {
      new OpenAIChatBackend({ url: 'http://127.0.0.1:1', timeoutS: 5, ...options });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TextSubnetError);
    expect((error as TextSubnetError).code).toBe('INVALID_ARGUMENT');
    expect((error as TextSubnetError).field).toBe(field);
    expect((error as TextSubnetError).message).toMatch(message);
  };

  it('refuses a URL that is not http(s), or not a URL', () => {
    refused({ url: 'ftp://127.0.0.1/v1' }, 'text.backend_url', /must be http\(s\), got ftp:/);
    refused({ url: 'not a url' }, 'text.backend_url', /text\.backend_url: not a URL/);
  });

  it('refuses a timeout that is not > 0, and an empty model', () => {
    for (const timeoutS of [0, -1, Number.NaN]) {
      refused({ timeoutS }, 'text.backend_timeout', /text\.backend_timeout: must be > 0/);
    }
    refused({ model: '' }, 'text.backend_model', /must not be empty/);
  });
});

describe('backendFromConfig and the flags', () => {
  const config = (argv: string[], env: Record<string, string> = {}) => {
    const result = loadConfig(textConfigSchema, { argv, env });
    if (result.help) throw new Error('unexpected --help');
    return result.config;
  };

  it('--text.backend openai without a URL is INVALID_ARGUMENT naming text.backend_url', () => {
    let error: unknown;
    try {
      backendFromConfig(config(['--text.backend', 'openai']));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TextSubnetError);
    expect((error as TextSubnetError).code).toBe('INVALID_ARGUMENT');
    expect((error as TextSubnetError).field).toBe('text.backend_url');
    expect((error as TextSubnetError).message).toContain('--text.backend_url');
  });

  it('refuses an unknown backend, a bad URL and a bad timeout at the flags', () => {
    expect(() => config(['--text.backend', 'vllm'])).toThrow(/text\.backend/);
    expect(() => config(['--text.backend', 'openai', '--text.backend_url', 'not a url'])).toThrow(
      /text\.backend_url/,
    );
    expect(() => config(['--text.backend_timeout', '0'])).toThrow(/text\.backend_timeout/);
    expect(config([]).text.backendTimeout).toBe(60);
  });

  it('builds the openai backend wired to the flags, the key from OPENAI_API_KEY too', async () => {
    const backend = backendFromConfig(
      config(
        [
          '--text.backend',
          'openai',
          '--text.backend_url',
          stub.base,
          '--text.backend_model',
          'llama-3-8b',
          '--text.backend_timeout',
          '7',
        ],
        { OPENAI_API_KEY: 'sk-env' },
      ),
    );
    expect(backend).toBeInstanceOf(OpenAIChatBackend);
    expect(backend.name).toBe('openai');
    stub.handler = honestStream('stop');
    const out = await lines(forward(backend, task()));
    expect(stub.seen[0]?.headers.authorization).toBe('Bearer sk-env');
    expect(JSON.parse(stub.seen[0]?.body.toString('utf8') ?? '')).toMatchObject({
      model: 'llama-3-8b',
    });
    const parsed = parseEvents(out.join(''));
    expect(parsed.ok && parsed.done.finish_reason).toBe('stop');

    const flagged = backendFromConfig(
      config(
        [
          '--text.backend',
          'openai',
          '--text.backend_url',
          stub.base,
          '--text.backend_key',
          'sk-flag',
        ],
        {
          OPENAI_API_KEY: 'sk-env',
        },
      ),
    );
    stub.handler = honestStream();
    await lines(forward(flagged, task()));
    expect(stub.seen[1]?.headers.authorization).toBe('Bearer sk-flag');
  });
});
