import Big from 'big.js';
import { priceStr, qtyStr } from '../model/format';
import type { MarketBook } from '../model/market';
import type { Tape, TapePrint } from '../trading/tape';
import { marketTradeJson } from './products';

/** Trades a market_trades snapshot carries (the newest first). */
export const TRADES_SNAPSHOT = 50;

/** A channel message (every channel shares the connection's sequence_num). */
export function channelMessage(channel: string, timestamp: string, seq: number, events: unknown[]): string {
  return JSON.stringify({ channel, client_id: '', timestamp, sequence_num: seq, events });
}

/** One `tickers[]` entry of the ticker / ticker_batch channels: last trade, 24 h figures (the sim's tape), top of book. */
export function tickerJson(mb: MarketBook, tape: Tape): Record<string, unknown> {
  const { inst, book } = mb;
  const s = tape.stats(inst);
  const bid = book.bids[0];
  const ask = book.asks[0];
  const lastTick = s.last?.tick ?? bid ?? null;
  const px = (t: number | null): string => (t === null ? '' : priceStr(inst, t));
  const change = s.open !== null && s.last !== null ? new Big(s.last.tick - s.open).div(s.open).times(100).toFixed(8) : '0';
  return {
    type: 'ticker',
    product_id: inst.symbol,
    price: px(lastTick),
    volume_24_h: s.volume.toFixed(),
    low_24_h: px(s.low ?? lastTick),
    high_24_h: px(s.high ?? lastTick),
    low_52_w: px(s.low ?? lastTick),
    high_52_w: px(s.high ?? lastTick),
    price_percent_chg_24_h: change,
    best_bid: px(bid ?? null),
    best_bid_quantity: bid !== undefined ? qtyStr(inst, book.lots(0, bid)) : '',
    best_ask: px(ask ?? null),
    best_ask_quantity: ask !== undefined ? qtyStr(inst, book.lots(1, ask)) : '',
  };
}

/** The `market_trades` events: a snapshot of the newest trades, or an update with new ones. */
export function tradesEvent(type: 'snapshot' | 'update', mb: MarketBook, prints: TapePrint[]): Record<string, unknown> {
  return { type, trades: prints.map((p) => marketTradeJson(mb, p)) };
}

/** One `products[]` entry of the status channel. */
export function statusProductJson(mb: MarketBook): Record<string, unknown> {
  const { inst } = mb;
  return {
    product_type: 'SPOT',
    id: inst.symbol,
    base_currency: inst.base,
    quote_currency: inst.quote,
    base_increment: inst.stepSize,
    quote_increment: inst.tickSize,
    display_name: `${inst.base}/${inst.quote}`,
    status: 'online',
    status_message: '',
    min_market_funds: inst.minNotional,
  };
}
