import { describe, expect, it } from 'vitest';
import {
  type DoneEvent,
  encodeEvent,
  MAX_EVENT_BYTES,
  type PieceEvent,
  parseEvents,
  type StreamEvent,
} from './events.js';

const done: DoneEvent = {
  done: true,
  finish_reason: 'stop',
  usage: { prompt_tokens: 7, completion_tokens: 3 },
  model: 'subnetkit-kn4-0123456789abcdef',
};
const pieces: PieceEvent[] = [
  { text: 'the', tokens: [5], logprobs: [-1.5], top_logprobs: [[[5, -1.5]]] },
  {
    text: ' people',
    tokens: [80],
    logprobs: [-2.25],
    top_logprobs: [
      [
        [80, -2.25],
        [9, -3],
      ],
    ],
  },
  { text: '', tokens: [1], logprobs: [-0.5], top_logprobs: [[[1, -0.5]]] },
];

const encode = (events: readonly StreamEvent[]) => events.map(encodeEvent).join('');
const line = (value: unknown) => `${JSON.stringify(value)}\n`;

describe('encodeEvent / parseEvents', () => {
  it('round-trips pieces with and without ids, and the done event', () => {
    const textOnly: PieceEvent[] = [{ text: 'a "quoted"\\ piece\u2028' }, { text: '' }];
    for (const ps of [pieces, textOnly, []]) {
      const text = encode([...ps, done]);
      expect(text.endsWith('\n')).toBe(true);
      expect(text.split('\n')).toHaveLength(ps.length + 2);
      expect(parseEvents(text)).toEqual({ ok: true, pieces: ps, done });
    }
  });

  it('one event per line: a newline inside a text stays escaped', () => {
    const text = encode([{ text: 'two\nlines' }, done]);
    expect(text.split('\n')).toHaveLength(3);
    const parsed = parseEvents(text);
    expect(parsed.ok && parsed.pieces[0]?.text).toBe('two\nlines');
  });
});

describe('parseEvents refusals (line number and reason)', () => {
  const ok = encode([...pieces, done]);

  it('a stream without its trailing newline', () => {
    expect(parseEvents(ok.slice(0, -1))).toEqual({
      ok: false,
      line: 4,
      reason: 'the stream does not end with a newline',
    });
    // Cut in the middle of the second line.
    const cut = ok.slice(0, encodeEvent(pieces[0]!).length + 10);
    expect(parseEvents(cut)).toEqual({
      ok: false,
      line: 2,
      reason: 'the stream does not end with a newline',
    });
  });

  it('a line that is not JSON (an empty line too)', () => {
    const lines = ok.split('\n');
    lines.splice(1, 0, '{"text": "unterminated');
    expect(parseEvents(lines.join('\n'))).toEqual({ ok: false, line: 2, reason: 'not JSON' });
    expect(parseEvents(`${encodeEvent(pieces[0]!)}\n${encodeEvent(done)}`)).toEqual({
      ok: false,
      line: 2,
      reason: 'not JSON',
    });
  });

  it('an unknown field in a piece, in the done event and in its usage (strict)', () => {
    const extraPiece = parseEvents(encodeEvent(pieces[0]!) + line({ text: 'x', role: 'a' }));
    expect(extraPiece.ok).toBe(false);
    expect(extraPiece).toMatchObject({ line: 2 });
    expect(!extraPiece.ok && extraPiece.reason).toMatch(/^not a piece: .*role/);

    const extraDone = parseEvents(line({ ...done, total_tokens: 10 }));
    expect(extraDone).toMatchObject({ ok: false, line: 1 });
    expect(!extraDone.ok && extraDone.reason).toMatch(/^not a done event: .*total_tokens/);

    const extraUsage = parseEvents(
      encodeEvent(pieces[0]!) + line({ ...done, usage: { ...done.usage, total_tokens: 10 } }),
    );
    expect(extraUsage).toMatchObject({ ok: false, line: 2 });
    expect(!extraUsage.ok && extraUsage.reason).toMatch(/^not a done event: usage.*total_tokens/);
  });

  it('fields of the wrong type or out of range', () => {
    const cases: [unknown, RegExp][] = [
      [{ text: 1 }, /^not a piece: text/],
      [{ text: 'a', tokens: [-1] }, /^not a piece: tokens\.0/],
      [{ text: 'a', tokens: [1.5] }, /^not a piece: tokens\.0/],
      [{ text: 'a', tokens: [1], logprobs: ['x'] }, /^not a piece: logprobs\.0/],
      [{ text: 'a', tokens: [1], top_logprobs: [[[1]]] }, /^not a piece: top_logprobs\.0\.0/],
      [[1, 2], /^not a piece: /],
      [null, /^not a piece: /],
      [{ ...done, done: false }, /^not a done event: done/],
      [{ ...done, finish_reason: 'eos' }, /^not a done event: finish_reason/],
      [{ ...done, usage: { prompt_tokens: 1 } }, /^not a done event: usage\.completion_tokens/],
    ];
    for (const [value, reason] of cases) {
      const parsed = parseEvents(encodeEvent(pieces[0]!) + line(value) + encodeEvent(done));
      expect(parsed, JSON.stringify(value)).toMatchObject({ ok: false, line: 2 });
      expect(!parsed.ok && parsed.reason, JSON.stringify(value)).toMatch(reason);
    }
  });

  it('logprobs or top_logprobs whose length does not match the tokens', () => {
    const at3 = (piece: unknown) =>
      parseEvents(encode(pieces.slice(0, 2)) + line(piece) + encodeEvent(done));
    expect(at3({ text: 'ab', tokens: [3, 4], logprobs: [-1] })).toEqual({
      ok: false,
      line: 3,
      reason: 'logprobs has 1 entries for 2 tokens',
    });
    expect(at3({ text: 'ab', tokens: [3, 4], logprobs: [-1, -2], top_logprobs: [[]] })).toEqual({
      ok: false,
      line: 3,
      reason: 'top_logprobs has 1 entries for 2 tokens',
    });
    expect(at3({ text: 'a', tokens: [3], logprobs: [-1, -2, -3] })).toEqual({
      ok: false,
      line: 3,
      reason: 'logprobs has 3 entries for 1 tokens',
    });
    expect(at3({ text: 'a', logprobs: [-1] })).toEqual({
      ok: false,
      line: 3,
      reason: 'logprobs has 1 entries for no tokens',
    });
    expect(at3({ text: 'a', top_logprobs: [[[3, -1]]] })).toEqual({
      ok: false,
      line: 3,
      reason: 'top_logprobs has 1 entries for no tokens',
    });
    // Matching lengths parse, logprobs alone or top_logprobs alone.
    expect(at3({ text: 'ab', tokens: [3, 4], logprobs: [-1, -2] }).ok).toBe(true);
    expect(at3({ text: 'ab', tokens: [3, 4], top_logprobs: [[], []] }).ok).toBe(true);
  });

  it('an event after the done event (a piece or a second done)', () => {
    expect(parseEvents(encode([pieces[0]!, done, pieces[1]!]))).toEqual({
      ok: false,
      line: 3,
      reason: 'an event after the done event',
    });
    expect(parseEvents(encode([done, done]))).toEqual({
      ok: false,
      line: 2,
      reason: 'an event after the done event',
    });
    // Even when what follows is not JSON: the done event ends the stream.
    expect(parseEvents(`${encodeEvent(done)}garbage\n`)).toEqual({
      ok: false,
      line: 2,
      reason: 'an event after the done event',
    });
  });

  it('no done event (the line after the last), an empty stream too', () => {
    expect(parseEvents(encode(pieces))).toEqual({
      ok: false,
      line: 4,
      reason: 'the stream ended without its done event',
    });
    expect(parseEvents('')).toEqual({
      ok: false,
      line: 1,
      reason: 'the stream ended without its done event',
    });
  });

  it(`a line longer than ${MAX_EVENT_BYTES} bytes (counted in UTF-8 bytes, not characters)`, () => {
    const overhead = line({ text: '' }).length - 1;
    const exact = line({ text: 'x'.repeat(MAX_EVENT_BYTES - overhead) });
    expect(Buffer.byteLength(exact)).toBe(MAX_EVENT_BYTES + 1);
    expect(parseEvents(exact + encodeEvent(done)).ok).toBe(true);

    const over = line({ text: 'x'.repeat(MAX_EVENT_BYTES - overhead + 1) });
    expect(parseEvents(encodeEvent(pieces[0]!) + over + encodeEvent(done))).toEqual({
      ok: false,
      line: 2,
      reason: `longer than ${MAX_EVENT_BYTES} bytes`,
    });
    // 30,000 three-byte characters: fewer characters than the limit, more bytes.
    const wide = line({ text: '€'.repeat(30_000) });
    expect(wide.length).toBeLessThan(MAX_EVENT_BYTES);
    expect(parseEvents(wide + encodeEvent(done))).toEqual({
      ok: false,
      line: 1,
      reason: `longer than ${MAX_EVENT_BYTES} bytes`,
    });
  });

  // The bound is the test's own timeout: each input is several MB and is refused in one pass.
  it('huge inputs (MBs) are refused without parsing what they need not', {
    timeout: 10_000,
  }, () => {
    const mb = 1024 * 1024;
    // One 8 MB line: refused on its length, never handed to JSON.parse.
    const giant = line({ text: 'y'.repeat(8 * mb) });
    expect(parseEvents(giant)).toEqual({
      ok: false,
      line: 1,
      reason: `longer than ${MAX_EVENT_BYTES} bytes`,
    });
    // 8 MB without a single newline.
    expect(parseEvents('z'.repeat(8 * mb))).toEqual({
      ok: false,
      line: 1,
      reason: 'the stream does not end with a newline',
    });
    // Megabytes of lines after the done event: refused at the first of them.
    const tail = encodeEvent(pieces[1]!).repeat(
      Math.ceil((4 * mb) / encodeEvent(pieces[1]!).length),
    );
    expect(parseEvents(encodeEvent(done) + tail)).toEqual({
      ok: false,
      line: 2,
      reason: 'an event after the done event',
    });
    // A 4 MB stream of valid pieces with its done event parses whole, every piece counted.
    const one = encodeEvent(pieces[1]!);
    const n = Math.ceil((4 * mb) / one.length);
    const parsed = parseEvents(one.repeat(n) + encodeEvent(done));
    expect(parsed.ok && parsed.pieces.length).toBe(n);
    // … and the same with a bad line at its end names that line.
    const bad = parseEvents(`${one.repeat(n)}{\n${encodeEvent(done)}`);
    expect(bad).toEqual({ ok: false, line: n + 1, reason: 'not JSON' });
  });
});
