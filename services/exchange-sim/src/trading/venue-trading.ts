import type { ServerResponse } from 'node:http';
import type { TradingFaultsConfig } from '../config/trading-schema';
import type { MarketBook, VenueName } from '../model/market';
import type { Rng } from '../model/rng';
import { Account } from './account';
import { TradingEngine } from './engine';
import type { FeePolicy } from './fees';
import type { SimOrder } from './order';
import type { TradeTracker } from './trade-tracker';
import { Tape } from './tape';
import { TradingFaults, type OrderFaultDecision } from './trading-faults';

/**
 * Trading side of one simulated venue: its accounts, matching engine and trading faults, plus the
 * timing of answers (slowAckMs delays, timeouts that are never answered). Venue wire formats live
 * in the venue folders.
 */
export class VenueTrading {
  readonly engine: TradingEngine;
  readonly faults: TradingFaults;
  /** Every match on the venue's books (trade streams, tickers). */
  readonly tape = new Tape();
  /** Accounts by key (Binance API key / Coinbase key name), in configuration order. */
  readonly accounts = new Map<string, Account>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly held = new Set<ServerResponse>();
  private closed = false;

  constructor(
    readonly venue: VenueName,
    /** Books by normalized symbol (BTC-USDT). */
    readonly books: ReadonlyMap<string, MarketBook>,
    fees: FeePolicy,
    faults: TradingFaultsConfig,
    rng: Rng,
    tracker: TradeTracker,
    maxOrders?: number,
  ) {
    this.engine = new TradingEngine(venue, fees, tracker, maxOrders, (key) => this.accounts.get(key));
    for (const mb of books.values()) this.engine.attach(mb);
    this.engine.onEvent((e) => {
      if (e.type === 'trade') this.tape.record(e.trade);
    });
    this.faults = new TradingFaults(faults, rng);
  }

  /** After each model step, before the venue publishes it: resting orders back over the model's quotes, flow fills. */
  syncBooks(): void {
    this.engine.syncBooks();
  }

  addAccount(key: string, uuid: string, balances: Record<string, string>): Account {
    const a = new Account(key, uuid, balances);
    this.accounts.set(key, a);
    return a;
  }

  /**
   * Runs an accepted order: now, or after the fault's delay (the order stays pending, and can be
   * canceled, meanwhile). Then `answer()` is called, unless the fault says "timeout": then the
   * request is held open without an answer until the client gives up.
   */
  submit(order: SimOrder, account: Account, mb: MarketBook, decision: OrderFaultDecision, res: ServerResponse, answer: () => void): void {
    const tags = [decision.arrivalDelayMs > 0 ? 'arrivalDelay' : decision.timeout ? 'timeout' : '', decision.delayMs > 0 ? 'slowAck' : ''].filter((t) => t !== '');
    if (tags.length > 0) order.faults = tags;
    const run = (): void => {
      const late = this.engine.execute(order, account, mb, decision.lateFillShare);
      if (late !== null) {
        order.faults = [...(order.faults ?? []), 'lateFill'];
        this.faults.counters.lateFills++;
        this.later(decision.lateFillMs, () => this.engine.bookLate(order, account, mb, late));
      }
      if (decision.timeout) this.hold(res);
      else if (!res.destroyed) answer();
    };
    if (decision.delayMs <= 0) return run();
    this.later(decision.delayMs, run);
  }

  /**
   * An order request delayed on its way (fault `arrivalDelayMs`): the request is held unanswered at once, and
   * `arrive` (the venue's normal handling, whose answer goes nowhere) runs when the order reaches the venue.
   */
  arriveLate(res: ServerResponse, delayMs: number, arrive: () => void): void {
    this.hold(res);
    this.later(delayMs, arrive);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  /** Stops pending timers and drops held requests (server shutdown). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.held) r.destroy();
    this.held.clear();
  }

  get heldCount(): number {
    return this.held.size;
  }

  private hold(res: ServerResponse): void {
    if (res.destroyed) return;
    this.held.add(res);
    const drop = (): void => {
      this.held.delete(res);
      res.destroy();
    };
    // 'close' on the response: the client gave up (its connection closed) before any answer.
    res.once('close', drop);
  }
}
