import Big from 'big.js';
import { isoMicros, priceStr, qtyStr } from '../model/format';
import type { MarketBook } from '../model/market';
import type { TapePrint, Tape } from '../trading/tape';
import { FIAT_CURRENCIES } from './currencies';

/** Stablecoins valued at one US dollar for /v2/exchange-rates. */
const USD_PEGGED = ['USD', 'USDT', 'USDC'];

function mid(mb: MarketBook): Big | null {
  const bid = mb.book.bids[0];
  const ask = mb.book.asks[0];
  if (bid === undefined || ask === undefined) return null;
  return new Big(mb.inst.tickSize).times(bid + ask).div(2);
}

/** The last trade's price, or (before the first trade on the sim) the best bid. */
function lastPrice(mb: MarketBook, tape: Tape): string {
  const last = tape.last(mb.inst.symbol);
  if (last) return priceStr(mb.inst, last.tick);
  const bid = mb.book.bids[0];
  return bid !== undefined ? priceStr(mb.inst, bid) : '';
}

/** One product as GET /api/v3/brokerage/market/products returns it (24 h figures from the sim's own tape). */
export function productJson(mb: MarketBook, tape: Tape): Record<string, unknown> {
  const { inst } = mb;
  const s = tape.stats(inst);
  const m = mid(mb);
  const change = s.open !== null && s.last !== null ? new Big(s.last.tick - s.open).div(s.open).times(100).toFixed(4) : '0';
  return {
    product_id: inst.symbol,
    price: lastPrice(mb, tape),
    price_percentage_change_24h: change,
    volume_24h: s.volume.toFixed(),
    volume_percentage_change_24h: '0',
    base_increment: inst.stepSize,
    quote_increment: inst.tickSize,
    quote_min_size: inst.minNotional,
    quote_max_size: inst.maxNotional,
    base_min_size: inst.minQty,
    base_max_size: inst.maxQty,
    base_name: inst.base,
    quote_name: inst.quote,
    watched: false,
    is_disabled: false,
    new: false,
    status: 'online',
    cancel_only: false,
    limit_only: false,
    post_only: false,
    trading_disabled: false,
    auction_mode: false,
    product_type: 'SPOT',
    quote_currency_id: inst.quote,
    base_currency_id: inst.base,
    fcm_trading_session_details: null,
    mid_market_price: m ? m.toFixed() : '',
    alias: '',
    alias_to: [],
    base_display_symbol: inst.base,
    quote_display_symbol: inst.quote,
    view_only: false,
    price_increment: inst.tickSize,
    display_name: inst.symbol,
    product_venue: 'CBE',
    approximate_quote_24h_volume: s.quoteVolume.toFixed(),
  };
}

/** `last`, `mid_market`, `spread_bps`, `spread_absolute` of GET /market/product_book. */
export function bookSummary(mb: MarketBook, tape: Tape): Record<string, string> {
  const bid = mb.book.bids[0];
  const ask = mb.book.asks[0];
  const m = mid(mb);
  if (bid === undefined || ask === undefined || !m) return { last: lastPrice(mb, tape), mid_market: '', spread_bps: '', spread_absolute: '' };
  const spread = new Big(mb.inst.tickSize).times(ask - bid);
  return { last: lastPrice(mb, tape), mid_market: m.toFixed(), spread_bps: spread.div(m).times(10000).round(8).toFixed(), spread_absolute: spread.toFixed() };
}

/** One trade of the market_trades channel / the product ticker endpoint (`side`: the taker's). */
export function marketTradeJson(mb: MarketBook, p: TapePrint): Record<string, unknown> {
  return {
    trade_id: String(p.tradeId),
    product_id: mb.inst.symbol,
    price: priceStr(mb.inst, p.tick),
    size: qtyStr(mb.inst, p.lots),
    time: isoMicros(p.ts),
    side: p.takerSide === 'buy' ? 'BUY' : 'SELL',
  };
}

/**
 * GET /v2/exchange-rates: how much of each currency one `currency` buys, from the sim's book mids (USD, USDT and USDC
 * at par). Null for a currency the sim cannot value.
 */
export function exchangeRates(books: MarketBook[], currency: string): Record<string, string> | null {
  const usd = new Map<string, Big>(USD_PEGGED.map((c) => [c, new Big(1)]));
  for (const f of FIAT_CURRENCIES) if (f.id === 'USD') usd.set(f.id, new Big(1));
  for (const mb of books) {
    const m = mid(mb);
    const quoteUsd = usd.get(mb.inst.quote);
    if (m && quoteUsd && !usd.has(mb.inst.base)) usd.set(mb.inst.base, m.times(quoteUsd));
  }
  const base = usd.get(currency);
  if (!base) return null;
  const rates: Record<string, string> = {};
  for (const [code, v] of [...usd.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) rates[code] = base.div(v).round(12).toFixed();
  return rates;
}
