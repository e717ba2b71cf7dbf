import { TextSubnetError } from '../errors.js';

/** Id of `<unk>`: every word outside the vocabulary. */
export const UNK_ID = 0;
/** Id of `<eos>`: the end of a passage; also the context before the first token (BOS). */
export const EOS_ID = 1;
export const UNK_TOKEN = '<unk>';
export const EOS_TOKEN = '<eos>';

/**
 * One pre-token: the `<unk>` literal, a newline (→ `<eos>`), an abbreviation (`u.s.`, `mr.`),
 * a word with inner apostrophes (`don't`), a number, a dash (`--`) or one punctuation mark.
 * Everything else (spaces, quotes, brackets, other symbols) only separates tokens.
 */
const TOKEN_RE =
  /<unk>|\n|(?:[a-z]\.){2,}|(?:mrs|mr|ms|dr|jr|sr|st)\.|[a-z]+(?:'[a-z]+)*|[0-9]+|--|[.,;:!?()$%&/+-]/g;

/** Marks glued to the token before them (no space in between). */
const NO_SPACE_BEFORE = new Set(['.', ',', ';', ':', '!', '?', ')', '%', '-']);
/** Marks glued to the token after them. */
const NO_SPACE_AFTER = new Set(['(', '$', '-']);

/**
 * Normalises text the way the tokenizer sees it: Unicode NFKD without combining marks,
 * lowercase, curly apostrophes to `'`, dashes (`—`, `–`, runs of `-`) to `--`, non-breaking
 * hyphens to `-`, `\r` removed.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u2011\u2010]/g, '-')
    .replace(/[\u2014\u2013]|-{2,}/g, ' -- ')
    .replace(/\r/g, '');
}

/**
 * Splits text into surface tokens (strings) after {@link normalizeText}; a newline becomes
 * `<eos>`. No vocabulary is applied.
 */
export function pretokenize(text: string): string[] {
  const normalized = normalizeText(text);
  const out: string[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(normalized); m !== null; m = TOKEN_RE.exec(normalized)) {
    out.push(m[0] === '\n' ? EOS_TOKEN : m[0]);
  }
  return out;
}

export interface Tokenizer {
  /** Token strings by id: `vocab[0] = '<unk>'`, `vocab[1] = '<eos>'`. */
  readonly vocab: readonly string[];
  readonly size: number;
  /** Text → ids: {@link pretokenize}, then each token's id (`<unk>` when outside the vocabulary). */
  encode(text: string): number[];
  /**
   * Ids → text. Tokens are joined by one space, except: no space before `. , ; : ! ? ) % -`,
   * none after `( $ -`, none around `<eos>` (rendered as `\n`), and a space wherever gluing
   * two tokens would make the encoder read them differently (`mr` + `.` is `mr .`, not the
   * abbreviation `mr.`; `-` + `-` is `- -`, not the dash `--`). So `encode(decode(ids))`
   * equals `ids` for every id sequence.
   */
  decode(ids: readonly number[]): string;
  /**
   * The text `decode` adds for `id` after `prev` (`undefined` at the start): concatenating the
   * pieces of a sequence gives its `decode`.
   */
  piece(prev: number | undefined, id: number): string;
  idOf(token: string): number;
}

/** Builds a tokenizer over a vocabulary whose ids 0 and 1 are `<unk>` and `<eos>`. */
export function createTokenizer(vocab: readonly string[]): Tokenizer {
  if (vocab[UNK_ID] !== UNK_TOKEN || vocab[EOS_ID] !== EOS_TOKEN) {
    throw new TextSubnetError('INVALID_ARGUMENT', 'vocab must start with <unk>, <eos>', {
      field: 'vocab',
    });
  }
  const ids = new Map<string, number>();
  vocab.forEach((token, id) => {
    if (ids.has(token)) {
      throw new TextSubnetError('INVALID_ARGUMENT', `vocab has "${token}" twice`, {
        field: 'vocab',
      });
    }
    ids.set(token, id);
  });
  const size = vocab.length;
  const surface = (id: number): string => {
    const token = vocab[id];
    if (token === undefined || !Number.isInteger(id)) {
      throw new TextSubnetError('INVALID_ARGUMENT', `token id ${id} is outside [0, ${size})`, {
        field: 'ids',
      });
    }
    return id === EOS_ID ? '\n' : token;
  };
  const piece = (prev: number | undefined, id: number): string => {
    const cur = surface(id);
    if (prev === undefined) return cur;
    const before = surface(prev);
    if (id === EOS_ID || prev === EOS_ID) return cur;
    const glued = NO_SPACE_BEFORE.has(cur) || NO_SPACE_AFTER.has(before);
    if (!glued) return ` ${cur}`;
    const scanned = pretokenize(before + cur);
    return scanned.length === 2 && scanned[0] === before && scanned[1] === cur ? cur : ` ${cur}`;
  };
  return {
    vocab,
    size,
    encode(text) {
      return pretokenize(text).map((token) => ids.get(token) ?? UNK_ID);
    },
    decode(list) {
      let out = '';
      let prev: number | undefined;
      for (const id of list) {
        out += piece(prev, id);
        prev = id;
      }
      return out;
    },
    piece,
    idOf(token) {
      return ids.get(token) ?? UNK_ID;
    },
  };
}

/**
 * The vocabulary of a token-count table: `<unk>`, `<eos>`, then the `size - 2` most frequent
 * tokens (count descending, then by UTF-16 code units ascending).
 */
export function buildVocab(counts: ReadonlyMap<string, number>, size: number): string[] {
  const ranked = [...counts.entries()]
    .filter(([token]) => token !== UNK_TOKEN && token !== EOS_TOKEN)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return [UNK_TOKEN, EOS_TOKEN, ...ranked.slice(0, size - 2).map(([token]) => token)];
}
