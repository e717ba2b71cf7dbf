// HttpImageBackend through the miner's real forward, against a stub of the OpenAI images API
// (and of a raw prompt → image service) on 127.0.0.1: success with resizing, data[0].url,
// server errors, the deadline, the caller's cancellation, malformed and oversized replies,
// and the constructor's and backendFromConfig's refusals.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { loadConfig } from '@subnetkit/neuron';
import { type StubHandler, type StubServer, startStubServer } from '@subnetkit/test-utils';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imageConfigSchema } from '../src/config.js';
import { ImageSubnetError } from '../src/errors.js';
import { solidImage } from '../src/fixtures.test-util.js';
import type { ImageBackend } from '../src/miner/backend.js';
import { type HttpBackendOptions, HttpImageBackend } from '../src/miner/http-backend.js';
import { backendFromConfig, createImageMiner } from '../src/miner/miner.js';
import { MAX_IMAGE_BYTES } from '../src/protocol.js';
import { imageTask } from '../src/validator/task.js';

let stub: StubServer;

beforeAll(async () => {
  stub = await startStubServer();
});
afterEach(() => stub.reset());
afterAll(() => stub.close());

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

/** A realistic task, as a validator would send it. */
function task(seedHex = randomBytes(32).toString('hex')) {
  return imageTask({ seed: seedHex }).input;
}

/** The miner's real forward with `backend`, as the runtime would call it. */
async function forward(
  backend: ImageBackend,
  input: ReturnType<typeof task>,
  signal: AbortSignal = new AbortController().signal,
) {
  const miner = createImageMiner(backend);
  const ctx = { backend, signal } as unknown as Parameters<typeof miner.forward>[1];
  return miner.forward(input as Parameters<typeof miner.forward>[0], ctx);
}

const openai = (options: Partial<HttpBackendOptions> = {}) =>
  new HttpImageBackend({
    url: stub.base,
    api: 'openai',
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

async function rejection(promise: Promise<unknown>): Promise<ImageSubnetError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection, got an answer');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageSubnetError);
  return error as ImageSubnetError;
}

async function sizeOf(b64: string | null) {
  expect(b64).toBeTypeOf('string');
  const meta = await sharp(Buffer.from(b64 as string, 'base64')).metadata();
  return { width: meta.width, height: meta.height, format: meta.format };
}

let square: Buffer;
beforeAll(async () => {
  square = Buffer.from(await solidImage(1024, 1024, [200, 30, 30]));
});

describe('HttpImageBackend, openai API', () => {
  it('posts the task to /v1/images/generations and answers at exactly the asked size', async () => {
    const input = task();
    stub.handler = (_req, _body, res) =>
      json(res, 200, { created: 1_700_000_000, data: [{ b64_json: square.toString('base64') }] });
    const out = await forward(openai(), input);

    expect(stub.seen).toHaveLength(1);
    const [req] = stub.seen;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/v1/images/generations');
    expect(req?.headers.authorization).toBe('Bearer sk-test');
    expect(req?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(req?.body.toString('utf8') ?? '')).toEqual({
      model: 'test-model',
      prompt: input.prompt,
      n: 1,
      size: `${input.spec.width}x${input.spec.height}`,
      response_format: 'b64_json',
    });
    expect(await sizeOf(out.image_b64)).toEqual({
      width: input.spec.width,
      height: input.spec.height,
      format: 'png',
    });
    // The colour survives the resize (it is the backend's image, not something made up).
    const { data } = await sharp(Buffer.from(out.image_b64 ?? '', 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([200, 30, 30]);
  });

  it('keeps a base path and sends no model or key when none is configured', async () => {
    const input = task();
    const exact = Buffer.from(await solidImage(input.spec.width, input.spec.height, [0, 0, 255]));
    stub.handler = (_req, _body, res) =>
      json(res, 200, { data: [{ b64_json: exact.toString('base64') }] });
    const backend = new HttpImageBackend({ url: `${stub.base}/api/`, api: 'openai', timeoutS: 5 });
    const out = await forward(backend, input);
    expect(stub.seen[0]?.url).toBe('/api/v1/images/generations');
    expect(stub.seen[0]?.headers.authorization).toBeUndefined();
    expect(JSON.parse(stub.seen[0]?.body.toString('utf8') ?? '')).not.toHaveProperty('model');
    // Already the right size: the bytes are passed through untouched.
    expect(out.image_b64).toBe(exact.toString('base64'));
  });

  it('fetches data[0].url (without the key) when the reply has no b64_json', async () => {
    const input = task();
    stub.handler = (req, _body, res) => {
      if (req.url === '/v1/images/generations') {
        json(res, 200, { created: 1, data: [{ url: `${stub.base}/files/img-1.png` }] });
      } else if (req.url === '/files/img-1.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': square.length });
        res.end(square);
      } else {
        json(res, 404, { error: { message: 'no such route' } });
      }
    };
    const out = await forward(openai(), input);
    expect(stub.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /v1/images/generations',
      'GET /files/img-1.png',
    ]);
    expect(stub.seen[1]?.headers.authorization).toBeUndefined();
    expect(await sizeOf(out.image_b64)).toMatchObject({
      width: input.spec.width,
      height: input.spec.height,
    });
  });

  it('a failing data[0].url fetch is BACKEND_FAILED with its status', async () => {
    stub.handler = (req, _body, res) => {
      if (req.url === '/v1/images/generations')
        json(res, 200, { data: [{ url: `${stub.base}/gone` }] });
      else json(res, 404, { error: { message: 'expired' } });
    };
    const error = await rejection(forward(openai(), task()));
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toContain('data[0].url answered 404');
  });

  it('a failing data[0].url fetch gives up its body at once', async () => {
    stub.handler = (req, _body, res) => {
      if (req.url === '/v1/images/generations') {
        json(res, 200, { data: [{ url: `${stub.base}/slow-404` }] });
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain', 'content-length': 1000 });
      res.write('not found, and the rest of this body never comes');
    };
    const error = await rejection(forward(openai({ timeoutS: 10 }), task()));
    expect(error.message).toContain('data[0].url answered 404');
    await within(stub.closed[1], 1000, 'the image connection closing');
  });

  it('a 500 with an OpenAI error body is BACKEND_FAILED with the status and the message', async () => {
    stub.handler = (_req, _body, res) =>
      json(res, 500, { error: { message: 'model overloaded', type: 'server_error' } });
    const error = await rejection(forward(openai(), task()));
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toContain('500');
    expect(error.message).toContain('model overloaded');
    expect(error.message).toContain(stub.base);
  });

  it('a 401 with a plain-text body says so', async () => {
    stub.handler = (_req, _body, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('invalid api key\n');
    };
    const error = await rejection(forward(openai(), task()));
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toMatch(/answered 401: invalid api key$/);
  });

  it('a backend that never answers is BACKEND_FAILED after timeoutS, and its connection is closed', async () => {
    stub.handler = () => {
      // never answers
    };
    // The deadline, not the test's own timeout, ends the call (no timing asserted beyond that).
    const error = await rejection(forward(openai({ timeoutS: 0.3 }), task()));
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toContain('no image after 0.3 s');
    expect(error.message).toContain('--image.backend_timeout');
    expect(stub.seen).toHaveLength(1);
    // The client gave up the request: the stub sees its connection close.
    await within(stub.closed[0], 1000, 'the stub connection closing');
  });

  it('the caller aborting mid-request is BACKEND_FAILED "cancelled"', async () => {
    const controller = new AbortController();
    stub.handler = () => controller.abort(new Error('validator deadline'));
    const error = await rejection(forward(openai(), task(), controller.signal));
    expect(error.code).toBe('BACKEND_FAILED');
    expect(error.message).toContain('cancelled');
    expect(error.message).not.toContain('no image after');
    await within(stub.closed[0], 1000, 'the stub connection closing');
  });

  describe('malformed replies', () => {
    const cases: [string, StubHandler, string][] = [
      [
        'not JSON',
        (_req, _body, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('<html>Bad gateway</html>');
        },
        'reply is not JSON',
      ],
      [
        'JSON without data',
        (_req, _body, res) => json(res, 200, { created: 1 }),
        'reply has no data[0].b64_json or data[0].url',
      ],
      [
        'an empty data list',
        (_req, _body, res) => json(res, 200, { created: 1, data: [] }),
        'reply has no data[0].b64_json or data[0].url',
      ],
      [
        'data[0] with neither field',
        (_req, _body, res) => json(res, 200, { data: [{ revised_prompt: 'x' }] }),
        'reply has no data[0].b64_json or data[0].url',
      ],
      [
        'b64_json that is not base64',
        (_req, _body, res) => json(res, 200, { data: [{ b64_json: 'this is not base64!' }] }),
        'b64_json is not base64',
      ],
      [
        'bytes that are not an image',
        (_req, _body, res) =>
          json(res, 200, {
            data: [{ b64_json: Buffer.from('GIF89a? no, plain text').toString('base64') }],
          }),
        'not an image sharp can read',
      ],
      [
        'a data[0].url that is not http(s)',
        (_req, _body, res) => json(res, 200, { data: [{ url: 'file:///etc/passwd' }] }),
        'data[0].url must be http(s), got file:',
      ],
    ];
    for (const [name, reply, message] of cases) {
      it(`${name} → BACKEND_FAILED naming it`, async () => {
        stub.handler = reply;
        const error = await rejection(forward(openai(), task()));
        expect(error.code).toBe('BACKEND_FAILED');
        expect(error.message).toContain(message);
      });
    }
  });

  describe('oversized replies', () => {
    it('a declared content-length above the cap is refused before the body is read', async () => {
      const cap = Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 64 * 1024;
      const declared = cap + 1;
      stub.handler = (_req, _body, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': declared });
        res.write('{"data":[{"b64_json":"');
        // ... and never the rest.
      };
      const error = await rejection(forward(openai({ timeoutS: 10 }), task()));
      expect(error.code).toBe('BACKEND_FAILED');
      expect(error.message).toContain(`${declared} bytes, more than the ${cap} allowed`);
      // The unread body is given up at once, not left holding the connection until the
      // deadline (10 s here).
      await within(stub.closed[0], 1000, 'the stub connection closing');
    });

    it('b64_json decoding to more than MAX_IMAGE_BYTES is refused', async () => {
      const b64 = Buffer.alloc(MAX_IMAGE_BYTES + 3).toString('base64');
      stub.handler = (_req, _body, res) => json(res, 200, { data: [{ b64_json: b64 }] });
      const error = await rejection(forward(openai(), task()));
      expect(error.code).toBe('BACKEND_FAILED');
      expect(error.message).toContain(
        `${MAX_IMAGE_BYTES + 3} bytes, more than the ${MAX_IMAGE_BYTES} allowed`,
      );
    });

    it('a data[0].url streaming more than MAX_IMAGE_BYTES (no content-length) is refused', async () => {
      stub.handler = (req, _body, res) => {
        if (req.url === '/v1/images/generations') {
          json(res, 200, { data: [{ url: `${stub.base}/huge.png` }] });
          return;
        }
        res.writeHead(200, { 'content-type': 'image/png' }); // chunked
        const block = Buffer.alloc(1024 * 1024);
        let sent = 0;
        const more = () => {
          while (sent < MAX_IMAGE_BYTES + 2 * block.length) {
            sent += block.length;
            if (!res.write(block)) {
              res.once('drain', more);
              return;
            }
          }
          res.end();
        };
        more();
      };
      const error = await rejection(forward(openai(), task()));
      expect(error.code).toBe('BACKEND_FAILED');
      expect(error.message).toContain('(data[0].url)');
      expect(error.message).toContain(`more than the ${MAX_IMAGE_BYTES} bytes allowed`);
    });
  });
});

describe('HttpImageBackend, raw API', () => {
  it('posts {prompt, width, height, seed} to the URL and answers the bytes back', async () => {
    const input = task();
    const exact = Buffer.from(
      await solidImage(input.spec.width, input.spec.height, [10, 200, 10], 'jpeg'),
    );
    stub.handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(exact);
    };
    const backend = new HttpImageBackend({
      url: `${stub.base}/generate`,
      api: 'raw',
      key: 'raw-key',
      timeoutS: 5,
    });
    const out = await forward(backend, input);
    expect(stub.seen).toHaveLength(1);
    expect(stub.seen[0]?.method).toBe('POST');
    expect(stub.seen[0]?.url).toBe('/generate');
    expect(stub.seen[0]?.headers.authorization).toBe('Bearer raw-key');
    expect(JSON.parse(stub.seen[0]?.body.toString('utf8') ?? '')).toEqual({
      prompt: input.prompt,
      width: input.spec.width,
      height: input.spec.height,
      seed: input.render_seed,
    });
    expect(out.image_b64).toBe(exact.toString('base64'));
  });

  it('resizes a raw reply of another size', async () => {
    const input = task();
    stub.handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(square);
    };
    const backend = new HttpImageBackend({ url: `${stub.base}/generate`, api: 'raw', timeoutS: 5 });
    const out = await forward(backend, input);
    expect(await sizeOf(out.image_b64)).toEqual({
      width: input.spec.width,
      height: input.spec.height,
      format: 'png',
    });
  });

  it('a raw reply above MAX_IMAGE_BYTES is refused, declared or streamed', async () => {
    const backend = new HttpImageBackend({ url: `${stub.base}/generate`, api: 'raw', timeoutS: 5 });
    stub.handler = (_req, _body, res) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': MAX_IMAGE_BYTES + 1,
      });
      res.end(Buffer.alloc(MAX_IMAGE_BYTES + 1));
    };
    const declared = await rejection(forward(backend, task()));
    expect(declared.code).toBe('BACKEND_FAILED');
    expect(declared.message).toContain(
      `${MAX_IMAGE_BYTES + 1} bytes, more than the ${MAX_IMAGE_BYTES} allowed`,
    );
    // write() before end() without a content-length: chunked, only the count tells.
    stub.handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(MAX_IMAGE_BYTES / 2));
      res.write(Buffer.alloc(MAX_IMAGE_BYTES / 2));
      res.end(Buffer.alloc(1024));
    };
    const streamed = await rejection(forward(backend, task()));
    expect(streamed.code).toBe('BACKEND_FAILED');
    expect(streamed.message).toContain(`more than the ${MAX_IMAGE_BYTES} bytes allowed`);
    expect(streamed.message).not.toContain(`${MAX_IMAGE_BYTES + 1024} bytes`);
  });
});

describe('HttpImageBackend refusals', () => {
  const refused = (options: Partial<HttpBackendOptions>, field: string, message: RegExp) => {
    let error: unknown;
    try {
      new HttpImageBackend({ url: 'http://127.0.0.1:1', api: 'openai', timeoutS: 5, ...options });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImageSubnetError);
    expect((error as ImageSubnetError).code).toBe('INVALID_ARGUMENT');
    expect((error as ImageSubnetError).field).toBe(field);
    expect((error as ImageSubnetError).message).toMatch(message);
  };

  it('refuses a URL that is not http(s), or not a URL', () => {
    refused({ url: 'ftp://127.0.0.1/images' }, 'image.backend_url', /must be http\(s\), got ftp:/);
    refused({ url: 'file:///tmp/x' }, 'image.backend_url', /must be http\(s\), got file:/);
    refused({ url: 'not a url' }, 'image.backend_url', /image\.backend_url: not a URL/);
  });

  it('refuses a timeout that is not > 0', () => {
    for (const timeoutS of [0, -1, Number.NaN]) {
      refused({ timeoutS }, 'image.backend_timeout', /image\.backend_timeout: must be > 0/);
    }
  });

  it('accepts http and https', () => {
    expect(
      new HttpImageBackend({ url: 'https://api.example.invalid', api: 'openai', timeoutS: 1 }).name,
    ).toBe('http');
  });
});

describe('backendFromConfig', () => {
  const config = (argv: string[]) => {
    const result = loadConfig(imageConfigSchema, { argv, env: {} });
    if (result.help) throw new Error('unexpected --help');
    return result.config;
  };

  it('--image.backend http without a URL is INVALID_ARGUMENT naming image.backend_url', () => {
    let error: unknown;
    try {
      backendFromConfig(config(['--image.backend', 'http']));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImageSubnetError);
    expect((error as ImageSubnetError).code).toBe('INVALID_ARGUMENT');
    expect((error as ImageSubnetError).field).toBe('image.backend_url');
    expect((error as ImageSubnetError).message).toContain('--image.backend_url');
  });

  it('builds the configured backends, the HTTP one wired to the flags', async () => {
    expect(backendFromConfig(config([])).name).toBe('procedural');
    const backend = backendFromConfig(
      config([
        '--image.backend',
        'http',
        '--image.backend_url',
        stub.base,
        '--image.backend_model',
        'flux-dev',
        '--image.backend_key',
        'sk-flag',
      ]),
    );
    expect(backend).toBeInstanceOf(HttpImageBackend);
    stub.handler = (_req, _body, res) =>
      json(res, 200, { data: [{ b64_json: square.toString('base64') }] });
    await forward(backend, task());
    expect(stub.seen[0]?.headers.authorization).toBe('Bearer sk-flag');
    expect(JSON.parse(stub.seen[0]?.body.toString('utf8') ?? '')).toMatchObject({
      model: 'flux-dev',
    });
  });
});
