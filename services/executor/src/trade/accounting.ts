import Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import { splitSymbol } from '@arb/venues';
import { sideVwap } from './fills';
import type { LegOutcome } from './types';

export interface TradeAccounts {
  /** Base and quote moved per venue, fees included (what the venues' balances must show). */
  deltas: Map<string, { base: Big; quote: Big }>;
  residualBase: Big;
  quoteFlow: Big;
  /** Price the residual is carried at (the average price of the side that left it). */
  markPrice: Big | null;
  realizedPnlQuote: Big;
  /** Fees per venue and asset. */
  fees: { venue: string; asset: string; amount: Big }[];
  /** Filled notional (quote) of every leg. */
  filledNotional: Big;
}

/**
 * Exact accounting of a trade's fills. residualBase = base bought − sold − base fees (the change of the total base
 * held over all venues); quote flow = quote received − paid − quote fees. Realized PnL = quote flow + residual × mark,
 * with the residual carried at the average price of the side that created it, so it is the PnL of the closed part.
 * Fees in a third asset (e.g. BNB) are listed in `fees` but not in the PnL.
 */
export function account(opp: Opportunity, legs: readonly LegOutcome[]): TradeAccounts {
  const { base, quote } = splitSymbol(opp.symbol);
  const deltas = new Map<string, { base: Big; quote: Big }>();
  const fees: TradeAccounts['fees'] = [];
  let filledNotional = new Big(0);
  for (const l of legs) {
    const s = l.state;
    if (s === null) continue;
    const d = deltas.get(l.plan.venue) ?? { base: new Big(0), quote: new Big(0) };
    const sign = l.plan.side === 'buy' ? 1 : -1;
    d.base = d.base.plus(new Big(s.filledQty).times(sign));
    d.quote = d.quote.minus(new Big(s.filledQuote).times(sign));
    filledNotional = filledNotional.plus(s.filledQuote);
    const fee = new Big(s.fee);
    if (fee.gt(0)) {
      if (s.feeAsset === base) d.base = d.base.minus(fee);
      else if (s.feeAsset === quote) d.quote = d.quote.minus(fee);
      fees.push({ venue: l.plan.venue, asset: s.feeAsset, amount: fee });
    }
    deltas.set(l.plan.venue, d);
  }
  let residualBase = new Big(0);
  let quoteFlow = new Big(0);
  for (const d of deltas.values()) {
    residualBase = residualBase.plus(d.base);
    quoteFlow = quoteFlow.plus(d.quote);
  }
  let markPrice: Big | null = null;
  if (!residualBase.eq(0)) {
    markPrice = sideVwap(legs, residualBase.gt(0) ? 'buy' : 'sell') ?? sideVwap(legs, residualBase.gt(0) ? 'sell' : 'buy');
    markPrice ??= new Big(opp.buy.vwap).plus(opp.sell.vwap).div(2);
  }
  const realizedPnlQuote = markPrice === null ? quoteFlow : quoteFlow.plus(residualBase.times(markPrice));
  return { deltas, residualBase, quoteFlow, markPrice, realizedPnlQuote, fees, filledNotional };
}
