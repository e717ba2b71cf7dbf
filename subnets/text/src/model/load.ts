import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextSubnetError } from '../errors.js';
import { loadReferenceCorpus } from './corpus.js';
import {
  buildReferenceModel,
  DEFAULT_ORDER,
  DEFAULT_PASSAGE_MIN_TOKENS,
  DEFAULT_VOCAB_SIZE,
  deserializeReferenceModel,
  MODEL_FORMAT_VERSION,
  type ReferenceModel,
} from './ngram.js';

/**
 * Where `pnpm build` writes the model: `<package>/dist/model.bin` (the same path from `src/model`
 * and from `dist/model`).
 */
export const REFERENCE_ARTIFACT_PATH = fileURLToPath(
  new URL('../../dist/model.bin', import.meta.url),
);

let cached: ReferenceModel | undefined;

export interface LoadOptions {
  /** An artifact to read instead of the default one; it must be valid (no fallback). */
  readonly path?: string;
}

function isCurrent(model: ReferenceModel): boolean {
  const { info } = model;
  return (
    info.format === MODEL_FORMAT_VERSION &&
    info.order === DEFAULT_ORDER &&
    info.vocabSize === DEFAULT_VOCAB_SIZE &&
    info.passageMinTokens === DEFAULT_PASSAGE_MIN_TOKENS
  );
}

/** Builds the reference model from the bundled corpus with the default options. */
export function buildDefaultReferenceModel(): ReferenceModel {
  return buildReferenceModel(loadReferenceCorpus());
}

/**
 * The reference model, once per process: the build artifact when it is there and of this
 * format version and default options, else built in memory from the corpus (about 2–3 s). Both
 * give the same model and `versionHash`.
 */
export function loadReferenceModel(options: LoadOptions = {}): ReferenceModel {
  if (options.path !== undefined) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(options.path);
    } catch (cause) {
      throw new TextSubnetError('MODEL_INVALID', `cannot read ${options.path}`, { cause });
    }
    return deserializeReferenceModel(bytes);
  }
  if (cached !== undefined) return cached;
  if (existsSync(REFERENCE_ARTIFACT_PATH)) {
    try {
      const model = deserializeReferenceModel(readFileSync(REFERENCE_ARTIFACT_PATH));
      if (isCurrent(model)) {
        cached = model;
        return model;
      }
    } catch {
      // A stale or broken artifact: build in memory instead.
    }
  }
  cached = buildDefaultReferenceModel();
  return cached;
}

/** Builds the default model and writes it to `path` (default {@link REFERENCE_ARTIFACT_PATH}). */
export function writeReferenceArtifact(path: string = REFERENCE_ARTIFACT_PATH): ReferenceModel {
  const model = buildDefaultReferenceModel();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, model.serialize());
  return model;
}
