// Extraction and summary over fixture pages: a seed becomes one deterministic page (a product
// page, an event notice or a short news item, as simple HTML or plain text) rendered from
// seeded fields, with look-alike values beside the real ones (an old price, last year's date,
// other products), and a task that asks either for some of those fields as JSON or for a
// short summary. The validator knows the answer because it wrote the page.

import { assertSeed, type SeededRandom, seededRandom } from '@subnetkit/neuron/random';
import { invalidArgument } from '../metrics/invalid.js';
import type { ExtractionExpected } from '../metrics/score.js';
import type { ChatMessage } from './messages.js';
import { formatCount, UniquePool } from './world.js';

export const PAGE_KINDS = ['product', 'event', 'news'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];
export type PageFormat = 'html' | 'text';
export type ExtractionMode = 'extract' | 'summary';

export interface FixturePage {
  kind: PageKind;
  format: PageFormat;
  title: string;
  /** The page as served: an HTML document or plain text. */
  content: string;
}

export interface FieldSpec {
  name: string;
  type: 'string' | 'number' | 'boolean';
  /** What the field holds and in which format, as the prompt says it. */
  description: string;
}

/** One fact a faithful summary states, in any of its accepted written forms. */
export interface KeyFact {
  label: string;
  forms: string[];
}

export interface ExtractionTask {
  mode: ExtractionMode;
  page: FixturePage;
  /** The fields asked for (extract mode; empty for summary). */
  fields: FieldSpec[];
  /** The answer key `extractionScore` takes. */
  expected: ExtractionExpected;
  /** Scoring hints for miners' feedback and logs; `expected` is what the score uses. */
  scoring: {
    /** Extract: 'matched / (expected + extra)'; summary: 'length × (0.5 rougeL + 0.5 coverage)'. */
    formula: string;
    /** Summary: the word window; extract: undefined. */
    window?: { minWords: number; maxWords: number };
  };
  messages: ChatMessage[];
}

export interface ExtractionTaskOptions {
  mode?: ExtractionMode;
  page?: PageKind;
  format?: PageFormat;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface PageDate {
  iso: string;
  /** "Saturday 17 April 2027". */
  long: string;
  /** "17 April 2027". */
  dmy: string;
  /** "April 17, 2027". */
  mdy: string;
}

function drawDate(rng: SeededRandom, year: number): PageDate {
  const month = rng.int(12);
  const day = 1 + rng.int(28);
  const d = new Date(Date.UTC(year, month, day));
  const iso = `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const dmy = `${day} ${MONTHS[month]} ${year}`;
  return {
    iso,
    dmy,
    long: `${WEEKDAYS[d.getUTCDay()]} ${dmy}`,
    mdy: `${MONTHS[month]} ${day}, ${year}`,
  };
}

function dateForms(d: PageDate): string[] {
  return [d.iso, d.dmy, d.mdy];
}

function money(cents: number): string {
  return `$${formatCount(Math.floor(cents / 100))}.${String(cents % 100).padStart(2, '0')}`;
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A page's content as blocks; rendered to HTML or text by {@link render}. */
type Block =
  | { t: 'h1' | 'h2' | 'p'; text: string }
  | { t: 'dl'; rows: [string, string][] }
  | { t: 'ul'; items: string[] };

function render(format: PageFormat, title: string, nav: string[], blocks: Block[], footer: string) {
  if (format === 'text') {
    const out: string[] = [nav.join(' | '), ''];
    for (const b of blocks) {
      if (b.t === 'dl') out.push(...b.rows.map(([k, v]) => `${k}: ${v}`), '');
      else if (b.t === 'ul') out.push(...b.items.map((i) => `* ${i}`), '');
      else if (b.t === 'h1') out.push(`# ${b.text}`, '');
      else if (b.t === 'h2') out.push(`## ${b.text}`, '');
      else out.push(b.text, '');
    }
    out.push('--', footer);
    return out.join('\n');
  }
  const e = escapeHtml;
  const body = blocks.map((b) => {
    if (b.t === 'dl') {
      return `<dl>${b.rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
    }
    if (b.t === 'ul') return `<ul>${b.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
    return `<${b.t}>${e(b.text)}</${b.t}>`;
  });
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title></head>`,
    '<body>',
    `<nav>${nav.map((n) => `<a href="#">${e(n)}</a>`).join(' ')}</nav>`,
    '<main>',
    ...body,
    '</main>',
    `<footer>${e(footer)}</footer>`,
    '</body></html>',
  ].join('\n');
}

/** What a page generator returns: the page's blocks, every field, and the summary's key. */
interface Drawn {
  title: string;
  nav: string[];
  blocks: Block[];
  footer: string;
  fields: (FieldSpec & { value: string | number | boolean })[];
  reference: string;
  keyFacts: KeyFact[];
}

const MATERIALS = ['Copper', 'Oak', 'Linen', 'Enamel', 'Brass', 'Stoneware', 'Walnut', 'Wool'];
const ITEMS = [
  'Kettle',
  'Lamp',
  'Teapot',
  'Blanket',
  'Clock',
  'Chair',
  'Skillet',
  'Satchel',
  'Vase',
];

function productPage(rng: SeededRandom, pool: UniquePool): Drawn {
  const brand = pool.surname();
  const material = rng.pick(MATERIALS);
  const item = rng.pick(ITEMS);
  const name = `${brand} ${material} ${item}`;
  const sku = `${brand.slice(0, 2).toUpperCase()}-${pool.number(1000, 9999)}`;
  const cents = 100 * pool.number(6, 480) + rng.pick([0, 50, 95, 99]);
  const oldCents = cents + 100 * pool.number(3, 60);
  const inStock = rng.float() < 0.6;
  const origin = pool.place();
  const others = [0, 1, 2].map(() => {
    const other = `${pool.surname()} ${rng.pick(MATERIALS)} ${rng.pick(ITEMS)}`;
    return `${other}: ${money(100 * pool.number(6, 480) + 99)}`;
  });
  const stock = inStock ? 'In stock, ships within two days' : 'Out of stock';
  return {
    title: `${name} | ${brand} Home`,
    nav: ['Home', 'Kitchen', 'Living', 'Sale', 'Basket (0)'],
    blocks: [
      { t: 'h1', text: name },
      { t: 'p', text: `Now ${money(cents)} (was ${money(oldCents)}). ${stock}.` },
      {
        t: 'p',
        text: `Made in ${origin} by the ${brand} workshop, the ${material.toLowerCase()} ${item.toLowerCase()} is finished by hand.`,
      },
      {
        t: 'dl',
        rows: [
          ['Item number', sku],
          ['Brand', brand],
          ['Made in', origin],
        ],
      },
      { t: 'h2', text: 'Delivery and returns' },
      {
        t: 'p',
        text: 'Orders placed before noon leave our warehouse the same day. Returns are free within thirty days if the item is unused and in its original packaging; refunds reach your account within a week.',
      },
      { t: 'h2', text: 'Customers also viewed' },
      { t: 'ul', items: others },
    ],
    footer: `Prices include tax. © ${brand} Home`,
    fields: [
      { name: 'name', type: 'string', description: "the product's name", value: name },
      {
        name: 'price',
        type: 'number',
        description: 'the current price in dollars, a number without the $ sign',
        value: cents / 100,
      },
      { name: 'sku', type: 'string', description: 'the item number', value: sku },
      { name: 'brand', type: 'string', description: 'the brand', value: brand },
      { name: 'in_stock', type: 'boolean', description: 'whether it is in stock', value: inStock },
      { name: 'made_in', type: 'string', description: 'the town it is made in', value: origin },
    ],
    reference: `The ${name} costs ${money(cents)}, down from ${money(oldCents)}, is made in ${origin} and is ${inStock ? 'in stock' : 'out of stock'}.`,
    keyFacts: [
      { label: 'name', forms: [name] },
      { label: 'price', forms: [money(cents)] },
      { label: 'made_in', forms: [origin] },
      {
        label: 'stock',
        forms: inStock ? ['in stock', 'available'] : ['out of stock', 'unavailable', 'sold out'],
      },
    ],
  };
}

const EVENT_THINGS = ['Lantern', 'Harvest', 'Kite', 'Sea Shanty', 'Cider', 'Book', 'Glassblowing'];
const EVENT_TYPES = ['Festival', 'Fair', 'Night', 'Market'];
const VENUES = [
  'the Old Granary',
  'the Harbour Hall',
  'the Corn Exchange',
  'the Ropewalk',
  'the Assembly Rooms',
];

function eventPage(rng: SeededRandom, pool: UniquePool): Drawn {
  const city = pool.place();
  const type = rng.pick(EVENT_TYPES);
  const title = `${city} ${rng.pick(EVENT_THINGS)} ${type}`;
  const year = 2026 + rng.int(3);
  const date = drawDate(rng, year);
  const last = drawDate(rng, year - 1);
  const venue = rng.pick(VENUES);
  const organiser = pool.person().full;
  const ticket = pool.number(3, 45);
  const child = pool.number(1, 2);
  const visitors = formatCount(100 * pool.number(8, 90));
  const opens = `${pool.number(16, 19)}:30`;
  return {
    title: `${title}: ${date.dmy}`,
    nav: ['What’s on', 'Venues', 'Tickets', 'Contact'],
    blocks: [
      { t: 'h1', text: title },
      {
        t: 'p',
        text: `Join us on ${date.long} at ${venue}, ${city}. Doors open at ${opens}. Last year's ${type.toLowerCase()}, held on ${last.dmy}, drew ${visitors} visitors.`,
      },
      {
        t: 'dl',
        rows: [
          ['Date', date.long],
          ['Venue', `${venue}, ${city}`],
          ['Tickets', `$${ticket} (children under ${child + 10}: free)`],
          ['Organised by', organiser],
        ],
      },
      { t: 'h2', text: 'Programme' },
      {
        t: 'ul',
        items: [
          'Afternoon: stalls, workshops and food from local traders',
          'Early evening: music on the main stage',
          'Late: the closing procession through the old town',
        ],
      },
      {
        t: 'p',
        text: 'Dogs on leads are welcome. Step-free access is available at the main entrance; please ask a steward if you need help. Tickets bought on the door are cash only.',
      },
    ],
    footer: `Listings are provided by the organisers. ${city} Events Desk.`,
    fields: [
      { name: 'event', type: 'string', description: "the event's name", value: title },
      {
        name: 'date',
        type: 'string',
        description: 'the date it takes place, YYYY-MM-DD',
        value: date.iso,
      },
      { name: 'venue', type: 'string', description: 'the venue, without the town', value: venue },
      { name: 'city', type: 'string', description: 'the town', value: city },
      {
        name: 'ticket_price',
        type: 'number',
        description: 'the adult ticket price in dollars, a number',
        value: ticket,
      },
      { name: 'organiser', type: 'string', description: "the organiser's name", value: organiser },
    ],
    reference: `The ${title} takes place on ${date.dmy} at ${venue} in ${city}; tickets cost $${ticket} and it is organised by ${organiser}.`,
    keyFacts: [
      { label: 'event', forms: [title] },
      { label: 'date', forms: dateForms(date) },
      { label: 'city', forms: [city] },
      { label: 'ticket_price', forms: [`$${ticket}`, `${ticket} dollars`] },
    ],
  };
}

function newsPage(rng: SeededRandom, pool: UniquePool): Drawn {
  const town = pool.place();
  const ship = pool.ship();
  const coxswain = pool.person().full;
  const rescued = pool.number(3, 40);
  const earlier = pool.number(3, 40);
  const year = 2026 + rng.int(3);
  const date = drawDate(rng, year);
  const crew = pool.number(5, 12);
  const hours = pool.number(2, 9);
  const headline = `${town} lifeboat rescues ${rescued} from ${ship}`;
  return {
    title: headline,
    nav: ['News', 'Local', 'Sport', 'Weather'],
    blocks: [
      { t: 'h1', text: headline },
      { t: 'p', text: `Published ${date.long}` },
      {
        t: 'p',
        text: `The ${town} lifeboat, led by coxswain ${coxswain}, brought ${rescued} people ashore from ${ship} after a ${hours}-hour search in heavy seas. A crew of ${crew} volunteers took part.`,
      },
      {
        t: 'p',
        text: `On the station's previous call-out, two winters ago, ${earlier} people were saved from a trawler that had run aground.`,
      },
      {
        t: 'p',
        text: 'The station relies on donations and is always looking for new volunteers. Anyone interested in joining the crew or the shore team is invited to an open evening at the boathouse.',
      },
    ],
    footer: `© ${town} Gazette`,
    fields: [
      { name: 'town', type: 'string', description: 'the lifeboat station’s town', value: town },
      {
        name: 'vessel',
        type: 'string',
        description: 'the vessel the people were rescued from',
        value: ship,
      },
      {
        name: 'rescued',
        type: 'number',
        description: 'how many people were rescued, a number',
        value: rescued,
      },
      { name: 'coxswain', type: 'string', description: "the coxswain's name", value: coxswain },
      {
        name: 'date',
        type: 'string',
        description: 'the publication date, YYYY-MM-DD',
        value: date.iso,
      },
      {
        name: 'crew',
        type: 'number',
        description: 'how many volunteers took part, a number',
        value: crew,
      },
    ],
    reference: `On ${date.dmy} the ${town} lifeboat, led by ${coxswain}, rescued ${rescued} people from ${ship} after a ${hours}-hour search.`,
    keyFacts: [
      { label: 'town', forms: [town] },
      { label: 'vessel', forms: [ship] },
      { label: 'rescued', forms: [String(rescued)] },
      { label: 'coxswain', forms: [coxswain] },
    ],
  };
}

const PAGES: Record<PageKind, (rng: SeededRandom, pool: UniquePool) => Drawn> = {
  product: productPage,
  event: eventPage,
  news: newsPage,
};

export const SUMMARY_WINDOW = { minWords: 10, maxWords: 40 } as const;

export const EXTRACT_SYSTEM_PROMPT =
  'You extract fields from a web page. Reply with one JSON object that has exactly the keys ' +
  'asked for and nothing else: no prose, no extra keys. Use only what the page says.';

export const SUMMARY_SYSTEM_PROMPT =
  'You summarise a web page. Reply with one or two plain sentences stating its key facts ' +
  `(names, prices, dates, places, numbers), ${SUMMARY_WINDOW.minWords} to ${SUMMARY_WINDOW.maxWords} words, and nothing else.`;

/**
 * An extraction (JSON fields) or summary task over a fixture page, from a 32-byte seed: the
 * same seed and options give the same task. Throws INVALID_ARGUMENT naming the field on a bad
 * seed or option.
 */
export function createExtractionTask(
  seed: Uint8Array,
  options: ExtractionTaskOptions = {},
): ExtractionTask {
  assertSeed(seed);
  if (options.mode !== undefined && options.mode !== 'extract' && options.mode !== 'summary') {
    throw invalidArgument('mode', "must be 'extract' or 'summary'");
  }
  if (options.page !== undefined && !PAGE_KINDS.includes(options.page)) {
    throw invalidArgument('page', `must be one of ${PAGE_KINDS.join(', ')}`);
  }
  if (options.format !== undefined && options.format !== 'html' && options.format !== 'text') {
    throw invalidArgument('format', "must be 'html' or 'text'");
  }
  const rng = seededRandom(seed, 'text/extraction');
  const mode = options.mode ?? (rng.float() < 0.6 ? 'extract' : 'summary');
  const kind = options.page ?? rng.pick(PAGE_KINDS);
  const format = options.format ?? (rng.float() < 0.5 ? 'html' : 'text');
  const drawn = PAGES[kind](rng.fork(`page/${kind}`), new UniquePool(rng.fork('world')));
  const page: FixturePage = {
    kind,
    format,
    title: drawn.title,
    content: render(format, drawn.title, drawn.nav, drawn.blocks, drawn.footer),
  };
  const pageText = `Page (${format === 'html' ? 'HTML' : 'plain text'}):\n<<<\n${page.content}\n>>>`;

  if (mode === 'extract') {
    const count = 3 + rng.int(drawn.fields.length - 2);
    const picked = rng
      .shuffle(drawn.fields)
      .slice(0, count)
      .sort((a, b) => drawn.fields.indexOf(a) - drawn.fields.indexOf(b));
    const object: Record<string, string | number | boolean> = {};
    for (const f of picked) object[f.name] = f.value;
    const fields = picked.map(({ name, type, description }) => ({ name, type, description }));
    const list = fields.map((f) => `- "${f.name}" (${f.type}): ${f.description}`).join('\n');
    return {
      mode,
      page,
      fields,
      expected: { mode: 'extract', object },
      scoring: { formula: 'fields matched / (fields asked + extra fields)' },
      messages: [
        { role: 'system', content: EXTRACT_SYSTEM_PROMPT },
        {
          role: 'user',
          content: `${pageText}\n\nExtract these fields as one JSON object with exactly these keys:\n${list}`,
        },
      ],
    };
  }
  const window = { ...SUMMARY_WINDOW };
  return {
    mode,
    page,
    fields: [],
    expected: {
      mode: 'summary',
      reference: drawn.reference,
      keyFacts: drawn.keyFacts,
      ...window,
    },
    scoring: { formula: 'length × (0.5 rougeL + 0.5 key-fact coverage)', window },
    messages: [
      { role: 'system', content: SUMMARY_SYSTEM_PROMPT },
      { role: 'user', content: `${pageText}\n\nSummarise this page in one or two sentences.` },
    ],
  };
}
