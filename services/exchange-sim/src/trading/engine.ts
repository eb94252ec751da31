import Big from 'big.js';
import type { Instrument } from '../model/instrument';
import type { MarketBook, VenueName } from '../model/market';
import type { Account } from './account';
import type { FeePolicy } from './fees';
import { availableLots, matchIoc, wouldTake, type MatchLevel, type MatchResult } from './matching';
import { planByQuote } from './market-order';
import { newSimOrder, remainingLots, type OrderInput, type Side, type SimFill, type SimOrder } from './order';
import { OrderStore } from './order-store';
import { RestingBook, type MakerSink, type TapeTrade } from './resting-book';
import type { TradeTracker } from './trade-tracker';

export type OrderEvent =
  | { type: 'accepted'; order: SimOrder }
  | { type: 'fill'; order: SimOrder; fill: SimFill }
  /** The order's unfilled rest now rests in the book (GTC / post-only). */
  | { type: 'open'; order: SimOrder }
  | { type: 'done'; order: SimOrder }
  | { type: 'balances'; account: Account; assets: string[] }
  /** A match on one of the venue's books (whoever traded: accounts, resting orders, the model's flow, sweeps). */
  | { type: 'trade'; trade: TapeTrade };

export interface NewOrder extends OrderInput {
  account: Account;
  /** What a buy locks in quote before fees: qty × limit price, or a quote-sized market order's budget. */
  notional: Big;
}

/** Fills held back by a late-fill fault: booked later by `bookLate`; `complete` = they fill the order entirely. */
export interface LateFills {
  levels: MatchLevel[];
  complete: boolean;
}

const ZERO = new Big(0);

export type PlaceResult = { kind: 'accepted'; order: SimOrder } | { kind: 'rejected'; order: SimOrder; reason: 'insufficient' };

/**
 * One venue's matching engine: limit (IOC / FOK / GTC), market and post-only orders against the venue's sim book,
 * resting orders living in the book (filled as makers by other takers and by the model's flow), balances locked
 * at placement and settled exactly fill by fill, events for the private streams and the public tape.
 * Venue-neutral: the venue REST/WS layers validate input and render their own wire formats.
 */
export class TradingEngine implements MakerSink {
  readonly orders: OrderStore;
  private readonly listeners = new Set<(e: OrderEvent) => void>();
  private readonly books = new Map<string, MarketBook>();
  private readonly resting = new Map<string, RestingBook>();
  private tradeIds = 1;

  constructor(
    readonly venue: VenueName,
    readonly fees: FeePolicy,
    private readonly tracker: TradeTracker,
    maxOrders?: number,
    private readonly accountOf: (key: string) => Account | undefined = () => undefined,
  ) {
    this.orders = new OrderStore(maxOrders);
  }

  onEvent(listener: (e: OrderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes `mb` tradable with resting orders (every venue book is attached once). */
  attach(mb: MarketBook): RestingBook {
    let rb = this.resting.get(mb.inst.symbol);
    if (!rb) {
      rb = new RestingBook(mb, this);
      this.resting.set(mb.inst.symbol, rb);
      this.books.set(mb.inst.symbol, mb);
    }
    return rb;
  }

  /** Re-applies the resting orders after a model step and lets the model's flow trade with them (every book). */
  syncBooks(): void {
    for (const rb of this.resting.values()) rb.sync();
  }

  /** The account's orders still working (pending or resting), newest first. */
  openOrders(accountKey: string): SimOrder[] {
    return this.orders.ofAccount(accountKey).filter((o) => o.status === 'pending' || o.status === 'open');
  }

  /** Locks the funds and records the order as pending (not matched yet); rejects when funds are short. */
  place(n: NewOrder): PlaceResult {
    const order = newSimOrder(this.venue, n, this.fees.feeAsset(n.side, n.mb.inst.base, n.mb.inst.quote));
    this.tracker.arrive(this.venue, order.tradeKey);
    const lock = this.fees.lockFor(n.side, new Big(n.qty), n.notional, order.base, order.quote);
    if (!n.account.lock(lock.asset, lock.amount)) {
      order.status = 'rejected';
      order.rejectReason = 'insufficient balance';
      this.orders.add(order);
      this.tracker.final(this.venue, order.tradeKey, 0, true);
      return { kind: 'rejected', order, reason: 'insufficient' };
    }
    order.lockAsset = lock.asset;
    order.lockAmount = lock.amount;
    order.lockLeft = lock.amount;
    this.orders.add(order);
    return { kind: 'accepted', order };
  }

  /** Records an order refused before the engine (fault injection); the venue answers with its reject. */
  reject(n: NewOrder, reason: string): SimOrder {
    const order = newSimOrder(this.venue, n, this.fees.feeAsset(n.side, n.mb.inst.base, n.mb.inst.quote));
    order.status = 'rejected';
    order.rejectReason = reason;
    this.tracker.arrive(this.venue, order.tradeKey);
    this.orders.add(order);
    this.tracker.final(this.venue, order.tradeKey, 0, true);
    return order;
  }

  /**
   * Matches a pending order against the book now. IOC / market: the rest expires. FOK: all or nothing. GTC: the
   * rest rests in the book. Post-only: expires without trading when it would take.
   *
   * `lateShare` (fault injection, orders that do not rest): that share of the matched lots (taken from the worst
   * prices) is held back: the order is reported final (expired) without it, and the returned levels are booked later
   * with `bookLate` (a fill reported late, then corrected). Returns null when nothing is held back.
   */
  execute(order: SimOrder, account: Account, mb: MarketBook, lateShare = 0): LateFills | null {
    if (order.status !== 'pending') return null;
    this.emit({ type: 'accepted', order });
    if (order.quoteQty !== null) this.replanQuoteSized(order, mb);
    const { book } = mb;
    const mayTake =
      order.lots > 0 &&
      !(order.type === 'limit_maker' && wouldTake(book, order.side, order.limitTick)) &&
      !(order.timeInForce === 'FOK' && availableLots(book, order.side, order.limitTick) < order.lots);
    const wanted = remainingLots(order);
    const m = mayTake ? this.take(mb, order.side, wanted, order.limitTick) : null;
    const late = m !== null && lateShare > 0 && order.timeInForce !== 'GTC' ? holdBack(m, lateShare) : [];
    if (m) this.takerFills(order, account, mb.inst, m);
    const rests = remainingLots(order) > 0 && order.timeInForce === 'GTC' && order.type !== 'market' && (mayTake || order.type !== 'limit_maker');
    if (rests) {
      order.status = 'open';
      order.updatedTs = Date.now();
      this.attach(mb).add(order);
      this.emit({ type: 'open', order });
      this.emit({ type: 'balances', account, assets: [order.base, order.quote] });
      return null;
    }
    this.finish(order, account, late.length === 0 && remainingLots(order) === 0 && order.lots > 0 ? 'filled' : 'expired');
    return late.length === 0 ? null : { levels: late, complete: m !== null && m.filledLots === wanted };
  }

  /**
   * Books fills held back by `execute` (the venue corrects the order: more filled than first reported): the fills,
   * the order's status (filled when they complete it) and the balances move now (from free: the order's lock went
   * back when it was first reported final), with the private-stream events.
   */
  bookLate(order: SimOrder, account: Account, mb: MarketBook, late: LateFills): void {
    if (order.status !== 'expired') return;
    for (const l of late.levels) {
      const fill = this.fillOf(order, mb.inst, l.tick, l.lots, l.tradeId ?? this.nextTradeId(), false);
      this.apply(order, account, fill, l.lots, false);
      this.emit({ type: 'fill', order, fill });
    }
    order.status = late.complete ? 'filled' : 'expired';
    order.updatedTs = Date.now();
    this.emit({ type: 'done', order });
    this.emit({ type: 'balances', account, assets: [order.base, order.quote] });
  }

  /**
   * A taker from outside the accounts (the sim's rivals): matches like an IOC order, through the same path (one book
   * change, published and recorded like any fill; resting orders in the levels it takes are filled as makers), with
   * no account, balances or order record.
   */
  sweep(mb: MarketBook, side: Side, lots: number, limitTick: number): MatchResult {
    return this.take(mb, side, lots, limitTick);
  }

  /** Cancels a pending or resting order: unlocks what is left. False when it is already final. */
  cancel(order: SimOrder, account: Account): boolean {
    if (order.status === 'open') this.resting.get(order.symbol)?.remove(order);
    else if (order.status !== 'pending') return false;
    this.finish(order, account, 'canceled');
    return true;
  }

  // MakerSink: called by the resting books.

  nextTradeId(): number {
    return this.tradeIds++;
  }

  makerFill(order: SimOrder, lots: number, tradeId: number, updateId: number): void {
    const account = this.accountOf(order.accountKey);
    const mb = this.books.get(order.symbol);
    if (!account || !mb) return;
    const fill = this.fillOf(order, mb.inst, order.limitTick, lots, tradeId, true);
    this.apply(order, account, fill, lots);
    order.bookUpdateId = updateId;
    this.emit({ type: 'fill', order, fill });
    if (remainingLots(order) === 0) this.finish(order, account, 'filled');
    else this.emit({ type: 'balances', account, assets: [order.base, order.quote] });
  }

  trade(t: TapeTrade): void {
    this.emit({ type: 'trade', trade: t });
  }

  /** Every taker, account or rival, matches here. */
  private take(mb: MarketBook, side: Side, lots: number, limitTick: number): MatchResult {
    return matchIoc(mb.book, side, lots, limitTick);
  }

  /** A quote-sized market order: its lots and worst price from the book now and its budget. */
  private replanQuoteSized(order: SimOrder, mb: MarketBook): void {
    const plan = planByQuote(mb, order.side, new Big(order.quoteQty as string));
    // A sell was sized (and locked) at placement: it never sells more than it locked.
    const lots = Math.min(plan?.lots ?? 0, order.side === 'sell' ? order.lots : Infinity);
    order.lots = lots;
    order.limitTick = plan?.limitTick ?? order.limitTick;
    order.qty = new Big(mb.inst.stepSize).times(lots).toFixed();
  }

  private takerFills(order: SimOrder, account: Account, inst: Instrument, m: MatchResult): void {
    order.bookUpdateId = m.updateId;
    for (const l of m.levels) {
      const fill = this.fillOf(order, inst, l.tick, l.lots, l.tradeId ?? this.nextTradeId(), false);
      this.apply(order, account, fill, l.lots);
      this.emit({ type: 'fill', order, fill });
    }
  }

  private fillOf(order: SimOrder, inst: Instrument, tick: number, lots: number, tradeId: number, maker: boolean): SimFill {
    const price = new Big(inst.tickSize).times(tick);
    const qty = new Big(inst.stepSize).times(lots);
    const quote = price.times(qty);
    const fee = this.fees.fee(order.side, qty, quote, maker);
    return { price: price.toFixed(), qty: qty.toFixed(), quote: quote.toFixed(), fee: fee.toFixed(), feeAsset: order.feeAsset, tradeId, ts: Date.now(), maker };
  }

  /**
   * Books one fill on the order and settles it on the account: what it spent leaves the lock (or, for a fill booked
   * after the order's lock went back, `fromLock` false: the free balance), what it got is free.
   */
  private apply(order: SimOrder, account: Account, f: SimFill, lots: number, fromLock = true): void {
    const qty = new Big(f.qty);
    const quote = new Big(f.quote);
    const fee = new Big(f.fee);
    order.fills.push(f);
    order.filledLots += lots;
    order.filledQty = order.filledQty.plus(qty);
    order.filledQuote = order.filledQuote.plus(quote);
    order.fee = order.fee.plus(fee);
    order.updatedTs = f.ts;
    const feeInQuote = this.fees.feeInQuote(order.side);
    const spent = order.side === 'buy' ? (feeInQuote ? quote.plus(fee) : quote) : qty;
    if (fromLock) {
      account.settle(order.lockAsset, spent, spent);
      order.lockLeft = order.lockLeft.minus(spent);
    } else {
      account.settle(order.lockAsset, ZERO, spent);
    }
    if (order.side === 'buy') account.credit(order.base, feeInQuote ? qty : qty.minus(fee));
    else account.credit(order.quote, quote.minus(fee));
  }

  /** Final state: what is still locked goes back to free. */
  private finish(order: SimOrder, account: Account, status: 'filled' | 'expired' | 'canceled'): void {
    order.status = status;
    order.updatedTs = Date.now();
    if (order.lockLeft.gt(0)) account.settle(order.lockAsset, order.lockLeft, new Big(0));
    order.lockLeft = new Big(0);
    this.tracker.final(this.venue, order.tradeKey, order.fills.length, false);
    this.emit({ type: 'done', order });
    this.emit({ type: 'balances', account, assets: [order.base, order.quote] });
  }

  private emit(e: OrderEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A broken subscriber must never break matching or settlement.
      }
    }
  }
}

/** Takes `share` of the matched lots off the worst-priced end of `m` (in place); returns what was taken, best first. */
function holdBack(m: MatchResult, share: number): MatchLevel[] {
  let hold = Math.floor(m.filledLots * share);
  const late: MatchLevel[] = [];
  for (let i = m.levels.length - 1; i >= 0 && hold > 0; i--) {
    const l = m.levels[i] as MatchLevel;
    const take = Math.min(l.lots, hold);
    hold -= take;
    late.unshift({ ...l, lots: take });
    if (take === l.lots) m.levels.splice(i, 1);
    else m.levels[i] = { ...l, lots: l.lots - take };
  }
  return late;
}
