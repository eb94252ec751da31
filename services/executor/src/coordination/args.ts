import Big from 'big.js';
import { InvalidAmountError, InvalidHolderError } from './errors';

/** Most decimal places an amount may have (the Lua arithmetic is exact at any scale; this just bounds input). */
export const MAX_DECIMALS = 30;
const MAX_HOLDER_LENGTH = 200;

/**
 * A decimal string in plain notation for the Lua scripts (`'1e-8'` → `'0.00000001'`). Throws InvalidAmountError for
 * anything big.js can't parse, more than MAX_DECIMALS places, or a negative value when `signed` is false.
 */
export function decimalArg(what: string, value: string, signed = false): string {
  let big: Big;
  try {
    if (typeof value !== 'string') throw new TypeError(`not a string: ${typeof value}`);
    big = new Big(value);
  } catch (err) {
    throw new InvalidAmountError(`${what}: not a decimal: ${JSON.stringify(value)}`, { cause: err });
  }
  if (!signed && big.lt(0)) throw new InvalidAmountError(`${what}: must not be negative: ${value}`);
  const plain = big.toFixed();
  const dot = plain.indexOf('.');
  if (dot >= 0 && plain.length - dot - 1 > MAX_DECIMALS) {
    throw new InvalidAmountError(`${what}: more than ${MAX_DECIMALS} decimal places: ${value}`);
  }
  return plain;
}

/** A holder id: 1-200 characters without `|`. */
export function holderArg(holder: string): string {
  if (typeof holder !== 'string' || holder.length === 0 || holder.length > MAX_HOLDER_LENGTH || holder.includes('|')) {
    throw new InvalidHolderError(`invalid holder ${JSON.stringify(holder)}: expected 1-${MAX_HOLDER_LENGTH} characters without '|'`);
  }
  return holder;
}

/** A positive whole number (a count or milliseconds). */
export function positiveIntArg(what: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${what} must be a positive integer, got ${value}`);
  return value;
}
