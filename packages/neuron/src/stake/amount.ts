import { NeuronError } from '../errors.js';

/** Rao per TAO (and per alpha): amounts on chain are integers of 1e-9. */
export const RAO_PER_TAO = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;

/**
 * Reads `--amount` (a decimal number of TAO or alpha, at most 9 decimals) as rao. Refuses
 * anything that is not a plain positive number, naming the flag and the text.
 */
export function parseAmount(text: string | undefined, flag = 'amount'): bigint {
  const bad = (why: string) =>
    new NeuronError('CONFIG_INVALID', `--${flag}: ${why}`, { details: { field: flag } });
  if (text === undefined) throw bad('is required (a number of TAO, e.g. --amount 1.5)');
  const t = text.trim();
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw bad(`${JSON.stringify(text)} is not a number`);
  }
  const [, sign, whole = '', frac = ''] = m;
  if (frac.length > 9) {
    throw bad(`${JSON.stringify(text)} has more than 9 decimals (1 rao = 0.000000001)`);
  }
  const rao = BigInt(whole || '0') * RAO_PER_TAO + BigInt(frac.padEnd(9, '0') || '0');
  if (sign === '-' || rao === 0n) throw bad(`must be greater than 0, got ${text}`);
  if (rao > U64_MAX) throw bad(`${text} is more than a u64 of rao`);
  return rao;
}

/** `1500000000n` → `"1.5"`: rao as a decimal of TAO (or alpha), exact, no trailing zeros. */
export function formatAmount(rao: bigint): string {
  const sign = rao < 0n ? '-' : '';
  const abs = rao < 0n ? -rao : rao;
  const whole = abs / RAO_PER_TAO;
  const frac = (abs % RAO_PER_TAO).toString().padStart(9, '0').replace(/0+$/, '');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}
