// An extractive baseline for the extraction tasks: reads the page and the instruction out of
// the user turn, turns HTML into the same lines plain text has ("Label: value", "# Heading",
// "* item", paragraphs), then fills each requested field from a label row that names it, or
// from the sentence its description points at (a number beside its noun, a date beside
// "published", a name after "coxswain"), skipping look-alike values ("was $…", last year's
// date, the previous call-out). Summary mode takes the page's lead: its heading and opening
// sentences, with the key label rows, cut to the asked word window. No model, no answer key.
import { TextSubnetError } from '../errors.js';
import type { ChatMessage as SentMessage } from '../model/sampling.js';
import { userContent } from './qa.js';

export interface RequestedField {
  name: string;
  type: 'string' | 'number' | 'boolean';
  description: string;
}

export interface ParsedExtraction {
  mode: 'extract' | 'summary';
  page: string;
  fields: RequestedField[];
  window: { minWords: number; maxWords: number };
}

export interface PageView {
  /** The first "# " heading (or the HTML title). */
  heading: string;
  /** "Label: value" rows. */
  rows: { label: string; value: string }[];
  /** Sentences of the body paragraphs, in page order (nav, lists and footer left out). */
  sentences: string[];
  /** Every line of the body, rows and list items included. */
  lines: string[];
  footer: string;
}

function bad(message: string, field = 'messages'): TextSubnetError {
  return new TextSubnetError('INVALID_ARGUMENT', `${field}: ${message}`, { field });
}

/** The page, the mode and the requested fields (or the summary window) from the messages. */
export function parseExtractionMessages(messages: readonly SentMessage[]): ParsedExtraction {
  const content = userContent(messages);
  const page = /<<<\n([\s\S]*?)\n>>>/.exec(content);
  if (page === null) throw bad('the user message has no page between <<< and >>>');
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const after = content.slice(page.index + page[0].length);
  const fields: RequestedField[] = [];
  for (const m of after.matchAll(/^\s*-\s*"([^"]+)"\s*\((string|number|boolean)\)\s*:\s*(.*)$/gm)) {
    fields.push({ name: m[1]!, type: m[2] as RequestedField['type'], description: m[3]!.trim() });
  }
  const w = /(\d+)\s*(?:to|-|–)\s*(\d+)\s*words/.exec(`${system} ${after}`);
  const window = w
    ? { minWords: Number(w[1]), maxWords: Number(w[2]) }
    : { minWords: 10, maxWords: 40 };
  if (fields.length > 0) return { mode: 'extract', page: page[1]!, fields, window };
  if (/summar/i.test(`${system} ${after}`))
    return { mode: 'summary', page: page[1]!, fields, window };
  throw bad('the instruction asks for neither fields ("- "name" (type): …") nor a summary');
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};

function decodeEntities(s: string): string {
  return s.replace(/&(#?\w+);/g, (all, e: string) => ENTITIES[e] ?? all);
}

/** An HTML page as the plain-text lines the text pages use. */
export function htmlToText(html: string): string {
  const title = /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '';
  let s = html.replace(/<head>[\s\S]*?<\/head>/i, '');
  s = s.replace(/<nav>[\s\S]*?<\/nav>/gi, '');
  s = s.replace(/<footer>([\s\S]*?)<\/footer>/gi, '\n--\n$1\n');
  s = s.replace(/<dt>([\s\S]*?)<\/dt>\s*<dd>([\s\S]*?)<\/dd>/gi, '\n$1: $2\n');
  s = s.replace(/<li>/gi, '\n* ');
  s = s.replace(/<h1[^>]*>/gi, '\n# ').replace(/<h2[^>]*>/gi, '\n## ');
  s = s.replace(/<\/(p|h1|h2|h3|li|ul|dl|div|main|section)>/gi, '\n\n');
  s = s.replace(/<[^>]+>/g, '');
  s = decodeEntities(s);
  const text = s
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return /^# /m.test(text) ? text : `# ${decodeEntities(title)}\n\n${text}`;
}

export function readPage(page: string): PageView {
  const text = /^\s*<(!doctype|html)/i.test(page) ? htmlToText(page) : page;
  const [body, ...foot] = text.split(/\n--\n/);
  const rows: PageView['rows'] = [];
  const sentences: string[] = [];
  const lines: string[] = [];
  let heading = '';
  const all = body!.split('\n').map((l) => l.trim());
  all.forEach((line, i) => {
    if (line === '') return;
    if (i === 0 && line.includes(' | ')) return; // the nav bar of a text page
    lines.push(line);
    if (line.startsWith('# ')) {
      if (heading === '') heading = line.slice(2).trim();
      return;
    }
    if (line.startsWith('#') || line.startsWith('* ')) return;
    const row = /^([A-Z][\w’' ]{0,30}):\s+(.+)$/.exec(line);
    if (row) {
      rows.push({ label: row[1]!, value: row[2]! });
      return;
    }
    sentences.push(...splitSentences(line));
  });
  return { heading, rows, sentences, lines, footer: foot.join('\n').trim() };
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const GENERIC = new Set(
  (
    'the a an of in it is its to and or a number without sign how many whether format ' +
    'which what who name value s dollars took part'
  ).split(' '),
);

/** The 5-letter stems of a field's name and description that say what it is. */
function keywords(field: RequestedField): string[] {
  const ws = `${field.name.replace(/_/g, ' ')} ${field.description}`
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .match(/[a-z]+/g);
  return [...new Set((ws ?? []).filter((w) => !GENERIC.has(w) && w.length > 1).map(stem))];
}

function stem(w: string): string {
  return w.toLowerCase().slice(0, 5);
}

function wordsOf(s: string): string[] {
  return s.match(/[\p{L}\p{N}$][\p{L}\p{N}$.,’'-]*/gu) ?? [];
}

/** A sentence that states an older or other value than the one a field asks about. */
const LOOK_ALIKE = /\b(last year|previous|two winters ago|earlier|formerly|also viewed)/i;

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_RE = MONTHS.join('|');
const DATE_RE = new RegExp(
  `\\b(\\d{4})-(\\d{2})-(\\d{2})\\b|\\b(\\d{1,2})\\s+(${MONTH_RE})\\s+(\\d{4})\\b|\\b(${MONTH_RE})\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`,
  'gi',
);

/** Every date in `s`, as YYYY-MM-DD. */
export function datesIn(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(DATE_RE)) {
    if (m[1]) out.push(`${m[1]}-${m[2]}-${m[3]}`);
    else {
      const day = m[4] ?? m[8]!;
      const month = MONTHS.indexOf((m[5] ?? m[7]!).toLowerCase()) + 1;
      const year = m[6] ?? m[9]!;
      out.push(`${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}`);
    }
  }
  return out;
}

/** The money amounts of `s` not introduced as an old price ("was $53.99"). */
function moneyIn(s: string): number[] {
  const out: number[] = [];
  for (const m of s.matchAll(/\$\s?(\d[\d,]*(?:\.\d+)?)/g)) {
    const before = s.slice(Math.max(0, m.index - 12), m.index).toLowerCase();
    if (/\b(was|from|before)\s*$/.test(before)) continue;
    out.push(Number(m[1]!.replace(/,/g, '')));
  }
  return out;
}

function hits(text: string, keys: readonly string[]): number {
  const stems = new Set(wordsOf(text).map(stem));
  return keys.filter((k) => stems.has(k)).length;
}

/** The label row that names the field best (at least one keyword), if any. */
function rowFor(view: PageView, keys: readonly string[]) {
  let best: { label: string; value: string } | undefined;
  let bestHits = 0;
  for (const row of view.rows) {
    const h = hits(row.label, keys);
    if (h > bestHits) {
      best = row;
      bestHits = h;
    }
  }
  return best;
}

/** Sentences (then lines) that mention the field's keywords, best first, look-alikes last. */
function sentencesFor(view: PageView, keys: readonly string[]): string[] {
  const pool = [view.heading, ...view.sentences];
  return pool
    .map((s, i) => ({ s, h: hits(s, keys) - (LOOK_ALIKE.test(s) ? 10 : 0), i }))
    .filter((x) => x.h > 0)
    .sort((a, b) => b.h - a.h || a.i - b.i)
    .map((x) => x.s);
}

const CAP_RUN = /\p{Lu}[\p{L}’'-]*(?:\s+\p{Lu}[\p{L}’'-]*)*/gu;
const LEADING = /^(The|A|An|In|On|At|By|Captain)\s+/;

/** The capitalised run right after `word` ("coxswain Niall Tarren" → "Niall Tarren"). */
function runAfter(s: string, keys: readonly string[]): string | undefined {
  for (const m of s.matchAll(
    /([\p{L}]+)\s+(?:the\s+)?(\p{Lu}[\p{L}’'-]*(?:\s+\p{Lu}[\p{L}’'-]*)*)/gu,
  )) {
    if (keys.includes(stem(m[1]!))) return m[2]!;
  }
  return undefined;
}

/** The capitalised run right before a keyword ("The Ostfell lifeboat" → "Ostfell"). */
function runBefore(s: string, keys: readonly string[]): string | undefined {
  for (const m of s.matchAll(CAP_RUN)) {
    const next = /^\s+([\p{L}]+)/u.exec(s.slice(m.index + m[0].length))?.[1];
    if (next !== undefined && keys.includes(stem(next))) {
      const run = m[0].replace(LEADING, '');
      if (run !== '' && !LEADING.test(`${run} `)) return run;
    }
  }
  return undefined;
}

/** A number beside one of the field's nouns ("6 volunteers", "rescues 15"). */
function numberNear(s: string, keys: readonly string[]): number | undefined {
  const ws = wordsOf(s);
  let best: number | undefined;
  let bestScore = 0;
  ws.forEach((w, i) => {
    const m = /^(\d[\d,]*(?:\.\d+)?)(?:-[a-z]+)?$/.exec(w.replace(/[.,]$/, ''));
    if (!m || /-/.test(w)) return;
    let score = 0;
    for (let j = Math.max(0, i - 2); j <= Math.min(ws.length - 1, i + 2); j++) {
      if (j !== i && keys.includes(stem(ws[j]!))) score += j === i + 1 ? 2 : 1;
    }
    if (score > bestScore) {
      bestScore = score;
      best = Number(m[1]!.replace(/,/g, ''));
    }
  });
  return best;
}

function isPlaceField(f: RequestedField): boolean {
  return /\b(town|city|place|village|port)\b/i.test(
    `${f.name.replace(/_/g, ' ')} ${f.description}`,
  );
}

/** One field's value read from the page, or undefined when the page does not say. */
export function readField(
  view: PageView,
  field: RequestedField,
): string | number | boolean | undefined {
  const keys = keywords(field);
  const desc = field.description.toLowerCase();
  const row = rowFor(view, keys);
  const found = sentencesFor(view, keys);
  const text = [...view.sentences, ...view.lines].join('\n');

  if (field.type === 'boolean') {
    const phrase = /whether (?:it is |it's |there is )?(.+)$/.exec(desc)?.[1]?.trim();
    const hay = text.toLowerCase();
    if (/\b(out of stock|sold out|unavailable)\b/.test(hay) && /stock|availab/.test(desc))
      return false;
    return phrase !== undefined && hay.includes(phrase);
  }
  if (/yyyy-mm-dd|\bdate\b/.test(desc)) {
    for (const s of [row?.value, ...found, ...view.sentences.filter((x) => !LOOK_ALIKE.test(x))]) {
      const d = s === undefined ? undefined : datesIn(s)[0];
      if (d !== undefined) return /yyyy-mm-dd/.test(desc) ? d : s!.match(DATE_RE)![0];
    }
    return undefined;
  }
  if (field.type === 'number') {
    const wantsMoney = /\$|dollar|price|cost/.test(desc);
    const sources = [row?.value, ...found, ...view.sentences.filter((x) => !LOOK_ALIKE.test(x))];
    for (const s of sources) {
      if (s === undefined) continue;
      if (wantsMoney) {
        const m = moneyIn(s)[0];
        if (m !== undefined) return m;
        continue;
      }
      const n =
        s === row?.value
          ? Number(/\d[\d,]*(?:\.\d+)?/.exec(s)?.[0]?.replace(/,/g, ''))
          : numberNear(s, keys);
      if (n !== undefined && Number.isFinite(n)) return n;
    }
    return undefined;
  }
  // Strings.
  if (row !== undefined) {
    let v = row.value;
    if (/without the (town|city|place)/.test(desc)) v = v.replace(/,[^,]*$/, '');
    return v.trim();
  }
  if (
    /(product|event|item|page|article|story)’?'?s name|\bheadline\b|\btitle\b/.test(desc) ||
    field.name === 'name'
  ) {
    return view.heading;
  }
  if (isPlaceField(field)) {
    // A venue or address row names the town after its last comma.
    const addr = view.rows.find((r) => /,\s*\p{Lu}/u.test(r.value) && !/\$/.test(r.value));
    if (addr !== undefined) return addr.value.replace(/^.*,\s*/, '').trim();
    const placeKeys = keys.filter((k) => !['town', 'city', 'place'].includes(k));
    for (const s of [view.heading, ...view.sentences]) {
      const r = runBefore(s, placeKeys);
      if (r !== undefined) return r;
    }
  }
  // "the vessel the people were rescued from": the run after that preposition, in a sentence
  // about the field.
  const prep = /\b(from|by|at|in|of|to|on)$/.exec(desc)?.[1];
  for (const s of found) {
    if (prep !== undefined) {
      const m = new RegExp(
        `\\b${prep}\\s+((?:the\\s+)?\\p{Lu}[\\p{L}’'-]*(?:\\s+\\p{Lu}[\\p{L}’'-]*)*)`,
        'u',
      ).exec(s);
      if (m) return m[1]!;
    }
    const r = runAfter(s, keys);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** The JSON object an extract task asks for, with exactly its keys (null where the page is silent). */
export function extractFields(
  page: string,
  fields: readonly RequestedField[],
): Record<string, unknown> {
  const view = readPage(page);
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.name] = readField(view, f) ?? null;
  return out;
}

function countWords(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

/**
 * A lead summary: the heading and the page's opening sentences (look-alike ones left out),
 * then label rows, while they fit in `maxWords`; padded from the rest when under `minWords`.
 */
export function summarise(page: string, window: { minWords: number; maxWords: number }): string {
  const view = readPage(page);
  const lead: string[] = [];
  let n = 0;
  const add = (s: string): void => {
    const w = countWords(s);
    if (n + w <= window.maxWords) {
      lead.push(s);
      n += w;
    }
  };
  const firsts = view.sentences.filter((s) => !LOOK_ALIKE.test(s));
  const headingStated = firsts.slice(0, 2).some((s) => s.includes(view.heading));
  if (view.heading !== '' && !headingStated) add(`${view.heading}.`);
  // Sentences that carry a fact (a capitalised name or a number) or are a short status line
  // ("Out of stock."), in page order.
  const facty = firsts.filter((s) => /\d|\s\p{Lu}/u.test(s.slice(1)) || countWords(s) <= 6);
  for (const s of facty.slice(0, 4)) add(/[.!?]$/.test(s) ? s : `${s}.`);
  for (const r of view.rows) {
    const s = `${r.label}: ${r.value}.`;
    if (!lead.some((l) => l.includes(r.value))) add(s);
  }
  for (const s of firsts) if (n < window.minWords && !lead.includes(s)) add(s);
  return lead.join(' ');
}

/**
 * The answer to an extraction task from its messages alone: a JSON object with exactly the
 * requested keys (extract mode) or a short summary within the asked word window.
 */
export function solveExtraction(messages: readonly SentMessage[]): string {
  const parsed = parseExtractionMessages(messages);
  if (parsed.mode === 'extract') return JSON.stringify(extractFields(parsed.page, parsed.fields));
  return summarise(parsed.page, parsed.window);
}
