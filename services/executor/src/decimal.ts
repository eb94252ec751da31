import Big from 'big.js';

const ROUND_DOWN = 0;
const ROUND_UP = 3;

/** Plain decimal string (no exponent, no `-0`). */
export function plain(x: Big): string {
  return x.eq(0) ? '0' : x.toFixed();
}

/** Rounds `x` down to a multiple of `step` (step "0" = unchanged). */
export function floorToStep(x: Big, step: string): Big {
  const s = new Big(step);
  if (s.lte(0)) return x;
  return x.div(s).round(0, ROUND_DOWN).times(s);
}

/** Rounds `x` up to a multiple of `step` (step "0" = unchanged). */
export function ceilToStep(x: Big, step: string): Big {
  const s = new Big(step);
  if (s.lte(0)) return x;
  return x.div(s).round(0, ROUND_UP).times(s);
}

/** `price` moved `bps` basis points against us: up for a buy limit, down for a sell limit. */
export function worsePrice(price: string | Big, bps: number, side: 'buy' | 'sell'): Big {
  const p = new Big(price);
  const f = new Big(Math.round(bps * 1e6)).div(1e10); // bps → fraction, exact to 1e-6 bps
  return side === 'buy' ? p.times(new Big(1).plus(f)) : p.times(new Big(1).minus(f));
}

/** A limit price `bps` worse than `ref`, on the tick grid and never beyond the bound (buy: down, sell: up). */
export function boundedLimit(ref: string | Big, bps: number, side: 'buy' | 'sell', tick: string): Big {
  const raw = worsePrice(ref, bps, side);
  return side === 'buy' ? floorToStep(raw, tick) : ceilToStep(raw, tick);
}

/** Rounds to at most `dp` decimal places (half-even), as a plain string. */
export function toDp(x: Big, dp: number): string {
  return plain(x.round(dp, 2));
}
