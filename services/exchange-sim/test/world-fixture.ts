import Big from 'big.js';
import { testSimConfig } from '../src/config/test-config';
import type { SimConfig } from '../src/config/schema';
import { priceStr, qtyStr } from '../src/model/format';
import { Market, VENUES, type MarketBook, type VenueName } from '../src/model/market';
import { Account } from '../src/trading/account';
import { TradingEngine } from '../src/trading/engine';
import { venueFeePolicy } from '../src/trading/fees';
import type { SimOrder } from '../src/trading/order';
import { checkOrder } from '../src/trading/rules';
import { TradeTracker } from '../src/trading/trade-tracker';
import { windowJson } from '../src/world/window-record';
import { SimWorld } from '../src/world/world';

/** sim-mode fees (config/sim.yaml): what the sim stack trades at. */
export const SIM_FEES = { binance: { takerFee: '0.0002' }, coinbase: { takerFee: '0.0003' } };

/** A market that only moves when told to: no drift, noise, churn or jumps of its own. */
export const CALM = {
  rate: { levelUpdatesPerSec: 0 },
  jumps: { perMinute: 0 },
  symbols: [
    { symbol: 'BTC-USDT', startPrice: '65000', volatilityBps: 0 },
    { symbol: 'ETH-USDT', startPrice: '3500', volatilityBps: 0 },
  ],
  venues: { binance: { noiseBps: 0 }, coinbase: { noiseBps: 0 } },
  control: { port: 0, historySize: 5000 },
};

/** The model, both venues' matching engines and the world, in process, driven step by step. */
export class WorldFixture {
  readonly cfg: SimConfig;
  readonly market: Market;
  readonly engines: Record<VenueName, TradingEngine>;
  readonly world: SimWorld;
  readonly account = new Account('acct-1', 'u-1', { BTC: '1000', ETH: '10000', USDT: '100000000' });
  private nextId = 1;

  constructor(patch: Record<string, unknown> = {}) {
    this.cfg = testSimConfig({ trading: SIM_FEES, ...patch });
    this.market = new Market(this.cfg);
    this.engines = Object.fromEntries(VENUES.map((v) => [v, new TradingEngine(v, venueFeePolicy(this.cfg.trading, v), new TradeTracker(() => 0))])) as Record<VenueName, TradingEngine>;
    // Local time = model time: runs are comparable field by field.
    this.world = new SimWorld(this.market, this.cfg, this.engines, () => this.market.now);
    for (const e of Object.values(this.engines)) e.onEvent((ev) => ev.type === 'done' && this.world.onOrderDone(ev.order));
  }

  step(n = 1): void {
    for (let i = 0; i < n; i++) {
      this.world.step();
      this.market.clearStep();
    }
  }

  /** Steps until `cond` holds (at most `max` steps); throws otherwise. */
  stepUntil(cond: () => boolean, max = 1000, what = 'condition'): void {
    for (let i = 0; i < max; i++) {
      if (cond()) return;
      this.step();
    }
    if (!cond()) throw new Error(`${what} not reached in ${max} steps`);
  }

  book(venue: VenueName, symbol = 'BTC-USDT'): MarketBook {
    const mb = this.market.book(venue, symbol);
    if (!mb) throw new Error(`no book ${venue} ${symbol}`);
    return mb;
  }

  windows(): ReturnType<typeof windowJson>[] {
    return this.world.windows.ring.toArray().map(windowJson);
  }

  /** An IOC limit order of the fixture's account, matched now. */
  ioc(venue: VenueName, side: 'buy' | 'sell', qty: string, price: string, symbol = 'BTC-USDT'): SimOrder {
    const mb = this.book(venue, symbol);
    const c = checkOrder(mb.inst, qty, price);
    if (!c.ok) throw new Error(c.failure);
    const engine = this.engines[venue];
    const placed = engine.place({ ...c, account: this.account, mb, side, clientOrderId: `c${this.nextId}`, orderId: String(this.nextId++) });
    if (placed.kind !== 'accepted') throw new Error('order rejected');
    engine.execute(placed.order, this.account, mb);
    return placed.order;
  }

  bestAsk(venue: VenueName, symbol = 'BTC-USDT'): Big {
    const mb = this.book(venue, symbol);
    return new Big(priceStr(mb.inst, mb.book.asks[0] as number));
  }

  bestBid(venue: VenueName, symbol = 'BTC-USDT'): Big {
    const mb = this.book(venue, symbol);
    return new Big(priceStr(mb.inst, mb.book.bids[0] as number));
  }

  /** The book as of update id `id`, as wire strings (asks ascending, bids descending). */
  levelsAt(venue: VenueName, id: number, symbol = 'BTC-USDT'): { bids: Array<[string, string]>; asks: Array<[string, string]> } {
    const mb = this.book(venue, symbol);
    const s = mb.book.stateAt(id);
    if (!s) throw new Error(`state ${id} not retained`);
    const fmt = ([t, l]: [number, number]): [string, string] => [priceStr(mb.inst, t), qtyStr(mb.inst, l)];
    return { bids: s.bids.map(fmt), asks: s.asks.map(fmt) };
  }
}

export interface ExactWindow {
  edgeBps: Big;
  size: Big;
  profit: Big;
}

/**
 * An independent exact computation of a window from two books' levels (decimal strings): buy the asks, sell the bids,
 * while the marginal unit makes money after both taker fees (buy fee in base: buy factor 1, sell factor 1 − fs − fb;
 * in quote: 1 + fb and 1 − fs). Written apart from the sim's walk on purpose.
 */
export function exactWindow(asks: Array<[string, string]>, bids: Array<[string, string]>, buyFee: string, buyFeeInBase: boolean, sellFee: string): ExactWindow {
  const kb = buyFeeInBase ? new Big(1) : new Big(1).plus(buyFee);
  const ks = buyFeeInBase ? new Big(1).minus(sellFee).minus(buyFee) : new Big(1).minus(sellFee);
  const a = asks.map(([p, q]) => ({ p: new Big(p), q: new Big(q) }));
  const b = bids.map(([p, q]) => ({ p: new Big(p), q: new Big(q) }));
  const first = a[0];
  const top = b[0];
  if (!first || !top) throw new Error('empty side');
  const edgeBps = top.p.times(ks).minus(first.p.times(kb)).div(first.p).times(10000);
  let size = new Big(0);
  let profit = new Big(0);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ask = a[i] as { p: Big; q: Big };
    const bid = b[j] as { p: Big; q: Big };
    const unit = bid.p.times(ks).minus(ask.p.times(kb));
    if (unit.lte(0)) break;
    const q = ask.q.lt(bid.q) ? ask.q : bid.q;
    size = size.plus(q);
    profit = profit.plus(q.times(unit));
    ask.q = ask.q.minus(q);
    bid.q = bid.q.minus(q);
    if (ask.q.eq(0)) i++;
    if (bid.q.eq(0)) j++;
  }
  return { edgeBps, size, profit };
}
