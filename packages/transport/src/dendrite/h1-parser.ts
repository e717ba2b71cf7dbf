// An incremental HTTP/1.1 response parser for the dendrite's own client (h1-agent.ts): the
// status line, the header section, and a body framed by Content-Length, chunked coding or the
// end of the connection. Only what a reply to our POST can be: no upgrades, no pipelining.
import type { IncomingHttpHeaders } from 'node:http';

/** Largest header section accepted (undici's default `maxHeaderSize` is 16 KiB). */
export const MAX_HEADER_BYTES = 64 * 1024;

export interface ResponseEvents {
  /** The final (non-1xx) status and headers. */
  head(statusCode: number, headers: IncomingHttpHeaders, keepAlive: boolean): void;
  data(chunk: Buffer): void;
  /** The body is complete; `keepAlive` says whether the connection may carry another request. */
  end(keepAlive: boolean): void;
}

export class ParseError extends Error {
  readonly code = 'H1_PARSE_ERROR';
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const STATUS_RE = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/;
const CHUNK_SIZE_RE = /^([0-9a-fA-F]{1,15})(?:[ \t]*;.*)?$/;

type State =
  | 'head'
  | 'length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-crlf'
  | 'trailers'
  | 'close'
  | 'done';

export class ResponseParser {
  #state: State = 'head';
  #pending: Buffer | undefined;
  #remaining = 0;
  #keepAlive = false;

  constructor(private readonly on: ResponseEvents) {}

  /** Whether the reply so far ends only when the connection does (no length, not chunked). */
  get untilClose(): boolean {
    return this.#state === 'close';
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  /** Feeds bytes from the socket; throws `ParseError` on a malformed reply. */
  feed(input: Buffer): void {
    let buf = this.#pending ? Buffer.concat([this.#pending, input]) : input;
    this.#pending = undefined;
    while (buf.length > 0 && this.#state !== 'done') {
      switch (this.#state) {
        case 'head': {
          const end = buf.indexOf(HEAD_END);
          if (end < 0) {
            if (buf.length > MAX_HEADER_BYTES) throw new ParseError('header section too large');
            this.#pending = buf;
            return;
          }
          this.#head(buf.toString('latin1', 0, end));
          buf = buf.subarray(end + 4);
          break;
        }
        case 'length': {
          const n = Math.min(this.#remaining, buf.length);
          this.on.data(buf.subarray(0, n));
          this.#remaining -= n;
          buf = buf.subarray(n);
          if (this.#remaining === 0) this.#finish();
          break;
        }
        case 'close':
          this.on.data(buf);
          return;
        case 'chunk-size':
        case 'trailers': {
          const eol = buf.indexOf(CRLF);
          if (eol < 0) {
            if (buf.length > MAX_HEADER_BYTES) throw new ParseError('chunk line too long');
            this.#pending = buf;
            return;
          }
          const line = buf.toString('latin1', 0, eol);
          buf = buf.subarray(eol + 2);
          if (this.#state === 'trailers') {
            if (line === '') this.#finish(); // trailer fields are not read
            break;
          }
          const m = CHUNK_SIZE_RE.exec(line);
          if (!m) throw new ParseError('bad chunk size');
          this.#remaining = Number.parseInt(m[1]!, 16);
          this.#state = this.#remaining === 0 ? 'trailers' : 'chunk-data';
          break;
        }
        case 'chunk-data': {
          const n = Math.min(this.#remaining, buf.length);
          this.on.data(buf.subarray(0, n));
          this.#remaining -= n;
          buf = buf.subarray(n);
          if (this.#remaining === 0) this.#state = 'chunk-crlf';
          break;
        }
        case 'chunk-crlf': {
          if (buf.length < 2) {
            this.#pending = buf;
            return;
          }
          if (buf[0] !== 0x0d || buf[1] !== 0x0a)
            throw new ParseError('chunk not followed by CRLF');
          buf = buf.subarray(2);
          this.#state = 'chunk-size';
          break;
        }
      }
    }
    // Bytes after a complete reply: the server sent something we never asked for.
    if (buf.length > 0) throw new ParseError('data after the end of the response');
  }

  /** The connection ended: completes a body that runs to the close, else it was cut. */
  close(): boolean {
    if (this.#state === 'close') {
      this.#state = 'done';
      this.on.end(false);
      return true;
    }
    return this.#state === 'done';
  }

  #head(text: string): void {
    const lines = text.split('\r\n');
    const m = STATUS_RE.exec(lines[0]!);
    if (!m) throw new ParseError('bad status line');
    const http10 = m[1] === '0';
    const status = Number(m[2]);
    const headers: Record<string, string | string[]> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0 || line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
        throw new ParseError('bad header line'); // obsolete line folding is refused too
      }
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      const seen = headers[name];
      if (seen === undefined) headers[name] = value;
      else if (typeof seen === 'string') headers[name] = [seen, value];
      else seen.push(value);
    }
    if (status < 200) return; // 1xx: the real head follows
    const connection = String(headers.connection ?? '').toLowerCase();
    this.#keepAlive = http10 ? connection.includes('keep-alive') : !connection.includes('close');
    const te = headers['transfer-encoding'];
    const cl = headers['content-length'];
    this.on.head(status, headers as IncomingHttpHeaders, this.#keepAlive);
    if (status === 204 || status === 304) {
      this.#finish();
    } else if (te !== undefined) {
      if (typeof te !== 'string' || te.toLowerCase() !== 'chunked' || cl !== undefined) {
        throw new ParseError('unsupported transfer-encoding');
      }
      this.#state = 'chunk-size';
    } else if (cl !== undefined) {
      if (typeof cl !== 'string' || !/^\d{1,15}$/.test(cl))
        throw new ParseError('bad content-length');
      this.#remaining = Number(cl);
      if (this.#remaining === 0) this.#finish();
      else this.#state = 'length';
    } else {
      this.#keepAlive = false;
      this.#state = 'close';
    }
  }

  #finish(): void {
    this.#state = 'done';
    this.on.end(this.#keepAlive);
  }
}
