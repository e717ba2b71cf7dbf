// Field-by-field scoring of a JSON object a model wrote somewhere in its answer ("Here you
// go: ```json {...}```"). The object is located by a bounded bracket scan before JSON.parse
// ever sees it, so a megabyte of text or a thousand-deep nesting costs a bounded scan, never
// a deep parse.
import { assertString, describe, invalidArgument } from './invalid.js';
import { normalizeAnswer } from './text.js';

/** A value an expected object may hold: flat fields only. */
export type FieldValue = string | number | boolean | null;

export interface JsonLimits {
  /** Characters of the prediction searched for an object (default 262 144). */
  searchChars?: number;
  /** Largest object, in characters, handed to JSON.parse (default 65 536). */
  maxObjectChars?: number;
  /** Deepest nesting of `{` / `[` accepted (default 16). */
  maxDepth?: number;
  /** `{` positions tried before giving up (default 8). */
  maxAttempts?: number;
}

export const DEFAULT_JSON_LIMITS: Required<JsonLimits> = {
  searchChars: 262_144,
  maxObjectChars: 65_536,
  maxDepth: 16,
  maxAttempts: 8,
};

export type ExtractJsonResult =
  | { ok: true; value: Record<string, unknown>; start: number; end: number }
  | { ok: false; error: string };

function limitsOf(limits: JsonLimits): Required<JsonLimits> {
  const out = { ...DEFAULT_JSON_LIMITS, ...limits };
  for (const key of Object.keys(DEFAULT_JSON_LIMITS) as (keyof JsonLimits)[]) {
    const v = out[key];
    if (!Number.isSafeInteger(v) || v < 1) {
      throw invalidArgument(`limits.${key}`, `must be a positive integer, got ${String(v)}`);
    }
  }
  return out;
}

/**
 * The first JSON object in `text` that parses: for each `{` (up to `maxAttempts`), scan to
 * its matching `}` honouring strings and escapes. A candidate that nests deeper than
 * `maxDepth`, runs past `maxObjectChars`, never closes or does not parse is skipped; when none
 * is left the error says why the last one failed. Work is at most maxAttempts × maxObjectChars.
 */
export function extractFirstJsonObject(text: string, limits: JsonLimits = {}): ExtractJsonResult {
  assertString(text, 'text');
  const lim = limitsOf(limits);
  const window = text.length > lim.searchChars ? text.slice(0, lim.searchChars) : text;
  let from = 0;
  let lastError = 'no JSON object found';
  for (let attempt = 0; attempt < lim.maxAttempts; attempt++) {
    const start = window.indexOf('{', from);
    if (start < 0) break;
    let depth = 0;
    let inString = false;
    let escaped = false;
    let end = -1;
    let tooDeep = false;
    const stop = Math.min(window.length, start + lim.maxObjectChars);
    for (let i = start; i < stop; i++) {
      const c = window.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++depth > lim.maxDepth) {
          tooDeep = true;
          break;
        }
      } else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          end = i + 1;
          break;
        }
      }
    }
    from = start + 1;
    if (end < 0) {
      if (tooDeep) lastError = `JSON nested deeper than ${lim.maxDepth} levels`;
      else if (stop - start >= lim.maxObjectChars) {
        lastError = `JSON object longer than ${lim.maxObjectChars} characters`;
      } else lastError = 'unterminated JSON object';
      continue;
    }
    try {
      const value: unknown = JSON.parse(window.slice(start, end));
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return { ok: true, value: value as Record<string, unknown>, start, end };
      }
      lastError = 'JSON value is not an object';
    } catch (e) {
      lastError = `invalid JSON: ${(e as Error).message.slice(0, 120)}`;
    }
  }
  return { ok: false, error: lastError };
}

const NUMERIC = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/** A number from a JSON number or a numeric string ("$1,299.00", "48.2 "); else undefined. */
function asNumber(got: unknown): number | undefined {
  if (typeof got === 'number') return Number.isFinite(got) ? got : undefined;
  if (typeof got !== 'string' || got.length > 64) return undefined;
  const s = got.replace(/[\s,$€£¥]/gu, '');
  return NUMERIC.test(s) ? Number(s) : undefined;
}

/**
 * Whether `got` matches `expected`: strings (and numbers written for strings) by
 * {@link normalizeAnswer}; numbers within 1e-6 relative, from a number or a numeric string;
 * booleans from a boolean or "true"/"false"/"yes"/"no"; null only from null.
 */
export function fieldMatches(expected: FieldValue, got: unknown): boolean {
  if (expected === null) return got === null;
  if (typeof expected === 'number') {
    const n = asNumber(got);
    return n !== undefined && Math.abs(n - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
  }
  if (typeof expected === 'boolean') {
    if (typeof got === 'boolean') return got === expected;
    if (typeof got !== 'string') return false;
    const s = got.trim().toLowerCase();
    return expected ? s === 'true' || s === 'yes' : s === 'false' || s === 'no';
  }
  if (typeof got === 'string') {
    return got.length <= 4096 && normalizeAnswer(got) === normalizeAnswer(expected);
  }
  if (typeof got === 'number') return normalizeAnswer(String(got)) === normalizeAnswer(expected);
  return false;
}

/** Throws (naming `field.<key>`) unless `expected` is a non-empty object of flat values. */
export function assertExpectedObject(
  expected: unknown,
  field = 'expected',
): asserts expected is Record<string, FieldValue> {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) {
    throw invalidArgument(field, `must be an object of fields, got ${describe(expected)}`);
  }
  const keys = Object.keys(expected);
  if (keys.length === 0) throw invalidArgument(field, 'must have at least one field');
  for (const key of keys) {
    const v = (expected as Record<string, unknown>)[key];
    const ok =
      v === null ||
      typeof v === 'string' ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v));
    if (!ok) {
      throw invalidArgument(
        `${field}.${key}`,
        `must be a string, finite number, boolean or null, got ${describe(v)}`,
      );
    }
  }
}

export interface FieldEvidence {
  expected: FieldValue;
  /** What the prediction had (long strings cut to 200 characters), or undefined if missing. */
  got: unknown;
  match: boolean;
}

export interface JsonFieldScore {
  /** matched / (expected fields + extra fields), in [0, 1]; 0 when no object parsed. */
  score: number;
  parsed: boolean;
  /** Why no object was used, when `parsed` is false. */
  error?: string;
  matched: string[];
  wrong: string[];
  missing: string[];
  /** Keys the prediction had that were not asked for (the first 20). */
  extra: string[];
  extraCount: number;
  fields: Record<string, FieldEvidence>;
}

function clip(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (value !== null && typeof value === 'object')
    return Array.isArray(value) ? '[array]' : '[object]';
  return value;
}

/**
 * Scores the first JSON object in `predText` against `expected`, field by field (see
 * {@link fieldMatches}). Missing and wrong fields earn nothing; every extra field adds one to
 * the denominator, so "dump every key you can think of" does not pay.
 */
export function jsonFieldScore(
  predText: string,
  expected: Record<string, FieldValue>,
  limits: JsonLimits = {},
): JsonFieldScore {
  assertString(predText, 'predText');
  assertExpectedObject(expected);
  const keys = Object.keys(expected);
  const found = extractFirstJsonObject(predText, limits);
  const fields: Record<string, FieldEvidence> = {};
  if (!found.ok) {
    for (const key of keys)
      fields[key] = { expected: expected[key]!, got: undefined, match: false };
    return {
      score: 0,
      parsed: false,
      error: found.error,
      matched: [],
      wrong: [],
      missing: keys,
      extra: [],
      extraCount: 0,
      fields,
    };
  }
  const obj = found.value;
  const matched: string[] = [];
  const wrong: string[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    const want = expected[key]!;
    if (!Object.hasOwn(obj, key)) {
      missing.push(key);
      fields[key] = { expected: want, got: undefined, match: false };
      continue;
    }
    const got = obj[key];
    const match = fieldMatches(want, got);
    (match ? matched : wrong).push(key);
    fields[key] = { expected: want, got: clip(got), match };
  }
  const extraKeys = Object.keys(obj).filter((k) => !Object.hasOwn(expected, k));
  return {
    score: matched.length / (keys.length + extraKeys.length),
    parsed: true,
    matched,
    wrong,
    missing,
    extra: extraKeys.slice(0, 20).map((k) => (k.length > 64 ? `${k.slice(0, 64)}…` : k)),
    extraCount: extraKeys.length,
    fields,
  };
}
