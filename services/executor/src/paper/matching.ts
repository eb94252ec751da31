import Big from 'big.js';
import type { BookSnapshot } from '@arb/contracts';
import type { OrderFill, OrderSide } from '@arb/venues';
import { plain } from '../decimal';

/** Liquidity this paper client already took from a book (by price), until the venue publishes a new book. */
export class ConsumedLiquidity {
  private seq = -1;
  private readonly taken = new Map<string, Big>();

  /** Taken amount at `price` for this book (reset when the book's seq changes). */
  at(book: BookSnapshot, side: 'bids' | 'asks', price: string): Big {
    if (book.seq !== this.seq) {
      this.seq = book.seq;
      this.taken.clear();
    }
    return this.taken.get(`${side}|${price}`) ?? new Big(0);
  }

  take(side: 'bids' | 'asks', price: string, qty: Big): void {
    const k = `${side}|${price}`;
    this.taken.set(k, (this.taken.get(k) ?? new Big(0)).plus(qty));
  }
}

export interface MatchResult {
  fills: OrderFill[];
  filledQty: Big;
  filledQuote: Big;
  fee: Big;
}

/**
 * Fills an IOC limit order against a top-N book, depth-aware: walks the opposite side level by level while the price
 * is within the limit, up to `qty`, net of liquidity already taken from this book. Fee = takerFee × notional per fill
 * (quote). Exact decimals throughout.
 */
export function matchIoc(
  book: BookSnapshot,
  side: OrderSide,
  qty: string,
  limitPrice: string,
  takerFee: string,
  feeAsset: string,
  consumed: ConsumedLiquidity,
  tradeIdPrefix: string,
): MatchResult {
  const levels = side === 'buy' ? book.asks : book.bids;
  const bookSide = side === 'buy' ? 'asks' : 'bids';
  const limit = new Big(limitPrice);
  let left = new Big(qty);
  const fills: OrderFill[] = [];
  let filledQuote = new Big(0);
  let fee = new Big(0);
  for (const [price, size] of levels) {
    if (left.lte(0)) break;
    const p = new Big(price);
    if (side === 'buy' ? p.gt(limit) : p.lt(limit)) break;
    const free = new Big(size).minus(consumed.at(book, bookSide, price));
    if (free.lte(0)) continue;
    const q = free.lt(left) ? free : left;
    const notional = q.times(p);
    const f = notional.times(takerFee);
    consumed.take(bookSide, price, q);
    fills.push({ price, qty: plain(q), fee: plain(f), feeAsset, tradeId: `${tradeIdPrefix}-${fills.length + 1}` });
    filledQuote = filledQuote.plus(notional);
    fee = fee.plus(f);
    left = left.minus(q);
  }
  return { fills, filledQty: new Big(qty).minus(left), filledQuote, fee };
}
