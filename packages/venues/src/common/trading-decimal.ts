import Big from 'big.js';
import { isUDecimal, isZeroDecimal } from '@arb/domain';

/** A Big constructor with its own settings (the global `Big.DP` of other modules is left alone). */
const D = Big();
D.DP = 30;
D.RM = Big.roundHalfUp;

/** Exact decimal arithmetic for order sizes, prices and fees (decimal strings in, plain decimal strings out). */
export const dec = {
  isPositive(s: string): boolean {
    return isUDecimal(s) && !isZeroDecimal(s);
  },
  add(a: string, b: string): string {
    return new D(a).plus(b).toFixed();
  },
  sub(a: string, b: string): string {
    return new D(a).minus(b).toFixed();
  },
  mul(a: string, b: string): string {
    return new D(a).times(b).toFixed();
  },
  /** a / b rounded half-up to `dp` decimals (trailing zeros removed). */
  div(a: string, b: string, dp = 18): string {
    return new D(a).div(b).round(dp, Big.roundHalfUp).toFixed();
  },
  cmp(a: string, b: string): number {
    return new D(a).cmp(b);
  },
  isZero(a: string): boolean {
    return new D(a).eq(0);
  },
  sum(values: readonly string[]): string {
    let s = new D(0);
    for (const v of values) s = s.plus(v);
    return s.toFixed();
  },
  /** Largest multiple of `step` ≤ value (step "0" = unchanged). */
  floorToStep(value: string, step: string): string {
    if (new D(step).eq(0)) return new D(value).toFixed();
    return new D(value).div(step).round(0, Big.roundDown).times(step).toFixed();
  },
  /** Smallest multiple of `step` ≥ value (step "0" = unchanged). */
  ceilToStep(value: string, step: string): string {
    if (new D(step).eq(0)) return new D(value).toFixed();
    return new D(value).div(step).round(0, Big.roundUp).times(step).toFixed();
  },
  isMultipleOf(value: string, step: string): boolean {
    if (new D(step).eq(0)) return true;
    return new D(value).mod(step).eq(0);
  },
  /** Canonical form: `"0.00100000"` → `"0.001"`. */
  canonical(a: string): string {
    return new D(a).toFixed();
  },
};
