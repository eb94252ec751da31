import type { CoinbaseVenue } from '../coinbase/venue';
import { priceStr, qtyStr } from '../model/format';
import { VENUES, type Market, type VenueName } from '../model/market';

export interface TrueBook {
  venue: string;
  symbol: string;
  /** The venue sequence this state belongs to: Binance update id, Coinbase sequence_num. */
  seq: number | null;
  /** The book's own update id of this state. */
  updateId: number;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}

export type BookQueryResult = { ok: true; book: TrueBook } | { ok: false; status: number; error: string };

/**
 * GET /control/book: the TRUE book of (venue, symbol), top `depth` levels, current or as of a
 * venue sequence: Binance `u` / `lastUpdateId`; Coinbase `sequence_num` of a message that
 * carried the product; or (`updateId=`) as of the book's own update id (any venue; e.g. an
 * order's `bookUpdateId`). Past states need `sim.control.historySize` > 0.
 */
export function queryBook(market: Market, coinbase: CoinbaseVenue, q: URLSearchParams): BookQueryResult {
  const venue = q.get('venue') ?? '';
  const symbol = q.get('symbol') ?? '';
  if (!(VENUES as readonly string[]).includes(venue)) return { ok: false, status: 400, error: `unknown venue ${JSON.stringify(venue)}` };
  const mb = market.book(venue as VenueName, symbol);
  if (!mb) return { ok: false, status: 404, error: `unknown symbol ${JSON.stringify(symbol)}` };
  const depthRaw = q.get('depth');
  const depth = depthRaw === null ? 20 : Number(depthRaw);
  if (!Number.isInteger(depth) || depth < 1 || depth > 5000) return { ok: false, status: 400, error: 'depth must be an integer 1..5000' };
  const seqRaw = q.get('seq');
  const idRaw = q.get('updateId');
  const feed = venue === 'coinbase' ? coinbase.feeds.get(symbol) : undefined;
  let seq: number | null;
  let updateId: number;
  if (idRaw !== null) {
    updateId = Number(idRaw);
    if (!/^[0-9]+$/.test(idRaw) || !Number.isSafeInteger(updateId)) return { ok: false, status: 400, error: 'updateId must be a non-negative integer' };
    seq = venue === 'binance' ? updateId : null;
  } else if (seqRaw === null) {
    updateId = mb.book.updateId;
    seq = venue === 'binance' ? updateId : (feed?.lastSeq ?? null);
  } else {
    seq = Number(seqRaw);
    if (!/^[0-9]+$/.test(seqRaw) || !Number.isSafeInteger(seq)) return { ok: false, status: 400, error: 'seq must be a non-negative integer' };
    const id = venue === 'binance' ? seq : feed?.seqIndex.get(seq);
    if (id === undefined) return { ok: false, status: 404, error: `sequence_num ${seq} not in history (historySize ${market.cfg.control.historySize})` };
    updateId = id;
  }
  const state = mb.book.stateAt(updateId);
  if (!state) return { ok: false, status: 404, error: `seq ${seqRaw ?? updateId} not in history (historySize ${market.cfg.control.historySize})` };
  const fmt = ([t, l]: [number, number]): [string, string] => [priceStr(mb.inst, t), qtyStr(mb.inst, l)];
  return {
    ok: true,
    book: { venue, symbol, seq, updateId, bids: state.bids.slice(0, depth).map(fmt), asks: state.asks.slice(0, depth).map(fmt) },
  };
}
