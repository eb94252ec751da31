import Big from 'big.js';

/** Exact decimal helpers on big.js values (never floats). Rounding never touches the global `Big.DP`/`Big.RM`. */

export const ZERO = new Big(0);
export const ONE = new Big(1);
export const BPS = new Big(10_000);

/** Largest multiple of `step` that is <= x (x >= 0, step > 0). Exact: `mod` is computed without rounding. */
export function floorToStep(x: Big, step: Big): Big {
  return x.minus(x.mod(step));
}

/** Smallest multiple of `step` that is >= x (x >= 0, step > 0). */
export function ceilToStep(x: Big, step: Big): Big {
  const r = x.mod(step);
  return r.eq(0) ? x : x.minus(r).plus(step);
}

/**
 * True when x is a multiple of step. O(1) without division when step is a power of ten (0.01, 1, ...): then it is
 * enough that x has no more decimals than step.
 */
export function onStep(x: Big, step: Big): boolean {
  if (step.c.length === 1 && step.c[0] === 1 && step.e <= 0) return decimals(x) <= -step.e;
  return x.mod(step).eq(0);
}

/** Number of digits after the decimal point of a big.js value. */
function decimals(x: Big): number {
  return Math.max(0, x.c.length - x.e - 1);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * Least common multiple of two positive decimal steps: the coarsest grid both venues accept. When one step divides
 * the other (the usual case, e.g. 0.001 and 0.0001) this is simply the coarser step.
 */
export function lcmStep(a: Big, b: Big): Big {
  if (a.eq(b)) return a;
  if (a.gt(b) && a.mod(b).eq(0)) return a;
  if (b.gt(a) && b.mod(a).eq(0)) return b;
  const d = Math.max(decimals(a), decimals(b));
  const scale = new Big(10).pow(d);
  const ia = BigInt(a.times(scale).toFixed(0));
  const ib = BigInt(b.times(scale).toFixed(0));
  const l = (ia / gcd(ia, ib)) * ib;
  return new Big(l.toString()).div(scale);
}

/** Plain-notation decimal string (no exponent), as the wire schemas require. */
export function plain(x: Big): string {
  return x.toFixed();
}

/** Rounds to `dp` decimals (half-even) and prints in plain notation without trailing zeros. */
export function plainRounded(x: Big, dp: number): string {
  return x.round(dp, Big.roundHalfEven).toFixed();
}

/** Min/max helpers. */
export const bigMin = (a: Big, b: Big): Big => (a.lt(b) ? a : b);
export const bigMax = (a: Big, b: Big): Big => (a.gt(b) ? a : b);
