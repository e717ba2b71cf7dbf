/**
 * Reads a miner's streamed answer on the validator's own clock: time to first chunk, chunk
 * rate, total time, a byte cap and a stall deadline between chunks. Nothing the miner reports
 * about its own timing is used. A stream that is cut, stalls, grows past the cap, times out or
 * is refused ends early with the reason; the caller turns that into a failure.
 */
import type {
  AnySynapse,
  AxonTarget,
  Dendrite,
  InputInitOf,
  QueryResult,
} from '@subnetkit/transport';
import type { StreamObservation } from '../types.js';

/** Defaults when neither the task nor its kind sets a limit. */
export const DEFAULT_MAX_STREAM_BYTES = 8 * 1024 * 1024;
export const DEFAULT_STALL_TIMEOUT_S = 5;

export interface ReadStreamOptions {
  timeoutS: number;
  maxStreamBytes: number;
  stallTimeoutS: number;
  /** The validator's shutdown signal. */
  signal?: AbortSignal;
  decode?: 'text' | 'bytes';
  now?: () => number;
}

export interface StreamRead<S extends AnySynapse> {
  response: QueryResult<S>;
  observation: StreamObservation;
}

const STALLED = Symbol('stalled');

function endOf(response: QueryResult<AnySynapse>): Pick<StreamObservation, 'end' | 'reason'> {
  if (response.ok) return { end: 'complete', reason: null };
  const message = `${response.dendrite.status_code} ${response.dendrite.status_message}`.trim();
  switch (response.error) {
    case 'TIMEOUT':
      return { end: 'timeout', reason: `stream not finished before the timeout (${message})` };
    case 'STREAM_TOO_LONG':
      return { end: 'oversized', reason: message };
    case 'STREAM_CUT':
    case 'DISCONNECTED':
      return { end: 'cut', reason: `stream cut before its end (${message})` };
    default:
      return { end: 'refused', reason: `no stream: ${message}` };
  }
}

/** Streams `input` to one axon and measures how the answer arrives. Never throws. */
export async function readStream<S extends AnySynapse>(
  dendrite: Pick<Dendrite, 'stream'>,
  target: AxonTarget,
  protocol: S,
  input: InputInitOf<S>,
  options: ReadStreamOptions,
): Promise<StreamRead<S>> {
  const now = options.now ?? performance.now.bind(performance);
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const chunks: Array<string | Uint8Array> = [];
  let bytes = 0;
  let first: number | null = null;
  let last: number | null = null;
  let longestGapMs = 0;
  let ours: Pick<StreamObservation, 'end' | 'reason'> | null = null;
  const started = now();
  const stream = dendrite.stream(target, protocol, input, {
    timeout: options.timeoutS,
    signal: stop.signal,
    ...(options.decode ? { decode: options.decode } : {}),
  });
  const iterator = stream[Symbol.asyncIterator]();
  const stallMs = options.stallTimeoutS * 1000;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<typeof STALLED>((resolve) => {
        timer = setTimeout(() => resolve(STALLED), stallMs);
      });
      const next = await Promise.race([iterator.next(), stalled]).finally(() =>
        clearTimeout(timer),
      );
      const t = now();
      longestGapMs = Math.max(longestGapMs, t - (last ?? started));
      if (next === STALLED) {
        ours = {
          end: 'stalled',
          reason: `no chunk for ${options.stallTimeoutS} s after ${chunks.length} chunk(s)`,
        };
        break;
      }
      if (next.done) break;
      const chunk = next.value;
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (bytes > options.maxStreamBytes) {
        ours = {
          end: 'oversized',
          reason: `stream over the ${options.maxStreamBytes}-byte cap after ${chunks.length} chunk(s)`,
        };
        break;
      }
      chunks.push(chunk);
      first ??= t;
      last = t;
    }
  } catch {
    // the dendrite reports its own failures through `result`
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (ours) {
    stop.abort(new Error(ours.reason ?? ours.end));
    // let the generator see the abort and settle `result`; don't wait on a stuck `next()`
    void iterator.return?.(undefined).catch(() => {});
  }
  const response = await stream.result;
  const ended = now();
  const end =
    ours ??
    (options.signal?.aborted
      ? { end: 'cancelled' as const, reason: 'the validator stopped reading (its own shutdown)' }
      : endOf(response));
  const text = chunks.every((c) => typeof c === 'string') ? chunks.join('') : '';
  const spanS = first !== null && last !== null ? (last - first) / 1000 : 0;
  return {
    response,
    observation: {
      ...end,
      chunks,
      text,
      bytes,
      timeToFirstChunkMs: first === null ? null : first - started,
      totalMs: ended - started,
      chunksPerSecond: chunks.length >= 2 && spanS > 0 ? (chunks.length - 1) / spanS : null,
      longestGapMs,
    },
  };
}
