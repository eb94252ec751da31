import Big from 'big.js';
import type { ExecutionLeg, ExecutionReport } from '@arb/contracts';
import { addTo, splitSymbol } from './decimal';
import { outcomeOf, type Outcome } from './outcome';

/**
 * Quote notional of a leg's fills: the venue's exact `filledQuote` when the report has it; else filledQty × avgPrice
 * (limit price without an average). avgPrice is filledQuote / filledQty rounded by the venue client (18-20 places),
 * so that product carries the rounding in its last decimals (`...99999508`): only reports without it take that path.
 */
export function legNotional(leg: ExecutionLeg, qty: Big, price: Big): Big {
  const quote = leg.filledQuote === undefined ? null : new Big(leg.filledQuote);
  // A zero notional for a non-zero fill is a client that did not know it (e.g. a bare order ack): not a volume of 0.
  if (quote !== null && !(quote.eq(0) && qty.gt(0))) return quote;
  return qty.times(price);
}

/** Money of the legs of one report on one venue (or on all venues). */
export interface LegMoney {
  /** Quote notional of the fills (see legNotional). */
  volumeQuote: Big;
  /** Volume in USD; null when the quote asset has no USD rate. */
  volumeUsd: Big | null;
  /** Fees valued in USD (those that could be valued). */
  feesUsd: Big;
  /** The part of feesUsd paid in the base or quote asset: already deducted in the report's realized PnL. */
  feesInPnlUsd: Big;
  /** Raw fees per asset. */
  feesByAsset: Map<string, Big>;
  /** Fees that could not be valued in USD, per asset. */
  feesUnpriced: Map<string, Big>;
}

export interface ReportFacts {
  outcome: Outcome;
  quote: string;
  /** `symbol:buyVenue>sellVenue`, null when the report has no buy or no sell leg (e.g. skipped). */
  route: string | null;
  /** USD per unit of quote: configured peg, else |realizedPnlUsd / realizedPnlQuote|, else null. */
  usdPerQuote: Big | null;
  all: LegMoney;
  byVenue: Map<string, LegMoney>;
  /** timings.finalTs − timings.receivedTs (executed reports only). */
  executionMs: number | null;
  /** timings.ordersSentTs − timings.receivedTs. */
  sendLatencyMs: number | null;
}

const emptyMoney = (): LegMoney => ({
  volumeQuote: new Big(0),
  volumeUsd: null,
  feesUsd: new Big(0),
  feesInPnlUsd: new Big(0),
  feesByAsset: new Map(),
  feesUnpriced: new Map(),
});

/**
 * What one report contributes, with exact decimals. Fees: in the quote asset at the quote's USD rate; in the base
 * asset at the leg's average price (then the quote's rate); in a third asset only if that asset has a USD peg,
 * else listed as unpriced. Only base/quote fees are part of the report's realized PnL (so of gross − net).
 */
export function reportFacts(r: ExecutionReport, usdPegs: ReadonlyMap<string, Big>): ReportFacts {
  const { base, quote } = splitSymbol(r.symbol);
  const usdPerQuote = usdRate(r, quote, usdPegs);
  const all = emptyMoney();
  const byVenue = new Map<string, LegMoney>();
  let buyVenue: string | undefined;
  let sellVenue: string | undefined;
  for (const leg of r.legs) {
    if (leg.role === 'buy') buyVenue ??= leg.venue;
    if (leg.role === 'sell') sellVenue ??= leg.venue;
    let venue = byVenue.get(leg.venue);
    if (venue === undefined) {
      venue = emptyMoney();
      byVenue.set(leg.venue, venue);
    }
    const qty = new Big(leg.filledQty);
    const price = new Big(leg.avgPrice ?? leg.limitPrice);
    const notional = legNotional(leg, qty, price);
    for (const m of [all, venue]) m.volumeQuote = m.volumeQuote.plus(notional);
    const fee = new Big(leg.fee);
    if (fee.eq(0)) continue;
    const asset = leg.feeAsset === '' ? 'UNKNOWN' : leg.feeAsset;
    let feeUsd: Big | null = null;
    let inPnl = false;
    if (asset === quote || asset === base) {
      inPnl = true;
      const feeQuote = asset === quote ? fee : fee.times(price);
      feeUsd = usdPerQuote === null ? null : feeQuote.times(usdPerQuote);
    } else {
      const peg = usdPegs.get(asset);
      if (peg !== undefined) feeUsd = fee.times(peg);
    }
    for (const m of [all, venue]) {
      addTo(m.feesByAsset, asset, fee);
      if (feeUsd === null) {
        addTo(m.feesUnpriced, asset, fee);
      } else {
        m.feesUsd = m.feesUsd.plus(feeUsd);
        if (inPnl) m.feesInPnlUsd = m.feesInPnlUsd.plus(feeUsd);
      }
    }
  }
  if (usdPerQuote !== null) {
    for (const m of [all, ...byVenue.values()]) m.volumeUsd = m.volumeQuote.times(usdPerQuote);
  }
  const outcome = outcomeOf(r.status);
  const t = r.timings;
  return {
    outcome,
    quote,
    route: buyVenue !== undefined && sellVenue !== undefined ? `${r.symbol}:${buyVenue}>${sellVenue}` : null,
    usdPerQuote,
    all,
    byVenue,
    executionMs: outcome === 'not_executed' ? null : Math.max(0, t.finalTs - t.receivedTs),
    sendLatencyMs: t.ordersSentTs === null ? null : Math.max(0, t.ordersSentTs - t.receivedTs),
  };
}

function usdRate(r: ExecutionReport, quote: string, pegs: ReadonlyMap<string, Big>): Big | null {
  const peg = pegs.get(quote);
  if (peg !== undefined) return peg;
  const pnlQuote = new Big(r.realizedPnlQuote);
  if (pnlQuote.eq(0)) return null;
  return new Big(r.realizedPnlUsd).div(pnlQuote).abs();
}
