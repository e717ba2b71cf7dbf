// The streaming reply: synapse headers, then the handler's chunks as they come (chunked
// transfer encoding, no SSE framing, like the SDK's BTStreamingResponse), then the total
// process time as an HTTP trailer.
import type { ServerResponse } from 'node:http';
import type { Logger } from '@subnetkit/core';
import { pyFloatRepr } from '../pyrepr.js';
import { type AnySynapse, computeBodyHash } from '../synapse.js';
import { encodeSynapseHeaders } from '../synapse-headers.js';
import { type Exchange, handlerError } from './exchange.js';
import type { ReplyWriter } from './reply.js';
import type { StreamChunk } from './types.js';

function isAsyncIterable(source: unknown): source is AsyncIterable<StreamChunk> {
  return (
    !!source && typeof (source as AsyncIterable<StreamChunk>)[Symbol.asyncIterator] === 'function'
  );
}

/**
 * Streams `source` to `res`. Stops (cutting the connection) when `signal` fires; a handler
 * failure mid-stream also cuts it, without the final chunk, so the client can tell.
 */
export async function writeStream(
  res: ServerResponse,
  ex: Exchange,
  def: AnySynapse,
  input: Record<string, unknown>,
  source: unknown,
  signal: AbortSignal,
  replies: ReplyWriter,
  logger: Logger,
): Promise<void> {
  if (!isAsyncIterable(source)) {
    logger.error({ route: ex.route }, 'streaming handler did not return an async iterable');
    throw handlerError();
  }
  let headers: Record<string, string>;
  if (ex.plain) {
    // The signed wires: the same chunked body, without synapse headers or trailer.
    headers = { 'content-type': 'text/event-stream' };
  } else {
    const env = replies.envelope(ex);
    const values = { ...def.compiled.outputRequestValues, ...input };
    headers = encodeSynapseHeaders(def, values, {
      ...env,
      bodyHash: computeBodyHash(def, values),
    });
    headers['content-type'] = 'text/event-stream';
    // The total time is only known at the end: it travels as an HTTP trailer.
    headers.trailer = 'bt_header_axon_process_time';
  }
  ex.status = 200;
  res.writeHead(200, headers);
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  const stop = () => {
    ex.outcome = res.destroyed ? 'client_closed' : 'handler_timeout';
    res.destroy();
  };
  try {
    for (;;) {
      const step = await Promise.race([iterator.next(), aborted]);
      if (step === 'aborted') return stop();
      if (step.done) break;
      const chunk = step.value;
      if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
        throw new TypeError('stream chunks must be strings or Uint8Arrays');
      }
      if (!res.write(chunk)) {
        const drained = await Promise.race([
          new Promise<'drain'>((resolve) => res.once('drain', () => resolve('drain'))),
          aborted,
        ]);
        if (drained === 'aborted') return stop();
      }
    }
    if (!ex.plain) {
      res.addTrailers({
        bt_header_axon_process_time: pyFloatRepr((performance.now() - ex.start) / 1000),
      });
    }
    res.end();
  } catch (err) {
    // Headers are gone: the only honest signal left is to cut the stream (no final chunk).
    logger.error({ err, route: ex.route }, 'streaming handler failed mid-stream');
    ex.outcome = 'stream_error';
    res.destroy();
  } finally {
    if (ex.outcome !== 'ok') void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}
