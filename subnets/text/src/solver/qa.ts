// An extractive QA baseline: reads the documents and the question out of the user turn (as
// `qaMessages` writes them), ranks sentences by IDF-weighted overlap with the question (proper
// nouns count triple, so the planted fact beats a near miss that shares only common words or
// half a name), then cuts the answer span the question kind asks for out of the best sentence.
// It sees only the messages; no answer key, no model.
import { TextSubnetError } from '../errors.js';
import type { ChatMessage as SentMessage } from '../model/sampling.js';

export type QuestionKind = 'who' | 'when' | 'how-many' | 'where' | 'other';

export interface ParsedQa {
  documents: { title: string; text: string }[];
  question: string;
}

function bad(message: string, field = 'messages'): TextSubnetError {
  return new TextSubnetError('INVALID_ARGUMENT', `${field}: ${message}`, { field });
}

/** The last user message's content; throws INVALID_ARGUMENT on anything else. */
export function userContent(messages: readonly SentMessage[]): string {
  if (!Array.isArray(messages)) throw bad('must be an array of { role, content }');
  let content: string | undefined;
  messages.forEach((m, i) => {
    if (
      m === null ||
      typeof m !== 'object' ||
      typeof m.role !== 'string' ||
      typeof m.content !== 'string'
    ) {
      throw bad('must be { role, content } with string fields', `messages[${i}]`);
    }
    if (m.role === 'user') content = m.content;
  });
  if (content === undefined) throw bad('has no user message');
  return content;
}

/** Documents and question from the user turn `qaMessages` writes. */
export function parseQaMessages(messages: readonly SentMessage[]): ParsedQa {
  const content = userContent(messages);
  const q = /\n*Question:\s*([^\n]+?)\s*(?:\nAnswer:\s*)?$/.exec(content);
  if (q === null || q[1]!.trim() === '') throw bad('the user message has no "Question: …" line');
  const body = content.slice(0, q.index).replace(/\n+---\s*$/, '');
  const documents = body
    .split(/\n\s*---\s*\n/)
    .map((chunk) => {
      const m = /^\s*Document\s+\d+:\s*([^\n]*)\n([\s\S]*)$/.exec(chunk);
      return m ? { title: m[1]!.trim(), text: m[2]!.trim() } : { title: '', text: chunk.trim() };
    })
    .filter((d) => d.text.length > 0);
  if (documents.length === 0) throw bad('the user message has no documents before the question');
  return { documents, question: q[1]!.trim() };
}

export function questionKind(question: string): QuestionKind {
  const q = question.toLowerCase();
  if (/^(who|which person|whose)\b/.test(q)) return 'who';
  if (/^(when|in what year|in which year|what year)\b/.test(q)) return 'when';
  if (/^how many\b/.test(q)) return 'how-many';
  if (/^(where|from which|in which|at which|which (port|town|place|city))\b/.test(q))
    return 'where';
  return 'other';
}

const STOP = new Set(
  (
    'a an the of in on at to from by for with and or did does do was were is are be been ' +
    'what which who whom whose when where how many much year its it their his her that this ' +
    'as into within'
  ).split(' '),
);

function words(s: string): string[] {
  return s.match(/[\p{L}\p{N}][\p{L}\p{N}'’,-]*/gu)?.map((w) => w.replace(/[,'’-]+$/u, '')) ?? [];
}

/** Verb forms the documents use interchangeably, folded to one term. */
const SAME: Record<string, string> = {
  built: 'build',
  completed: 'build',
  finished: 'build',
  founded: 'found',
  founding: 'found',
  sailed: 'sail',
  left: 'sail',
  put: 'sail',
  captained: 'captain',
  carrying: 'carry',
  aboard: 'carry',
  hold: 'carry',
  employed: 'employ',
  employees: 'workers',
};

function term(w: string): string {
  const t = w.toLowerCase().replace(/,/g, '');
  return SAME[t] ?? t;
}

function terms(s: string): string[] {
  return words(s)
    .map(term)
    .filter((w) => !STOP.has(w));
}

/** Sentences of a text; a sentence that only refers back ("Within a decade it …") joins the one before. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    for (const raw of para.split(/(?<=[.!?])\s+(?=[A-Z"“])/)) {
      const s = raw.trim();
      if (s === '') continue;
      const refersBack = /\b(it|its|she|he|they)\b/.test(s) && !/\s[A-Z]/.test(s.slice(1));
      if (refersBack && out.length > 0) out[out.length - 1] = `${out[out.length - 1]} ${s}`;
      else out.push(s);
    }
  }
  return out;
}

const PREFIX_WORDS = new Set(['The', 'In', 'Captain', 'Captained', 'A', 'An', 'On', 'At', 'By']);

interface Span {
  text: string;
  /** The word before the span, lower case ('' at the start). */
  before: string;
  start: number;
}

/** Runs of capitalised words ("Orlcombe Head", "Yara Brackmere"), leading "The"/"Captain" cut. */
function capitalRuns(sentence: string): Span[] {
  const out: Span[] = [];
  for (const m of sentence.matchAll(/\p{Lu}[\p{L}’'-]*(?:\s+\p{Lu}[\p{L}’'-]*)*/gu)) {
    let parts = m[0].split(/\s+/);
    let start = m.index;
    while (parts.length > 0 && PREFIX_WORDS.has(parts[0]!)) {
      start += parts[0]!.length + 1;
      parts = parts.slice(1);
    }
    if (parts.length === 0) continue;
    const prefix = sentence.slice(0, start).trimEnd();
    const before = /(\p{L}+)$/u.exec(prefix)?.[1]?.toLowerCase() ?? '';
    out.push({ text: parts.join(' '), before, start });
  }
  return out;
}

function inQuestion(span: string, qTerms: Set<string>): boolean {
  return span.split(/\s+/).some((w) => qTerms.has(w.toLowerCase()));
}

/** The answer span of `kind` in `sentence`, or undefined when it holds none. */
export function extractSpan(
  sentence: string,
  question: string,
  kind: QuestionKind,
): string | undefined {
  const qTerms = new Set(terms(question));
  if (kind === 'when') {
    return /\b(1\d{3}|20\d{2})\b/.exec(sentence)?.[1];
  }
  if (kind === 'how-many') {
    const unit = /^how many\s+([\p{L}-]+)/iu.exec(question)?.[1];
    if (unit !== undefined) {
      const re = new RegExp(`(\\d[\\d,]*(?:\\.\\d+)?)\\s+${escapeRe(unit)}\\b`, 'i');
      const m = re.exec(sentence);
      if (m) return `${m[1]} ${unit}`;
    }
    const nums = [...sentence.matchAll(/\b\d[\d,]*\b/g)].filter(
      (n) => !/^(1\d{3}|20\d{2})$/.test(n[0]),
    );
    return nums[0]?.[0];
  }
  const runs = capitalRuns(sentence).filter((r) => !inQuestion(r.text, qTerms));
  const PLACE_BEFORE = new Set(['at', 'in', 'from', 'left', 'near', 'of']);
  if (kind === 'who') {
    const people = runs.filter((r) => !PLACE_BEFORE.has(r.before) && r.text.includes(' '));
    const preferred = people.find((r) => ['by', 'captain', ''].includes(r.before));
    return (preferred ?? people[0] ?? runs.find((r) => !PLACE_BEFORE.has(r.before)))?.text;
  }
  if (kind === 'where') {
    const places = runs.filter((r) => PLACE_BEFORE.has(r.before));
    const wantsFrom = /\b(from|sail|left|port)\b/i.test(question);
    const preferred = wantsFrom
      ? places.find((r) => r.before === 'from' || r.before === 'left')
      : places.find((r) => r.before === 'in' || r.before === 'at');
    return (preferred ?? places[0])?.text;
  }
  return undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Sentences ranked by IDF-weighted overlap with the question, best first. */
export function rankSentences(
  all: readonly string[],
  question: string,
): { sentence: string; score: number }[] {
  const sets = all.map((s) => new Set(terms(s)));
  const df = new Map<string, number>();
  for (const set of sets) for (const t of set) df.set(t, (df.get(t) ?? 0) + 1);
  const qWords = words(question);
  const weights = new Map<string, number>();
  qWords.forEach((w, i) => {
    const t = term(w);
    if (STOP.has(t)) return;
    const idf = Math.log((all.length + 1) / ((df.get(t) ?? 0) + 0.5));
    const proper = i > 0 && /^\p{Lu}/u.test(w) ? 3 : 1;
    weights.set(t, Math.max(weights.get(t) ?? 0, Math.max(0, idf) * proper));
  });
  return all
    .map((sentence, i) => {
      let score = 0;
      for (const [t, w] of weights) if (sets[i]!.has(t)) score += w;
      return { sentence, score };
    })
    .sort((a, b) => b.score - a.score);
}

/**
 * A brief answer to a grounded QA task from its messages alone: a name, a year, a number with
 * its unit or a place; "unknown" when no sentence of the documents answers the question.
 * Throws INVALID_ARGUMENT when the messages hold no documents or question.
 */
export function solveQa(messages: readonly SentMessage[]): string {
  const { documents, question } = parseQaMessages(messages);
  const kind = questionKind(question);
  const all = documents.flatMap((d) => sentences(d.text));
  const ranked = rankSentences(all, question);
  // The best-matching sentence that holds a span of the kind asked for.
  for (const { sentence, score } of ranked) {
    if (score <= 0) break;
    const span = extractSpan(sentence, question, kind);
    if (span !== undefined) return span;
    if (kind === 'other') return sentence;
  }
  return 'unknown';
}
