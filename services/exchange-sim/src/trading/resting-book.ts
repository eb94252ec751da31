import { ASK, BID, type Side as BookSide } from '../model/change-buffer';
import type { MarketBook } from '../model/market';
import type { SimBook } from '../model/sim-book';
import { remainingLots, type Side, type SimOrder } from './order';

/** One print of the tape: a match between a taker and a maker at the maker's price, in book units. */
export interface TapeTrade {
  readonly mb: MarketBook;
  readonly tick: number;
  readonly lots: number;
  /** The side of the order that took liquidity ('buy' = it lifted an ask). */
  readonly takerSide: Side;
  readonly tradeId: number;
  readonly ts: number;
}

/** What the resting book needs from the venue's matching engine. */
export interface MakerSink {
  /** The venue's next trade id (shared by both sides of a trade). */
  nextTradeId(): number;
  /** `order` (resting) traded `lots` at its own price as the maker of trade `tradeId`, in book change `updateId`. */
  makerFill(order: SimOrder, lots: number, tradeId: number, updateId: number): void;
  /** Every match on this book (model liquidity, resting orders and the model's own flow). */
  trade(t: TapeTrade): void;
}

/** One part of a taker's match at one price: model liquidity (no maker order) or one resting order. */
export interface MatchPart {
  lots: number;
  tradeId: number;
  maker: SimOrder | null;
}

interface Level {
  readonly side: BookSide;
  readonly tick: number;
  /** Resting orders, oldest first (price-time priority inside the level). */
  readonly queue: SimOrder[];
  /** Resting lots (sum of the queue's remaining lots). */
  lots: number;
  /** The model's own lots at this price (the book shows model + resting). */
  model: number;
}

const registry = new WeakMap<SimBook, RestingBook>();

/** The resting orders of `book`, when a venue's engine attached them (every taker path asks here). */
export function restingOf(book: SimBook): RestingBook | undefined {
  return registry.get(book);
}

const bookSide = (s: Side): BookSide => (s === 'buy' ? BID : ASK);
const keyOf = (side: BookSide, tick: number): number => (side === BID ? tick : -tick - 1);

/**
 * Resting (GTC / post-only) orders of one (venue, symbol) book, living IN the sim book: a level shows the model's
 * lots plus the resting lots, every change goes through SimBook.begin/set/end, so the market-data feeds publish
 * them and the history records them. At a price the model's liquidity is ahead of resting orders (they joined
 * the back of the queue); resting orders are FIFO among themselves.
 *
 * The model quotes with absolute sizes and knows nothing of resting orders, so after each model step `sync()`
 * (1) takes the model's new size of every level it rewrote, (2) lets the model's flow trade with resting orders
 * its quotes crossed (a resting bid at or above the model's best ask is hit, at the bid's price, up to the crossing
 * size; the same for asks), (3) puts the resting lots back where the model overwrote or removed them: one change.
 */
export class RestingBook {
  private readonly levels = new Map<number, Level>();

  constructor(
    readonly mb: MarketBook,
    private readonly sink: MakerSink,
  ) {
    registry.set(mb.book, this);
  }

  /** Number of resting orders. */
  get orderCount(): number {
    let n = 0;
    for (const l of this.levels.values()) n += l.queue.length;
    return n;
  }

  /** Resting lots at `tick` on the side of `side`'s orders (0 when none). */
  restingLots(side: Side, tick: number): number {
    return this.levels.get(keyOf(bookSide(side), tick))?.lots ?? 0;
  }

  /** Puts the unfilled rest of `order` into the book at its limit price (one change). */
  add(order: SimOrder): void {
    this.sync();
    const side = bookSide(order.side);
    const key = keyOf(side, order.limitTick);
    const book = this.mb.book;
    let level = this.levels.get(key);
    if (!level) this.levels.set(key, (level = { side, tick: order.limitTick, queue: [], lots: 0, model: book.lots(side, order.limitTick) }));
    level.queue.push(order);
    level.lots += remainingLots(order);
    book.begin();
    book.set(side, level.tick, level.model + level.lots);
    book.end();
  }

  /** Takes a resting order out of the book (cancel); false when it is not resting here. */
  remove(order: SimOrder): boolean {
    this.sync();
    const level = this.levels.get(keyOf(bookSide(order.side), order.limitTick));
    const i = level ? level.queue.indexOf(order) : -1;
    if (!level || i < 0) return false;
    level.queue.splice(i, 1);
    level.lots -= remainingLots(order);
    const book = this.mb.book;
    book.begin();
    book.set(level.side, level.tick, level.model + level.lots);
    book.end();
    if (level.queue.length === 0) this.levels.delete(keyOf(level.side, level.tick));
    return true;
  }

  /**
   * A taker consumed `lots` at (`side` of the BOOK, `tick`) in book change `updateId` (the book already shows it):
   * splits them into the model's part (first) and resting orders (FIFO), fills those as makers, prints the tape.
   */
  consume(side: BookSide, tick: number, lots: number, updateId: number, ts: number): MatchPart[] {
    const takerSide: Side = side === ASK ? 'buy' : 'sell';
    const level = this.levels.get(keyOf(side, tick));
    const fromModel = level ? Math.min(lots, level.model) : lots;
    const parts: MatchPart[] = [];
    if (fromModel > 0) {
      if (level) level.model -= fromModel;
      const tradeId = this.sink.nextTradeId();
      parts.push({ lots: fromModel, tradeId, maker: null });
      this.sink.trade({ mb: this.mb, tick, lots: fromModel, takerSide, tradeId, ts });
    }
    if (level && lots > fromModel) parts.push(...this.fillQueue(level, lots - fromModel, updateId, takerSide, ts));
    return parts;
  }

  /** Re-applies resting lots over the model's last step and lets the model's flow trade with crossed orders. */
  sync(): void {
    if (this.levels.size === 0) return;
    const book = this.mb.book;
    for (const l of this.levels.values()) {
      const shown = book.lots(l.side, l.tick);
      // Anything else than model + resting: the model rewrote the level with its own absolute size (or removed it).
      if (shown !== l.model + l.lots) l.model = shown;
    }
    const flow = new Map<Level, number>();
    book.begin();
    this.crossFlow(BID, flow);
    this.crossFlow(ASK, flow);
    for (const l of this.levels.values()) {
      const want = l.model + l.lots - (flow.get(l) ?? 0);
      if (book.lots(l.side, l.tick) !== want) book.set(l.side, l.tick, want);
    }
    const updateId = book.end();
    if (flow.size === 0) return;
    const ts = Date.now();
    for (const [l, lots] of flow) this.fillQueue(l, lots, updateId, l.side === BID ? 'sell' : 'buy', ts);
  }

  /**
   * The model's quotes crossing resting orders of `side` (best first): the crossing model liquidity trades with
   * them at their price and leaves the book; `flow` collects the lots each level loses.
   */
  private crossFlow(side: BookSide, flow: Map<Level, number>): void {
    const book = this.mb.book;
    const mine = [...this.levels.values()].filter((l) => l.side === side).sort((a, b) => (side === BID ? b.tick - a.tick : a.tick - b.tick));
    const opp = side === BID ? ASK : BID;
    const other = side === BID ? book.asks : book.bids;
    for (const l of mine) {
      let left = l.lots;
      while (left > 0 && other.length > 0) {
        const t = other[0] as number;
        if (side === BID ? t > l.tick : t < l.tick) break;
        const take = Math.min(left, book.lots(opp, t));
        book.set(opp, t, book.lots(opp, t) - take);
        left -= take;
      }
      if (left < l.lots) flow.set(l, l.lots - left);
      else break;
    }
  }

  /** Fills `lots` of the level's queue, oldest first, as makers (taker: `takerSide`); returns the parts. */
  private fillQueue(level: Level, lots: number, updateId: number, takerSide: Side, ts: number): MatchPart[] {
    const parts: MatchPart[] = [];
    let left = lots;
    while (left > 0 && level.queue.length > 0) {
      const o = level.queue[0] as SimOrder;
      const take = Math.min(left, remainingLots(o));
      const tradeId = this.sink.nextTradeId();
      level.lots -= take;
      left -= take;
      if (take === remainingLots(o)) level.queue.shift();
      this.sink.makerFill(o, take, tradeId, updateId);
      this.sink.trade({ mb: this.mb, tick: level.tick, lots: take, takerSide, tradeId, ts });
      parts.push({ lots: take, tradeId, maker: o });
    }
    if (level.queue.length === 0) this.levels.delete(keyOf(level.side, level.tick));
    return parts;
  }
}
