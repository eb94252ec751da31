import type { Instrument } from '../model/instrument';
import { priceStr } from '../model/format';
import type { SimBook } from '../model/sim-book';

/** One product as GET /api/v3/brokerage/market/products returns it. */
export function productJson(inst: Instrument, book: SimBook): Record<string, unknown> {
  const bid = book.bids[0];
  const ask = book.asks[0];
  const price = bid !== undefined ? priceStr(inst, bid) : '';
  const mid = bid !== undefined && ask !== undefined ? ((bid + ask) / 2) * inst.tickValue : 0;
  return {
    product_id: inst.symbol,
    price,
    price_percentage_change_24h: '0',
    volume_24h: '0',
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
    mid_market_price: mid > 0 ? String(mid) : '',
    alias: '',
    alias_to: [],
    base_display_symbol: inst.base,
    quote_display_symbol: inst.quote,
    view_only: false,
    price_increment: inst.tickSize,
    display_name: inst.symbol,
    product_venue: 'CBE',
  };
}
