import Big from 'big.js';
import type { LegOutcome } from './types';

/** Net base bought minus sold over all legs (fills only, fees excluded): the leg imbalance. */
export function netBase(legs: readonly LegOutcome[]): Big {
  let net = new Big(0);
  for (const l of legs) {
    const q = l.state?.filledQty ?? '0';
    net = l.plan.side === 'buy' ? net.plus(q) : net.minus(q);
  }
  return net;
}

/** Volume-weighted price of the fills of one side (optionally on one venue); null when nothing filled. */
export function sideVwap(legs: readonly LegOutcome[], side: 'buy' | 'sell', venue?: string): Big | null {
  let qty = new Big(0);
  let quote = new Big(0);
  for (const l of legs) {
    if (l.plan.side !== side || (venue !== undefined && l.plan.venue !== venue) || l.state === null) continue;
    qty = qty.plus(l.state.filledQty);
    quote = quote.plus(l.state.filledQuote);
  }
  return qty.gt(0) ? quote.div(qty) : null;
}

export function anyFilled(legs: readonly LegOutcome[]): boolean {
  return legs.some((l) => l.state !== null && new Big(l.state.filledQty).gt(0));
}
