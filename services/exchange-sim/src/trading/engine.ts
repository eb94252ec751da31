import Big from 'big.js';
import type { MarketBook, VenueName } from '../model/market';
import type { Account } from './account';
import type { FeePolicy } from './fees';
import { matchIoc, type MatchLevel, type MatchResult } from './matching';
import { newSimOrder, type Side, type SimFill, type SimOrder } from './order';
import { OrderStore } from './order-store';
import type { TradeTracker } from './trade-tracker';

export type OrderEvent =
  | { type: 'accepted'; order: SimOrder }
  | { type: 'fill'; order: SimOrder; fill: SimFill }
  | { type: 'done'; order: SimOrder }
  | { type: 'balances'; account: Account; assets: string[] };

export interface NewOrder {
  account: Account;
  mb: MarketBook;
  side: Side;
  qty: string;
  price: string;
  lots: number;
  limitTick: number;
  notional: Big;
  clientOrderId: string;
  orderId: string;
}

/** Fills held back by a late-fill fault: booked later by `bookLate`; `complete` = they fill the order entirely. */
export interface LateFills {
  levels: MatchLevel[];
  complete: boolean;
}

const ZERO = new Big(0);

export type PlaceResult = { kind: 'accepted'; order: SimOrder } | { kind: 'rejected'; order: SimOrder; reason: 'insufficient' };

/**
 * One venue's matching engine: IOC limit orders against the venue's current sim book, balances
 * locked at placement and settled exactly by the fills and fees, events for the private streams.
 * Venue-neutral: the venue REST/WS layers validate input and render their own wire formats.
 */
export class TradingEngine {
  readonly orders: OrderStore;
  private readonly listeners = new Set<(e: OrderEvent) => void>();
  private nextTradeId = 1;

  constructor(
    readonly venue: VenueName,
    readonly fees: FeePolicy,
    private readonly tracker: TradeTracker,
    maxOrders?: number,
  ) {
    this.orders = new OrderStore(maxOrders);
  }

  onEvent(listener: (e: OrderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
   * Matches a pending order against the book now; the rest of an IOC expires. `lateShare` (fault injection): that
   * share of the matched lots (taken from the worst prices) is held back: the order is reported final (expired)
   * without it, and the returned levels are to be booked later with `bookLate` (a fill reported late). Returns null
   * when nothing is held back.
   */
  execute(order: SimOrder, account: Account, mb: MarketBook, lateShare = 0): LateFills | null {
    if (order.status !== 'pending') return null;
    this.emit({ type: 'accepted', order });
    const m = this.take(mb, order.side, order.lots, order.limitTick);
    order.bookUpdateId = m.updateId;
    const ts = Date.now();
    const now = m.levels.map((l) => ({ ...l }));
    const late: MatchLevel[] = [];
    let hold = lateShare > 0 ? Math.floor(m.filledLots * lateShare) : 0;
    for (let i = now.length - 1; i >= 0 && hold > 0; i--) {
      const l = now[i] as MatchLevel;
      const take = Math.min(l.lots, hold);
      l.lots -= take;
      hold -= take;
      late.unshift({ tick: l.tick, lots: take });
    }
    for (const l of now) if (l.lots > 0) this.fill(order, mb, l, ts);
    order.status = late.length === 0 && m.filledLots === order.lots ? 'filled' : 'expired';
    order.updatedTs = ts;
    this.settle(order, account);
    this.tracker.final(this.venue, order.tradeKey, order.fills.length, false);
    this.emit({ type: 'done', order });
    this.emit({ type: 'balances', account, assets: [order.base, order.quote] });
    return late.length === 0 ? null : { levels: late, complete: m.filledLots === order.lots };
  }

  /**
   * Books fills held back by `execute` (the venue corrects the order: more filled than first reported): the fills,
   * the order's status (filled when they complete it) and the balances move now, with the private-stream events.
   */
  bookLate(order: SimOrder, account: Account, mb: MarketBook, late: LateFills): void {
    if (order.status !== 'expired') return;
    const ts = Date.now();
    const before = { qty: order.filledQty, quote: order.filledQuote, fee: order.fee };
    for (const l of late.levels) this.fill(order, mb, l, ts);
    order.status = late.complete ? 'filled' : 'expired';
    order.updatedTs = ts;
    const qty = order.filledQty.minus(before.qty);
    const quote = order.filledQuote.minus(before.quote);
    const fee = order.fee.minus(before.fee);
    const feeInQuote = this.fees.feeInQuote(order.side);
    if (order.side === 'buy') {
      account.settle(order.quote, ZERO, feeInQuote ? quote.plus(fee) : quote);
      account.credit(order.base, feeInQuote ? qty : qty.minus(fee));
    } else {
      account.settle(order.base, ZERO, qty);
      account.credit(order.quote, quote.minus(fee));
    }
    this.emit({ type: 'done', order });
    this.emit({ type: 'balances', account, assets: [order.base, order.quote] });
  }

  private fill(order: SimOrder, mb: MarketBook, l: MatchLevel, ts: number): void {
    const { inst } = mb;
    const price = new Big(inst.tickSize).times(l.tick);
    const qty = new Big(inst.stepSize).times(l.lots);
    const quote = price.times(qty);
    const fee = this.fees.fee(order.side, qty, quote);
    const fill: SimFill = { price: price.toFixed(), qty: qty.toFixed(), quote: quote.toFixed(), fee: fee.toFixed(), feeAsset: order.feeAsset, tradeId: this.nextTradeId++, ts };
    order.fills.push(fill);
    order.filledQty = order.filledQty.plus(qty);
    order.filledQuote = order.filledQuote.plus(quote);
    order.fee = order.fee.plus(fee);
    order.updatedTs = ts;
    this.emit({ type: 'fill', order, fill });
  }

  /**
   * A taker from outside the accounts (the sim's rivals): matches like an IOC order, through the same path (one book
   * change, published and recorded like any fill), with no account, balances or order record.
   */
  sweep(mb: MarketBook, side: Side, lots: number, limitTick: number): MatchResult {
    return this.take(mb, side, lots, limitTick);
  }

  /** Cancels a pending order (nothing filled): unlocks its funds. False when it is already final. */
  cancel(order: SimOrder, account: Account): boolean {
    if (order.status !== 'pending') return false;
    order.status = 'canceled';
    order.updatedTs = Date.now();
    this.settle(order, account);
    this.tracker.final(this.venue, order.tradeKey, 0, false);
    this.emit({ type: 'done', order });
    this.emit({ type: 'balances', account, assets: [order.lockAsset] });
    return true;
  }

  /** Every taker, account or rival, matches here (resting orders join this path when they exist). */
  private take(mb: MarketBook, side: Side, lots: number, limitTick: number): MatchResult {
    return matchIoc(mb.book, side, lots, limitTick);
  }

  private settle(order: SimOrder, account: Account): void {
    const feeInQuote = this.fees.feeInQuote(order.side);
    if (order.side === 'buy') {
      const spent = feeInQuote ? order.filledQuote.plus(order.fee) : order.filledQuote;
      account.settle(order.lockAsset, order.lockAmount, spent);
      account.credit(order.base, feeInQuote ? order.filledQty : order.filledQty.minus(order.fee));
    } else {
      account.settle(order.lockAsset, order.lockAmount, order.filledQty);
      account.credit(order.quote, order.filledQuote.minus(order.fee));
    }
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
