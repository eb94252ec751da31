import { UDECIMAL_PATTERN } from '@arb/contracts';

/**
 * Exact helpers for non-negative plain decimal strings (`"65000.10"`, `"0.00240000"`), as venues send them.
 * No floats, no Big.js: these run on the book's hot path.
 */

/** Plain non-negative decimal, exactly contracts' `UDECIMAL_PATTERN` (what a published `Level` must match). */
const UDECIMAL = new RegExp(UDECIMAL_PATTERN);

/** True for a plain non-negative decimal string (`"0"`, `"1.50"`); false for `"1e5"`, `"-1"`, `".5"`, `"01"`, `""`. */
export function isUDecimal(s: string): boolean {
  return s.length > 0 && s.length <= 64 && UDECIMAL.test(s);
}

/**
 * Canonical form of a valid non-negative decimal: no leading zeros in the integer part, no trailing zeros in the
 * fraction, no dangling dot. `"0.00240000"` → `"0.0024"`, `"100.0"` → `"100"`, `"000"` → `"0"`.
 * Returns the input itself when it is already canonical (the common case allocates nothing).
 */
export function normalizeDecimal(s: string): string {
  let end = s.length;
  if (s.indexOf('.') >= 0) {
    while (end > 0 && s.charCodeAt(end - 1) === 48 /* 0 */) end--;
    if (end > 0 && s.charCodeAt(end - 1) === 46 /* . */) end--;
  }
  let start = 0;
  while (start < end - 1 && s.charCodeAt(start) === 48 && s.charCodeAt(start + 1) !== 46) start++;
  if (start === 0 && end === s.length) return s;
  return start < end ? s.slice(start, end) : '0';
}

/** True when a valid decimal string is zero (`"0"`, `"0.00000000"`). */
export function isZeroDecimal(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 48 && c !== 46) return false;
  }
  return true;
}

/** Exact comparison of two CANONICAL non-negative decimals (see normalizeDecimal): -1, 0 or 1. */
export function compareCanonical(a: string, b: string): number {
  if (a === b) return 0;
  let ia = a.indexOf('.');
  let ib = b.indexOf('.');
  if (ia < 0) ia = a.length;
  if (ib < 0) ib = b.length;
  if (ia !== ib) return ia < ib ? -1 : 1;
  // Same integer-part length: plain character order decides (the fractional parts have no trailing zeros, and a
  // shorter fraction that is a prefix of a longer one is the smaller number, which is also character order).
  return a < b ? -1 : 1;
}

/** Exact comparison of any two valid non-negative decimal strings: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  return compareCanonical(normalizeDecimal(a), normalizeDecimal(b));
}
