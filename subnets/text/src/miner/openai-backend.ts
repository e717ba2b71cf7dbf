/**
 * The miner's HTTP backend: any OpenAI-compatible chat-completions server (vLLM, llama.cpp's
 * `llama-server`, hosted APIs), selected with `--text.backend openai --text.backend_url URL`.
 *
 * - **Request**: `POST {url}/v1/chat/completions` (`url` is the server's base, without `/v1`),
 *   `Authorization: Bearer <key>` when a key is set (`--text.backend_key`, or `OPENAI_API_KEY`),
 *   with `{ model, messages, stream: true, stream_options: { include_usage: true },
 *   temperature, top_p, max_tokens, seed, logprobs }`, plus `top_logprobs` when the task asks for
 *   logprobs and `top_k` when it is > 0. `model` is `--text.backend_model`, or the task's own
 *   model when none is configured. `seed` is the task's 32-byte seed's first 6 bytes as an
 *   integer (exact in JSON, inside every server's int64).
 * - **Stream**: server-sent events, one `data: {chunk}` per event, ended by `data: [DONE]`. Each
 *   chunk's `choices[0].delta.content` becomes a piece event `{ text }`: no token ids and no
 *   logprobs, since the server's tokens are not the reference model's and the piece format ties
 *   logprobs to reference token ids (the validator's audit cannot check another model's
 *   tokens). The done event carries `choices[0].finish_reason` (`length` stays `length`, every
 *   other reason is `stop`), the `usage` of the final chunk (0s when the server sends none), and
 *   `model`: the model the server reported, which the validator judges, not this miner.
 * - **Bounds**: a deadline of `--text.backend_timeout` seconds (default 60) for the whole answer,
 *   the caller's AbortSignal, at most {@link MAX_SSE_LINE_BYTES} per line and
 *   {@link MAX_SSE_BYTES} per stream. Every failure is a `TextSubnetError` `BACKEND_FAILED`
 *   naming the endpoint and the problem, never a hang: the server's status and error message, the
 *   deadline, a cancellation, a line that is not JSON or not a chunk, an error event mid-stream, a
 *   stream that ends before `[DONE]` or without a finish reason, an oversized line or stream.
 *   The connection is closed whenever the answer ends early.
 * - **Cancellation**: when the caller's signal aborts, the stream ends with `BACKEND_FAILED`
 *   "cancelled" rather than quietly: a stream cut short never looks like a complete answer
 *   (and it has no done event to send).
 */
import { z } from 'zod';
import { TextSubnetError } from '../errors.js';
import type { StreamEvent } from '../stream/events.js';
import type { TextBackend, TextRequest } from './backend.js';

/** Longest SSE line accepted (a chunk with 20 top logprobs per token is a few KiB). */
export const MAX_SSE_LINE_BYTES = 256 * 1024;
/** Most bytes one answer's event stream may take (1024 tokens with 20 top logprobs fit). */
export const MAX_SSE_BYTES = 8 * 1024 * 1024;
/** Most characters of text per piece event (its JSON line stays under `MAX_EVENT_BYTES`). */
const MAX_PIECE_CHARS = 4096;
/** Longest model name a done event may carry (the done event's schema). */
const MAX_MODEL_CHARS = 200;

export interface OpenAIChatBackendOptions {
  /** The server's base URL, http or https (`/v1/chat/completions` is added). */
  url: string;
  /** The model name sent; the task's own model when absent. */
  model?: string;
  /** Sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** Seconds before an answer is given up (connection and whole stream). */
  timeoutS: number;
}

const usageSchema = z.object({
  prompt_tokens: z.int().min(0),
  completion_tokens: z.int().min(0),
});

const chunkSchema = z.object({
  model: z.string().optional(),
  choices: z.array(
    z.object({
      delta: z.object({ content: z.string().nullish() }).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: usageSchema.nullish(),
});

const failed = (message: string, cause?: unknown) =>
  new TextSubnetError('BACKEND_FAILED', message, cause === undefined ? {} : { cause });

const invalid = (field: string, message: string) =>
  new TextSubnetError('INVALID_ARGUMENT', `${field}: ${message}`, { field });

/** The server's own words for a failure (OpenAI's `{ error: { message } }`, vLLM's, or the text). */
function serverMessage(body: Uint8Array): string {
  const text = Buffer.from(body).toString('utf8').slice(0, 300);
  try {
    return errorMessage(JSON.parse(text)) ?? (text.trim() || '(empty body)');
  } catch {
    return text.trim() || '(empty body)';
  }
}

/** The message of an error object (`{error: {message}}`, `{error: "…"}`, `{object: "error", message}`, `{detail}`). */
function errorMessage(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const j = json as {
    error?: { message?: unknown } | string;
    object?: unknown;
    message?: unknown;
    detail?: unknown;
  };
  if (typeof j.error === 'string') return j.error;
  if (typeof j.error === 'object' && j.error !== null) {
    return typeof j.error.message === 'string' ? j.error.message : JSON.stringify(j.error);
  }
  if (j.object === 'error' && typeof j.message === 'string') return j.message;
  if (typeof j.detail === 'string') return j.detail;
  return undefined;
}

/** Reads a body up to `max` bytes, for an error message (an unread rest is dropped). */
async function readSome(res: Response, max: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return new Uint8Array(Buffer.concat(chunks).subarray(0, max));
}

/** The seed the server gets: the first 6 bytes of the task's seed, big-endian (< 2^48, exact). */
export function chatSeed(seed: Uint8Array): number {
  if (seed.length < 6) throw invalid('seed', `needs at least 6 bytes, got ${seed.length}`);
  return Buffer.from(seed.subarray(0, 6)).readUIntBE(0, 6);
}

/** `text` in pieces of at most MAX_PIECE_CHARS, never splitting a surrogate pair. */
function splitText(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (text.length - start > MAX_PIECE_CHARS) {
    let end = start + MAX_PIECE_CHARS;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    out.push(text.slice(start, end));
    start = end;
  }
  out.push(text.slice(start));
  return out;
}

/**
 * The lines of an event stream, bounded: each at most MAX_SSE_LINE_BYTES, all together at
 * most MAX_SSE_BYTES. `\n` or `\r\n` ends a line; a last line without one is still a line.
 */
async function* boundedLines(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  where: string,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes: Uint8Array) => {
    try {
      const line = decoder.decode(bytes);
      return line.endsWith('\r') ? line.slice(0, -1) : line;
    } catch (cause) {
      throw failed(`${where}: a line of the event stream is not UTF-8`, cause);
    }
  };
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_SSE_BYTES) {
      throw failed(`${where}: the event stream is longer than the ${MAX_SSE_BYTES} bytes allowed`);
    }
    let from = 0;
    for (let nl = value.indexOf(0x0a); nl !== -1; nl = value.indexOf(0x0a, from)) {
      const part = value.subarray(from, nl);
      if (pendingBytes + part.byteLength > MAX_SSE_LINE_BYTES) break;
      pending.push(part);
      const line = decode(pending.length === 1 ? part : Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
      from = nl + 1;
      yield line;
    }
    const rest = value.subarray(from);
    const restEnd = rest.indexOf(0x0a);
    if (pendingBytes + (restEnd === -1 ? rest.byteLength : restEnd) > MAX_SSE_LINE_BYTES) {
      throw failed(
        `${where}: an event stream line is longer than the ${MAX_SSE_LINE_BYTES} bytes allowed`,
      );
    }
    if (rest.byteLength > 0) {
      pending.push(rest);
      pendingBytes += rest.byteLength;
    }
  }
  if (pendingBytes > 0) yield decode(Buffer.concat(pending));
}

/** The data of each server-sent event (its `data:` lines joined by `\n`); other fields ignored. */
async function* sseData(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let data: string[] = [];
  for await (const line of lines) {
    if (line === '') {
      if (data.length > 0) yield data.join('\n');
      data = [];
      continue;
    }
    if (line.startsWith(':')) continue; // a comment: a keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') continue; // event:, id:, retry: mean nothing here
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    data.push(value);
  }
  // A last event without its blank line still counts (the stream did end after it).
  if (data.length > 0) yield data.join('\n');
}

function preview(text: string): string {
  const t = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(t);
}

export class OpenAIChatBackend implements TextBackend {
  readonly name = 'openai';
  readonly #options: OpenAIChatBackendOptions;
  readonly #endpoint: URL;

  constructor(options: OpenAIChatBackendOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw invalid('text.backend_url', `not a URL: ${options.url}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw invalid('text.backend_url', `must be http(s), got ${url.protocol}`);
    }
    if (!(options.timeoutS > 0)) throw invalid('text.backend_timeout', 'must be > 0');
    if (options.model !== undefined && options.model.length === 0) {
      throw invalid('text.backend_model', 'must not be empty');
    }
    this.#options = options;
    this.#endpoint = new URL(`${url.pathname.replace(/\/$/, '')}/v1/chat/completions`, url);
  }

  /** The endpoint posted to. */
  get endpoint(): string {
    return this.#endpoint.href;
  }

  /** The chat-completions request for `request`. */
  #body(request: TextRequest): Record<string, unknown> {
    return {
      model: this.#options.model ?? request.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
      stream_options: { include_usage: true },
      temperature: request.temperature,
      top_p: request.topP,
      max_tokens: request.maxTokens,
      seed: chatSeed(request.seed),
      logprobs: request.logprobs > 0,
      // Only with logprobs: true (vLLM refuses top_logprobs without it, 0 included). The server's
      // logprobs are not forwarded (see the header), but a server asked for them does the work
      // an honest answer costs.
      ...(request.logprobs > 0 ? { top_logprobs: request.logprobs } : {}),
      // Not in OpenAI's own API (a hosted API may refuse it as an unknown argument), but vLLM
      // and llama.cpp's server accept it as a sampling parameter; sent only when the task
      // restricts sampling to the top k.
      ...(request.topK > 0 ? { top_k: request.topK } : {}),
    };
  }

  async *stream(request: TextRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
    const where = `text backend ${this.#endpoint.href}`;
    const timeoutS = this.#options.timeoutS;
    if (signal.aborted) throw failed(`${where}: cancelled before the request was sent`);
    const deadline = AbortSignal.timeout(timeoutS * 1000);
    // Aborted in `finally`: an answer given up early (by the consumer too) closes the connection.
    const local = new AbortController();
    const all = AbortSignal.any([signal, deadline, local.signal]);
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    /** Whether the server had answered when a network error struck. */
    let answered = false;
    try {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'text/event-stream',
      };
      if (this.#options.key) headers.authorization = `Bearer ${this.#options.key}`;
      const res = await fetch(this.#endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(this.#body(request)),
        signal: all,
      });
      answered = true;
      if (!res.ok) {
        const text = await readSome(res, 64 * 1024).catch(() => new Uint8Array(0));
        throw failed(`${where} answered ${res.status}: ${serverMessage(text)}`);
      }
      const type = res.headers.get('content-type') ?? '';
      if (/^application\/json/i.test(type)) {
        // The server ignored `stream: true` (or answered an error with a 200).
        const text = await readSome(res, 64 * 1024).catch(() => new Uint8Array(0));
        throw failed(`${where}: answered JSON, not an event stream: ${serverMessage(text)}`);
      }
      if (!res.body) throw failed(`${where}: answered no body`);
      reader = res.body.getReader();

      let finish: 'stop' | 'length' | undefined;
      let usage: z.output<typeof usageSchema> | undefined;
      let model: string | undefined;
      let ended = false;
      for await (const data of sseData(boundedLines(reader, where))) {
        if (data === '[DONE]') {
          ended = true;
          break;
        }
        let json: unknown;
        try {
          json = JSON.parse(data);
        } catch {
          throw failed(`${where}: an event's data is not JSON: ${preview(data)}`);
        }
        const error = errorMessage(json);
        if (error !== undefined) throw failed(`${where}: the server failed mid-stream: ${error}`);
        const parsed = chunkSchema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const at = issue?.path.length ? `${issue.path.join('.')}: ` : '';
          throw failed(
            `${where}: an event is not a chat completion chunk (${at}${issue?.message ?? 'invalid'}): ${preview(data)}`,
          );
        }
        const chunk = parsed.data;
        if (chunk.model) {
          if (chunk.model.length > MAX_MODEL_CHARS) {
            throw failed(`${where}: the model name is longer than ${MAX_MODEL_CHARS} characters`);
          }
          model = chunk.model;
        }
        // With include_usage, the last chunk has the usage and no choices.
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        const content = choice.delta?.content;
        if (content) for (const text of splitText(content)) yield { text };
        if (choice.finish_reason && !finish) {
          // content_filter, tool_calls, …: the answer ended, but not at max_tokens.
          finish = choice.finish_reason === 'length' ? 'length' : 'stop';
        }
      }
      if (!ended) {
        throw failed(
          `${where}: the event stream ended before data: [DONE]${finish ? '' : ' (and without a finish_reason)'}`,
        );
      }
      if (!finish) throw failed(`${where}: the event stream ended without a finish_reason`);
      yield {
        done: true,
        finish_reason: finish,
        // The server's own count (0s when it sends none): the validator recounts usage with the
        // reference tokenizer and believes none of it.
        usage: usage ?? { prompt_tokens: 0, completion_tokens: 0 },
        // The model the server says answered (the one asked for, when it says nothing): the
        // validator decides whether it is acceptable.
        model: model ?? (this.#options.model ?? request.model).slice(0, MAX_MODEL_CHARS),
      };
    } catch (error) {
      if (error instanceof TextSubnetError) throw error;
      if (signal.aborted) {
        throw failed(`${where}: cancelled (the caller gave up the answer)`, error);
      }
      if (deadline.aborted) {
        throw failed(
          `${where}: no complete answer after ${timeoutS} s (--text.backend_timeout)`,
          error,
        );
      }
      // undici's own words: `fetch failed` with the cause (ECONNREFUSED …), or `terminated`.
      const reason = error instanceof Error ? error.message : String(error);
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
      const detail = cause?.message ? `${reason}: ${cause.message}` : reason;
      throw failed(
        answered
          ? `${where}: the connection broke mid-stream (${detail})`
          : `${where}: the request failed (${detail})`,
        error,
      );
    } finally {
      local.abort();
      await reader?.cancel().catch(() => {});
    }
  }
}
