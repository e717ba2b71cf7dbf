/**
 * The miner's HTTP backend: any image model behind an HTTP API.
 *
 * - `openai`: `POST {url}/v1/images/generations` with `{ model, prompt, n: 1, size: "WxH",
 *   response_format: "b64_json" }` (OpenAI, and the servers that copy its API); the image is
 *   `data[0].b64_json`, or fetched from `data[0].url`.
 * - `raw`: `POST {url}` with `{ prompt, width, height, seed }`, the image bytes back.
 *
 * The bytes are resized to the asked size when the model cannot make it (OpenAI has few sizes).
 * A failing, slow or malformed backend is an `ImageSubnetError` `BACKEND_FAILED` that says
 * which, never a hang: every request has a deadline and a byte cap.
 */
import sharp from 'sharp';
import { z } from 'zod';
import { ImageSubnetError } from '../errors.js';
import { MAX_IMAGE_BYTES } from '../protocol.js';
import type { ImageBackend, ImageRequest } from './backend.js';

export interface HttpBackendOptions {
  /** Base URL (`openai`) or the endpoint (`raw`); http or https. */
  url: string;
  api: 'openai' | 'raw';
  model?: string;
  /** Sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** Seconds before a generation is given up. */
  timeoutS: number;
}

const openaiReply = z.object({
  data: z
    .array(z.object({ b64_json: z.string().min(1).optional(), url: z.string().url().optional() }))
    .min(1),
});

const failed = (message: string, cause?: unknown) =>
  new ImageSubnetError('BACKEND_FAILED', message, cause === undefined ? {} : { cause });

/** Drops a body that will not be read, closing its connection. */
async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}

/** Reads a response body up to `max` bytes (more is an error, not a truncated image). */
async function readCapped(res: Response, max: number, what: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > max) {
    // Given up now: an unread body would hold the connection open until the deadline.
    await discard(res);
    throw failed(`${what}: ${declared} bytes, more than the ${max} allowed`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!res.body) return new Uint8Array(0);
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > max) throw failed(`${what}: more than the ${max} bytes allowed`);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** The server's own words for a failure (OpenAI's `{ error: { message } }`, or the text). */
function serverMessage(body: Uint8Array): string {
  const text = Buffer.from(body).toString('utf8').slice(0, 300);
  try {
    const json = JSON.parse(text) as { error?: { message?: string } | string; detail?: string };
    if (typeof json.error === 'string') return json.error;
    if (json.error?.message) return json.error.message;
    if (typeof json.detail === 'string') return json.detail;
  } catch {
    // not JSON: the text itself
  }
  return text.trim() || '(empty body)';
}

function base64Bytes(text: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw failed(`${what}: b64_json is not base64`);
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw failed(`${what}: ${bytes.length} bytes, more than the ${MAX_IMAGE_BYTES} allowed`);
  }
  return new Uint8Array(bytes);
}

export class HttpImageBackend implements ImageBackend {
  readonly name = 'http';
  readonly #options: HttpBackendOptions;
  readonly #endpoint: URL;

  constructor(options: HttpBackendOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new ImageSubnetError(
        'INVALID_ARGUMENT',
        `image.backend_url: not a URL: ${options.url}`,
        {
          field: 'image.backend_url',
        },
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ImageSubnetError(
        'INVALID_ARGUMENT',
        `image.backend_url: must be http(s), got ${url.protocol}`,
        { field: 'image.backend_url' },
      );
    }
    if (!(options.timeoutS > 0)) {
      throw new ImageSubnetError('INVALID_ARGUMENT', 'image.backend_timeout: must be > 0', {
        field: 'image.backend_timeout',
      });
    }
    this.#options = options;
    this.#endpoint =
      options.api === 'openai'
        ? new URL(`${url.pathname.replace(/\/$/, '')}/v1/images/generations`, url)
        : url;
  }

  async generate(request: ImageRequest, signal: AbortSignal): Promise<Uint8Array> {
    const { spec } = request;
    const deadline = AbortSignal.timeout(this.#options.timeoutS * 1000);
    const both = AbortSignal.any([signal, deadline]);
    const where = `image backend ${this.#endpoint.href}`;
    try {
      const bytes =
        this.#options.api === 'openai'
          ? await this.#openai(request, both, where)
          : await this.#raw(request, both, where);
      return await exactSize(bytes, spec.width, spec.height, where);
    } catch (error) {
      if (deadline.aborted && !signal.aborted) {
        throw failed(
          `${where}: no image after ${this.#options.timeoutS} s (--image.backend_timeout)`,
          error,
        );
      }
      if (signal.aborted)
        throw failed(`${where}: cancelled (the validator's deadline passed)`, error);
      if (error instanceof ImageSubnetError) throw error;
      throw failed(`${where}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#options.key) headers.authorization = `Bearer ${this.#options.key}`;
    return headers;
  }

  async #post(body: unknown, signal: AbortSignal, where: string): Promise<Response> {
    const res = await fetch(this.#endpoint, {
      method: 'POST',
      headers: this.#headers(),
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok) {
      const text = await readCapped(res, 64 * 1024, where).catch(() => new Uint8Array(0));
      throw failed(`${where} answered ${res.status}: ${serverMessage(text)}`);
    }
    return res;
  }

  async #openai(request: ImageRequest, signal: AbortSignal, where: string): Promise<Uint8Array> {
    const { spec } = request;
    const res = await this.#post(
      {
        ...(this.#options.model ? { model: this.#options.model } : {}),
        prompt: request.prompt,
        n: 1,
        size: `${spec.width}x${spec.height}`,
        response_format: 'b64_json',
      },
      signal,
      where,
    );
    const text = Buffer.from(
      await readCapped(res, Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 64 * 1024, where),
    ).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw failed(`${where}: reply is not JSON`);
    }
    const parsed = openaiReply.safeParse(json);
    if (!parsed.success) throw failed(`${where}: reply has no data[0].b64_json or data[0].url`);
    const first = parsed.data.data[0]!;
    if (first.b64_json) return base64Bytes(first.b64_json, where);
    if (!first.url) throw failed(`${where}: reply has no data[0].b64_json or data[0].url`);
    const url = new URL(first.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw failed(`${where}: data[0].url must be http(s), got ${url.protocol}`);
    }
    const image = await fetch(url, { signal });
    if (!image.ok) {
      await discard(image);
      throw failed(`${where}: fetching data[0].url answered ${image.status}`);
    }
    return readCapped(image, MAX_IMAGE_BYTES, `${where} (data[0].url)`);
  }

  async #raw(request: ImageRequest, signal: AbortSignal, where: string): Promise<Uint8Array> {
    const { spec } = request;
    const res = await this.#post(
      {
        prompt: request.prompt,
        width: spec.width,
        height: spec.height,
        seed: Buffer.from(request.renderSeed).toString('hex'),
      },
      signal,
      where,
    );
    return readCapped(res, MAX_IMAGE_BYTES, where);
  }
}

/** The image at exactly `width`×`height` (resized and cropped to fill, PNG, when it is not). */
async function exactSize(
  bytes: Uint8Array,
  width: number,
  height: number,
  where: string,
): Promise<Uint8Array> {
  const meta = await sharp(bytes, { limitInputPixels: 4096 * 4096 })
    .metadata()
    .catch((cause: unknown) => {
      throw failed(`${where}: the reply is not an image sharp can read`, cause);
    });
  if (meta.width === width && meta.height === height) return bytes;
  const resized = await sharp(bytes, { limitInputPixels: 4096 * 4096 })
    .resize(width, height, { fit: 'cover' })
    .png()
    .toBuffer();
  return new Uint8Array(resized);
}
