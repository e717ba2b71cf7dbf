import { invalidOption } from './errors.js';

/** Parses `250ms`, `12s`, `1.5s`, a plain millisecond number, or `manual` (→ 0). */
export function parseBlockTime(v: string | number | undefined, field = 'blockTime'): number {
  if (v === undefined) return 12_000;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0)
      throw invalidOption(field, 'must be a non-negative number of ms');
    return v;
  }
  const s = v.trim().toLowerCase();
  if (s === 'manual' || s === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(s);
  if (!m) throw invalidOption(field, `cannot read "${v}" (use e.g. 250ms, 12s or manual)`);
  const n = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  if (n > 0 && n < 10) throw invalidOption(field, 'must be at least 10ms (or manual)');
  return n;
}
