/**
 * The stream a miner sends: one JSON object per line.
 *
 * - a **piece**: `{"text": "…", "tokens": [ids], "logprobs": [ln p], "top_logprobs": [[[id, ln p], …], …]}`
 *   (`tokens` and the logprobs only when the backend has the reference model's ids;
 *   otherwise `{"text": "…"}` alone);
 * - then one **done** event: `{"done": true, "finish_reason": "stop" | "length",
 *   "usage": {"prompt_tokens": n, "completion_tokens": m}, "model": "…"}`.
 *
 * Parsing is bounded (line and stream sizes) and names the line at fault; nothing the miner
 * claims here is believed without a check.
 */
import { z } from 'zod';

/** Longest event line accepted. */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Tokens one piece may carry: more is batching, which a streaming answer is scored down for. */
export const MAX_TOKENS_PER_PIECE = 16;

const topLogprob = z.tuple([z.int().min(0), z.number()]);

export const pieceEventSchema = z.strictObject({
  text: z.string().max(MAX_EVENT_BYTES),
  tokens: z.array(z.int().min(0)).max(4096).optional(),
  logprobs: z.array(z.number()).max(4096).optional(),
  top_logprobs: z.array(z.array(topLogprob).max(64)).max(4096).optional(),
});

export const doneEventSchema = z.strictObject({
  done: z.literal(true),
  finish_reason: z.enum(['stop', 'length']),
  usage: z.strictObject({
    prompt_tokens: z.int().min(0),
    completion_tokens: z.int().min(0),
  }),
  model: z.string().max(200),
});

export type PieceEvent = z.output<typeof pieceEventSchema>;
export type DoneEvent = z.output<typeof doneEventSchema>;
export type StreamEvent = PieceEvent | DoneEvent;

/** One event as a line of the stream. */
export function encodeEvent(event: StreamEvent): string {
  return `${JSON.stringify(event)}\n`;
}

export type ParsedStream =
  | { ok: true; pieces: PieceEvent[]; done: DoneEvent }
  | { ok: false; line: number; reason: string };

const bad = (line: number, reason: string): ParsedStream => ({ ok: false, line, reason });

/** The events of a whole stream, or the first line that is not one (1-based). */
export function parseEvents(text: string): ParsedStream {
  if (text.length > 0 && !text.endsWith('\n')) {
    return bad(text.split('\n').length, 'the stream does not end with a newline');
  }
  const lines = text.split('\n');
  lines.pop();
  const pieces: PieceEvent[] = [];
  let done: DoneEvent | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = i + 1;
    if (done) return bad(n, 'an event after the done event');
    if (Buffer.byteLength(line) > MAX_EVENT_BYTES) {
      return bad(n, `longer than ${MAX_EVENT_BYTES} bytes`);
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return bad(n, 'not JSON');
    }
    if (typeof value === 'object' && value !== null && 'done' in value) {
      const parsed = doneEventSchema.safeParse(value);
      if (!parsed.success) return bad(n, `not a done event: ${firstIssue(parsed.error)}`);
      done = parsed.data;
      continue;
    }
    const parsed = pieceEventSchema.safeParse(value);
    if (!parsed.success) return bad(n, `not a piece: ${firstIssue(parsed.error)}`);
    const p = parsed.data;
    const k = p.tokens?.length;
    for (const field of ['logprobs', 'top_logprobs'] as const) {
      const v = p[field];
      if (v !== undefined && v.length !== k) {
        return bad(n, `${field} has ${v.length} entries for ${k ?? 'no'} tokens`);
      }
    }
    pieces.push(p);
  }
  if (!done) return bad(lines.length + 1, 'the stream ended without its done event');
  return { ok: true, pieces, done };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
