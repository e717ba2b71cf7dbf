// Reading replies: bodies under a size cap, and the axon's `bt_header_axon_*` merged over what
// we knew, with its signature checked.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { AxonTarget } from '../axon/types.js';
import { axonMessage, type HotkeyCache, parseSignature, verifyWrapped } from '../signing.js';
import type { TerminalInfo } from '../synapse.js';
import { parseTerminalHeaders } from '../synapse-headers.js';
import { Failure } from './failure.js';
import { tooLarge } from './unary.js';

const utf8 = new TextEncoder();

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? undefined : v;
}

/**
 * A streamed reply's body, refusing (before reading, when declared) bodies over `limit` bytes.
 * Errors while reading go through `mapError`.
 */
export async function readBody(
  response: Dispatcher.ResponseData,
  limit: number,
  mapError: (err: unknown) => Failure,
): Promise<Buffer> {
  const declared = Number(headerText(response.headers, 'content-length') ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } catch (err) {
    throw mapError(err);
  }
  return Buffer.concat(chunks, size);
}

/** A reply body as JSON (`UNPARSEABLE_RESPONSE` when it is not, or was not read). */
export function parseJson(body: Buffer | undefined): unknown {
  try {
    if (body === undefined) throw new Error('unread');
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new Failure('UNPARSEABLE_RESPONSE', 422, 'Failed to parse response: not JSON');
  }
}

export interface AxonCheck {
  /** Our hotkey (the axon signs `{nonce}.{our hotkey}.{its hotkey}.{uuid}`). */
  ourHotkey: string;
  hotkeys: HotkeyCache;
  verify: boolean;
  require: boolean;
}

/** Merges the axon's headers over what we knew and checks its signature. */
export function axonFromHeaders(
  headers: IncomingHttpHeaders,
  status: number,
  message: string | undefined,
  axon: AxonTarget,
  check: AxonCheck,
): TerminalInfo {
  const { info } = parseTerminalHeaders(headers, 'axon');
  const known: TerminalInfo = { ip: axon.ip, port: axon.port, hotkey: axon.hotkey };
  const merged: TerminalInfo = { ...known, ...info, status_code: status };
  if (message !== undefined) merged.status_message = message;
  if (check.verify && info.signature !== undefined) {
    const sig = parseSignature(info.signature);
    const key = check.hotkeys.publicKey(axon.hotkey);
    const valid =
      sig !== undefined &&
      key !== undefined &&
      info.nonce !== undefined &&
      info.uuid !== undefined &&
      verifyWrapped(
        utf8.encode(axonMessage(info.nonce, check.ourHotkey, axon.hotkey, info.uuid)),
        sig,
        key,
      );
    if (!valid) {
      throw new Failure(
        'BAD_AXON_SIGNATURE',
        422,
        'Failed to parse response: axon signature does not verify',
      );
    }
  } else if (check.require && info.signature === undefined) {
    throw new Failure(
      'MISSING_AXON_SIGNATURE',
      422,
      'Failed to parse response: axon did not sign its reply',
    );
  }
  return merged;
}
