// One non-streaming exchange on undici's handler API: the reply's chunks go straight into an
// array (capped), with no Readable, no AbortSignal listener and no async iterator per call —
// the per-call machinery of `dispatcher.request` that a 256-axon fan-out pays 256 times.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { Failure } from './failure.js';
import type { UnaryDispatcher } from './h1-agent.js';

export interface Reply {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The whole body; `undefined` when a non-200 body could not be read (over the cap, cut). */
  body: Buffer | undefined;
}

export function tooLarge(limit: number): Failure {
  return new Failure(
    'RESPONSE_TOO_LARGE',
    422,
    `Failed to parse response: body over ${limit} bytes`,
  );
}

/**
 * Sends one request and collects its reply. A 200 body over `limit` fails the exchange with
 * `RESPONSE_TOO_LARGE`; any other status resolves even when its body is over the cap or cut
 * (the status is the answer), with `body` undefined. `cancel` ends it at any stage, also
 * before a connection was found, with `reason` as the rejection.
 */
export class UnaryExchange implements Dispatcher.DispatchHandler {
  readonly done: Promise<Reply>;
  #resolve!: (reply: Reply) => void;
  #reject!: (err: unknown) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #cancelled: Error | undefined;
  #settled = false;
  #status = 0;
  #headers: IncomingHttpHeaders | undefined;
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(
    dispatcher: UnaryDispatcher,
    options: Dispatcher.DispatchOptions,
    private readonly limit: number,
  ) {
    this.done = new Promise<Reply>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    try {
      dispatcher.dispatch(options, this);
    } catch (err) {
      this.#fail(err);
    }
  }

  cancel(reason: Error): void {
    if (this.#settled) return;
    this.#cancelled = reason;
    if (this.#controller) this.#controller.abort(reason);
    else this.#fail(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#cancelled) controller.abort(this.#cancelled);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return; // 1xx: the real answer follows
    this.#status = statusCode;
    this.#headers = headers;
    const declared = Number(headers['content-length'] ?? 0);
    if (declared > this.limit) this.#overLimit();
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#size += chunk.length;
    if (this.#size > this.limit) this.#overLimit();
    else this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve({
      statusCode: this.#status,
      headers: this.#headers ?? {},
      body: Buffer.concat(this.#chunks, this.#size),
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    // A non-200 whose body broke off is still that status, unless the call itself was ended.
    if (this.#status !== 0 && this.#status !== 200 && !this.#cancelled) this.#resolveUnread();
    else this.#fail(err);
  }

  #overLimit(): void {
    if (this.#status === 200) {
      const err = tooLarge(this.limit);
      this.#fail(err);
      this.#controller?.abort(err);
    } else {
      this.#resolveUnread();
      this.#controller?.abort(tooLarge(this.limit));
    }
  }

  #resolveUnread(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#chunks = [];
    this.#resolve({ statusCode: this.#status, headers: this.#headers ?? {}, body: undefined });
  }

  #fail(err: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#chunks = [];
    this.#reject(err);
  }
}
