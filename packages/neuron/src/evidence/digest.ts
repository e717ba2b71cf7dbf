import { createHash } from 'node:crypto';

/**
 * Plain-JSON view of a value, stable across runs: object keys sorted, `bigint` as a decimal
 * string, byte arrays as `{ "$bytes": hex }`, non-finite numbers as strings, `undefined`
 * members dropped (as JSON does), `Map`s as sorted entry lists. Cycles throw.
 */
export function toCanonical(value: unknown, seen = new Set<object>()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    return undefined;
  }
  if (seen.has(value)) throw new TypeError('toCanonical: cyclic value');
  seen.add(value);
  try {
    if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('hex') };
    if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
    if (Array.isArray(value)) {
      return value.map((v) => {
        const c = toCanonical(v, seen);
        return c === undefined ? null : c;
      });
    }
    if (value instanceof Map) {
      return [...value.entries()]
        .map(([k, v]) => [toCanonical(k, seen), toCanonical(v, seen)])
        .sort((a, b) => (JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : 1));
    }
    if (value instanceof Date) return value.toISOString();
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const c = toCanonical((value as Record<string, unknown>)[key], seen);
      if (c !== undefined) out[key] = c;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** Canonical JSON text of a value (see {@link toCanonical}). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(toCanonical(value)) ?? 'null';
}

/** `sha256(canonicalJson(answer))`, hex: identifies an answer without storing it. */
export function digestAnswer(answer: unknown): string {
  return createHash('sha256').update(canonicalJson(answer), 'utf8').digest('hex');
}
