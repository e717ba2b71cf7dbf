// Writing the axon's answers: `bt_header_axon_*` (signed once the caller is verified), error
// replies `{ message }` and full synapse replies.
import type { ServerResponse } from 'node:http';
import type { Logger } from '@subnetkit/core';
import type { AxonOutcome } from '../metrics.js';
import type { NonceClock } from '../nonce.js';
import { pyFloatRepr } from '../pyrepr.js';
import { type AnySynapse, computeBodyHash, type TerminalInfo } from '../synapse.js';
import { encodeSynapseHeaders, headerSafe, terminalHeaders } from '../synapse-headers.js';
import { type Envelope, encodeSynapseBody } from '../synapse-json.js';
import { type Exchange, internalErrorMessage } from './exchange.js';
import { lingerOnClose } from './http.js';

export interface ReplyContext {
  version: number;
  uuid: string;
  hotkey: string;
  clock: NonceClock;
  defaultTimeoutS: number;
  logger: Logger;
  /** True while shutting down: replies then close their connection. */
  draining: () => boolean;
}

export class ReplyWriter {
  /** Our own header values that never change, rendered once. */
  readonly #version: string;
  readonly #uuid: string;
  readonly #hotkey: string;

  constructor(private readonly c: ReplyContext) {
    this.#version = String(c.version);
    this.#uuid = headerSafe(c.uuid);
    this.#hotkey = headerSafe(c.hotkey);
  }

  /** bt_header_axon_* for our replies. The signature only exists once the caller is verified. */
  axonInfo(ex: Exchange, status: number, message: string, processTime?: number): TerminalInfo {
    const info: TerminalInfo = {
      status_code: status,
      status_message: message,
      version: this.c.version,
      nonce: ex.axonNonce ?? this.c.clock.next(),
      uuid: this.c.uuid,
      hotkey: this.c.hotkey,
    };
    if (processTime !== undefined) info.process_time = processTime;
    if (ex.axonSignature) info.signature = ex.axonSignature;
    return info;
  }

  /** The synapse envelope of a 200 (timeout, the caller as received, us). */
  envelope(ex: Exchange, processTime?: number): Envelope {
    return {
      timeout: ex.timeout ?? this.c.defaultTimeoutS,
      dendrite: ex.dendrite,
      axon: this.axonInfo(ex, 200, 'Success', processTime),
    };
  }

  /** An error reply `{ message }`; after the headers went out, only a cut connection is left. */
  reject(
    res: ServerResponse,
    ex: Exchange,
    status: number,
    outcome: AxonOutcome,
    message: string,
    close = false,
  ): void {
    ex.status = status;
    ex.outcome = outcome;
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    if (ex.plain) {
      // The signed wires' replies: `{ message }` and the status, no synapse headers.
      const plain: Record<string, string> = { 'content-type': 'application/json' };
      if (close || status === 413 || status === 400 || this.c.draining()) {
        plain.connection = 'close';
        if (res.req && !res.req.complete && res.socket) lingerOnClose(res.socket);
      }
      const text = JSON.stringify({ message });
      plain['content-length'] = String(Buffer.byteLength(text));
      res.writeHead(status, plain);
      res.end(text);
      return;
    }
    // `terminalHeaders('axon', this.axonInfo(…))`, written out: this is the path every
    // rejected request takes, so the constant values are pre-rendered.
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      name: ex.route || 'Synapse',
      timeout: pyFloatRepr(ex.timeout ?? this.c.defaultTimeoutS),
      bt_header_axon_status_code: String(status),
      bt_header_axon_status_message: headerSafe(message),
      bt_header_axon_process_time: pyFloatRepr((performance.now() - ex.start) / 1000),
      bt_header_axon_version: this.#version,
      bt_header_axon_nonce: String(ex.axonNonce ?? this.c.clock.next()),
      bt_header_axon_uuid: this.#uuid,
      bt_header_axon_hotkey: this.#hotkey,
    };
    if (ex.axonSignature) headers.bt_header_axon_signature = ex.axonSignature;
    if (ex.dendrite) terminalHeaders('dendrite', ex.dendrite, headers);
    if (close || status === 413 || status === 400 || this.c.draining()) {
      headers.connection = 'close';
      // The rest of a large body may still be on its way: close without a reset.
      if (res.req && !res.req.complete && res.socket) lingerOnClose(res.socket);
    }
    const body = JSON.stringify({ message });
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(status, headers);
    res.end(body);
  }

  /** The 200 reply: the whole synapse as JSON, with the synapse headers. */
  respond(
    res: ServerResponse,
    ex: Exchange,
    def: AnySynapse,
    values: Record<string, unknown>,
  ): void {
    if (res.destroyed) return;
    if (ex.plain) {
      this.#respondPlain(res, ex, def, values);
      return;
    }
    const env = this.envelope(ex, (performance.now() - ex.start) / 1000);
    let bodyHash: string;
    try {
      bodyHash = computeBodyHash(def, values);
    } catch (err) {
      this.c.logger.error({ err, route: ex.route }, 'cannot hash the handler output');
      this.reject(res, ex, 500, 'handler_error', internalErrorMessage());
      return;
    }
    // Encoded once, to exactly its size: node writes a large string through a scratch buffer of
    // 3 bytes per character (its UTF-8 worst case), 60 MB for a 20 MB base64 field.
    const body = Buffer.from(encodeSynapseBody(def, values, env), 'utf8');
    const headers = encodeSynapseHeaders(def, values, {
      ...env,
      bodyHash,
      totalSize: body.length,
    });
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(body.length);
    if (this.c.draining()) headers.connection = 'close';
    ex.status = 200;
    res.writeHead(200, headers);
    res.end(body);
  }

  /** A signed wire's 200: the output fields as plain JSON, nothing else. */
  #respondPlain(
    res: ServerResponse,
    ex: Exchange,
    def: AnySynapse,
    values: Record<string, unknown>,
  ): void {
    const out: Record<string, unknown> = {};
    for (const field of def.compiled.outputFields) out[field] = values[field] ?? null;
    let body: Buffer;
    try {
      body = Buffer.from(JSON.stringify(out), 'utf8');
    } catch (err) {
      this.c.logger.error({ err, route: ex.route }, 'cannot encode the handler output');
      this.reject(res, ex, 500, 'handler_error', internalErrorMessage());
      return;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(body.length),
    };
    if (this.c.draining()) headers.connection = 'close';
    ex.status = 200;
    res.writeHead(200, headers);
    res.end(body);
  }
}
