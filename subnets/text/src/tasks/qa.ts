// Grounded QA: a seed becomes 1–3 short documents about a fictional world with one planted
// fact, similar-but-different distractor facts, and one question only the documents answer.
// Every name, place and number is drawn unique within the task (see world.ts), so the answer
// is stated exactly once and no distractor equals it.

import { assertSeed, type SeededRandom, seededRandom } from '@subnetkit/neuron/random';
import { invalidArgument } from '../metrics/invalid.js';
import type { ChatMessage } from './messages.js';
import { FILLER, QA_TITLES, STRUCTURES } from './words.js';
import { capitalise, formatCount, type Person, UniquePool } from './world.js';

export const QA_KINDS = ['who', 'when', 'how-many', 'where'] as const;
export type QaKind = (typeof QA_KINDS)[number];

export interface QaDocument {
  title: string;
  text: string;
}

export interface QaAnswer {
  /** The answer as the validator would write it ("Mara Quillby", "1887", "1,412 barrels"). */
  canonical: string;
  /** Other accepted forms ("in 1887", "1412"); compared after normalizeAnswer. */
  variants: string[];
  /** Values of the same kind the documents also state: wrong answers a guesser might give. */
  distractors: string[];
}

export interface QaTask {
  kind: QaKind;
  documents: QaDocument[];
  question: string;
  answer: QaAnswer;
  /** The planted sentence that states the answer (for evidence; not sent to the miner). */
  fact: string;
  /** Longest answer, in words, the length window accepts in full. */
  maxWords: number;
  /** Ready to send: a system message (answer briefly, from the documents only) and the user turn. */
  messages: ChatMessage[];
}

export interface QaTaskOptions {
  /** Ask this kind of question (default: drawn from the seed). */
  kind?: QaKind;
  /** How many documents, 1–3 (default: drawn from the seed). */
  documents?: number;
}

type Asked = { question: string; canonical: string; variants: string[] };

interface Fact {
  sentence: string;
  person: string;
  year: string;
  /** The count as written ("1,412"), when the fact has one. */
  count?: string;
  /** The place the fact states as a where-answer, when it has one. */
  where?: string;
  /** Other places the sentence names. */
  places: string[];
  ask: Partial<Record<QaKind, Asked>>;
}

type Family = 'construction' | 'voyage' | 'company';

const FAMILIES_FOR: Record<QaKind, readonly Family[]> = {
  who: ['construction', 'voyage', 'company'],
  when: ['construction', 'voyage', 'company'],
  'how-many': ['voyage', 'company'],
  where: ['voyage', 'company'],
};

/** A near miss shares part of the subject of the fact it imitates. */
interface Near {
  structure?: string;
  /** A structure the near miss must not have (it shares the place instead). */
  notStructure?: string;
  place?: string;
  shipHead?: string;
  companyRoot?: string;
  cargo?: { cargo: string; unit: string };
}

type Maker = (rng: SeededRandom, pool: UniquePool, near?: Near) => { fact: Fact; near: Near };

function construction(rng: SeededRandom, pool: UniquePool, near: Near = {}) {
  const structure = near.structure ?? rng.pick(STRUCTURES.filter((s) => s !== near.notStructure));
  const place = near.place ?? pool.place();
  const p: Person = pool.person();
  const year = String(pool.year());
  const subject = `the ${structure} at ${place}`;
  const sentence = rng.pick([
    `${capitalise(subject)} was built in ${year} by ${p.full}.`,
    `${p.full} built ${subject} in ${year}.`,
    `In ${year}, ${p.full} completed ${subject}.`,
  ]);
  const fact: Fact = {
    sentence,
    person: p.full,
    year,
    places: [place],
    ask: {
      who: {
        question: rng.pick([`Who built ${subject}?`, `Which person built ${subject}?`]),
        canonical: p.full,
        variants: [`by ${p.full}`],
      },
      when: {
        question: rng.pick([`In what year was ${subject} built?`, `When was ${subject} built?`]),
        canonical: year,
        variants: [`in ${year}`],
      },
    },
  };
  return { fact, near: { structure, place } };
}

function voyage(rng: SeededRandom, pool: UniquePool, near: Near = {}) {
  const ship = pool.ship(near.shipHead);
  const port = pool.place();
  const p = pool.person();
  const year = String(pool.year());
  const { cargo, unit } = near.cargo ?? pool.cargo();
  const count = formatCount(pool.number(12, 4800));
  const load = `${count} ${unit} of ${cargo}`;
  const sentence = rng.pick([
    `In ${year}, ${ship} sailed from ${port} under Captain ${p.full}, carrying ${load}.`,
    `Captained by ${p.full}, ${ship} left ${port} in ${year} with ${load} in her hold.`,
    `${capitalise(ship)} put out from ${port} in ${year}; Captain ${p.full} had ${load} aboard.`,
  ]);
  const fact: Fact = {
    sentence,
    person: p.full,
    year,
    count,
    where: port,
    places: [],
    ask: {
      who: {
        question: rng.pick([`Who was the captain of ${ship}?`, `Who captained ${ship}?`]),
        canonical: p.full,
        variants: [`Captain ${p.full}`],
      },
      when: {
        question: `In what year did ${ship} sail with its cargo of ${cargo}?`,
        canonical: year,
        variants: [`in ${year}`],
      },
      'how-many': {
        question: `How many ${unit} of ${cargo} did ${ship} carry?`,
        canonical: `${count} ${unit}`,
        variants: [count, count.replace(/,/g, ''), load],
      },
      where: {
        question: rng.pick([`From which port did ${ship} sail?`, `Where did ${ship} sail from?`]),
        canonical: port,
        variants: [`from ${port}`],
      },
    },
  };
  return { fact, near: { shipHead: pool.shipHead(ship), cargo: { cargo, unit } } };
}

function company(rng: SeededRandom, pool: UniquePool, near: Near = {}) {
  const { name, root } = pool.company(near.companyRoot);
  const town = pool.place();
  const p = pool.person();
  const year = String(pool.year());
  const count = formatCount(pool.number(12, 4800));
  const sentence = rng.pick([
    `${capitalise(name)} was founded in ${town} in ${year} by ${p.full}. Within a decade it employed ${count} workers.`,
    `${p.full} founded ${name} at ${town} in ${year}; ten years later it had ${count} workers on its books.`,
  ]);
  const fact: Fact = {
    sentence,
    person: p.full,
    year,
    count,
    where: town,
    places: [],
    ask: {
      who: {
        question: rng.pick([`Who founded ${name}?`, `Which person founded ${name}?`]),
        canonical: p.full,
        variants: [`by ${p.full}`],
      },
      when: {
        question: `In what year was ${name} founded?`,
        canonical: year,
        variants: [`in ${year}`],
      },
      'how-many': {
        question: `How many workers did ${name} employ within a decade of its founding?`,
        canonical: `${count} workers`,
        variants: [count, count.replace(/,/g, ''), `${count} employees`, `${count} people`],
      },
      where: {
        question: rng.pick([`In which town was ${name} founded?`, `Where was ${name} founded?`]),
        canonical: town,
        variants: [`in ${town}`, `at ${town}`],
      },
    },
  };
  return { fact, near: { companyRoot: root } };
}

const MAKERS: Record<Family, Maker> = { construction, voyage, company };

/** The same-kind values of every fact but the target, as a wrong answer would name them. */
function distractorsOf(kind: QaKind, target: Fact, facts: Fact[], homes: string[]): string[] {
  const out: string[] = [];
  for (const f of facts) {
    if (kind === 'who' && f !== target) out.push(f.person);
    if (kind === 'when' && f !== target) out.push(f.year);
    if (kind === 'how-many' && f !== target && f.count !== undefined) out.push(f.count);
    if (kind === 'where') {
      if (f !== target && f.where !== undefined) out.push(f.where);
      out.push(...f.places);
    }
  }
  if (kind === 'where') out.push(...homes);
  return [...new Set(out)];
}

/**
 * A grounded QA task from a 32-byte seed: the same seed (and options) gives the same task.
 * Throws (INVALID_ARGUMENT naming the field) on a bad seed or option.
 */
export function createQaTask(seed: Uint8Array, options: QaTaskOptions = {}): QaTask {
  assertSeed(seed);
  if (options.kind !== undefined && !QA_KINDS.includes(options.kind)) {
    throw invalidArgument('kind', `must be one of ${QA_KINDS.join(', ')}`);
  }
  const nDocsOption = options.documents;
  if (
    nDocsOption !== undefined &&
    (!Number.isInteger(nDocsOption) || nDocsOption < 1 || nDocsOption > 3)
  ) {
    throw invalidArgument('documents', `must be 1, 2 or 3, got ${String(nDocsOption)}`);
  }
  const rng = seededRandom(seed, 'text/qa');
  const pool = new UniquePool(rng.fork('world'));
  const kind = options.kind ?? rng.pick(QA_KINDS);
  const nDocs = nDocsOption ?? 1 + rng.int(3);
  const family = rng.pick(FAMILIES_FOR[kind]);
  const make = MAKERS[family];

  const target = make(rng, pool);
  const facts: Fact[] = [target.fact];
  // A near miss (same structure or ship or company root, other values) and an unrelated
  // fact of the same family, then facts of other families as context.
  if (family === 'construction') {
    const { structure, place } = target.near;
    facts.push(make(rng, pool, { structure }).fact);
    facts.push(make(rng, pool, { place, notStructure: structure }).fact);
  } else facts.push(make(rng, pool, target.near).fact);
  facts.push(make(rng, pool).fact);
  const others = (Object.keys(MAKERS) as Family[]).filter((f) => f !== family);
  for (let i = 0, n = nDocs + rng.int(2); i < n; i++)
    facts.push(MAKERS[rng.pick(others)](rng, pool).fact);

  // Deal the facts to documents: each document gets at least one.
  const order = rng.shuffle(facts);
  const perDoc: Fact[][] = Array.from({ length: nDocs }, () => []);
  for (const [i, f] of order.entries()) perDoc[i < nDocs ? i : rng.int(nDocs)]!.push(f);

  const homes: string[] = [];
  const documents = perDoc.map((docFacts) => {
    const home = pool.place();
    homes.push(home);
    const fillers = rng.shuffle(FILLER).map((s) => s.replaceAll('{place}', home));
    const paragraphs: string[][] = Array.from({ length: 2 + rng.int(2) }, () => []);
    for (const f of docFacts) paragraphs[rng.int(paragraphs.length)]!.push(f.sentence);
    let next = 0;
    const text = paragraphs
      .map((sentences) => {
        for (let i = 0, n = 1 + rng.int(2); i < n && next < fillers.length; i++) {
          sentences.splice(rng.int(sentences.length + 1), 0, fillers[next++]!);
        }
        return sentences.join(' ');
      })
      .join('\n\n');
    return { title: rng.pick(QA_TITLES).replaceAll('{place}', home), text };
  });

  const asked = target.fact.ask[kind]!;
  const answer: QaAnswer = {
    canonical: asked.canonical,
    variants: asked.variants,
    distractors: distractorsOf(kind, target.fact, facts, homes),
  };
  const maxWords = Math.max(8, 2 * Math.max(...[asked.canonical, ...asked.variants].map(words)));
  return {
    kind,
    documents,
    question: asked.question,
    answer,
    fact: target.fact.sentence,
    maxWords,
    messages: qaMessages(documents, asked.question),
  };
}

function words(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

export const QA_SYSTEM_PROMPT =
  'You answer a question about the documents you are given. Use only the documents, not ' +
  'outside knowledge. Reply with the answer alone (a name, a year, a number with its unit, ' +
  'or a place) in a few words, with no explanation. If the documents do not say, reply "unknown".';

/** The chat messages for documents and a question (the system prompt, then one user turn). */
export function qaMessages(documents: readonly QaDocument[], question: string): ChatMessage[] {
  const docs = documents
    .map((d, i) => `Document ${i + 1}: ${d.title}\n\n${d.text}`)
    .join('\n\n---\n\n');
  return [
    { role: 'system', content: QA_SYSTEM_PROMPT },
    { role: 'user', content: `${docs}\n\n---\n\nQuestion: ${question}\nAnswer:` },
  ];
}
