import Big from 'big.js';

/**
 * Exact decimal <-> scaled-integer helpers. Prices and sizes live in the model as integers
 * (ticks, lots) and are formatted to decimal strings only from integers, so wire values are exact.
 */

const ZEROS = '0'.repeat(40);

/** Formats a non-negative safe integer `n` scaled by 10^-decimals: (12345, 2) -> "123.45". */
export function formatScaled(n: number, decimals: number): string {
  const s = String(n);
  if (decimals === 0) return s;
  const padded = s.length <= decimals ? ZEROS.slice(0, decimals - s.length + 1) + s : s;
  const k = padded.length - decimals;
  return `${padded.slice(0, k)}.${padded.slice(k)}`;
}

/** Number of significant decimals of a decimal string ("0.0100" -> 2, "5" -> 0). */
export function decimalsOf(value: string): number {
  const dot = value.indexOf('.');
  if (dot < 0) return 0;
  let end = value.length;
  while (end > dot + 1 && value.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

/** value * 10^decimals as an exact integer; throws if not integral or not safe. */
export function toScaledInt(value: string, decimals: number): number {
  const scaled = new Big(value).times(new Big(10).pow(decimals));
  if (!scaled.eq(scaled.round(0, Big.roundDown))) {
    throw new RangeError(`${value} has more than ${decimals} decimals`);
  }
  const n = Number(scaled.toFixed(0));
  if (!Number.isSafeInteger(n)) throw new RangeError(`${value} is too large at ${decimals} decimals`);
  return n;
}

/** Canonical decimal string of `value` with trailing zeros stripped ("0.0100" -> "0.01"). */
export function canonical(value: string): string {
  return new Big(value).toFixed(decimalsOf(value));
}
