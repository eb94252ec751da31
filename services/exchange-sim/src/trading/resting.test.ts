import Big from 'big.js';
import { testSimConfig } from '../config/test-config';
import { ASK, BID } from '../model/change-buffer';
import { Market, type MarketBook, type VenueName } from '../model/market';
import { Account } from './account';
import { TradingEngine, type OrderEvent } from './engine';
import { FeePolicy } from './fees';
import { matchIoc } from './matching';
import { planByQuote } from './market-order';
import type { OrderType, Side, SimOrder, TimeInForce } from './order';
import { checkOrder } from './rules';
import { TradeTracker } from './trade-tracker';

function setup(venue: VenueName = 'binance', churn = 0) {
  const market = new Market(testSimConfig({ rate: { levelUpdatesPerSec: churn }, jumps: { perMinute: 0 } }));
  market.clearStep();
  const mb = market.book(venue, 'BTC-USDT') as MarketBook;
  const accounts = new Map<string, Account>([
    ['maker', new Account('maker', 'u1', { BTC: '10', USDT: '1000000' })],
    ['taker', new Account('taker', 'u2', { BTC: '10', USDT: '1000000' })],
  ]);
  const fees = venue === 'binance' ? new FeePolicy('0.001', 8, 'received', '0.0005') : new FeePolicy('0.006', 8, 'quote', '0.004');
  const engine = new TradingEngine(venue, fees, new TradeTracker(() => 0), undefined, (k) => accounts.get(k));
  engine.attach(mb);
  const events: OrderEvent[] = [];
  engine.onEvent((e) => events.push(e));
  let id = 1;
  const place = (who: 'maker' | 'taker', side: Side, qty: string, price: string, type: OrderType = 'limit', timeInForce: TimeInForce = 'GTC'): SimOrder => {
    const c = checkOrder(mb.inst, qty, price);
    if (!c.ok) throw new Error(c.failure);
    const account = accounts.get(who) as Account;
    const placed = engine.place({ ...c, account, mb, side, type, timeInForce, clientOrderId: `${who}-${id}`, orderId: String(id++) });
    if (placed.kind !== 'accepted') throw new Error('rejected');
    engine.execute(placed.order, account, mb);
    return placed.order;
  };
  const acct = (k: 'maker' | 'taker') => accounts.get(k) as Account;
  const tick = (t: number): string => new Big(mb.inst.tickSize).times(t).toFixed();
  /** One model step as the sim runs it: the model, then the resting orders re-applied (what the venue publishes). */
  const step = (): void => {
    market.step();
    engine.syncBooks();
    market.clearStep();
  };
  return { market, mb, engine, events, place, acct, tick, step, fees };
}

const total = (a: Account, asset: string): Big => a.free(asset).plus(a.locked(asset));

describe('resting orders (GTC, post-only) in the sim book', () => {
  it('a GTC buy below the ask rests IN the book (model + resting lots), locks exactly, and is canceled back out', () => {
    const { mb, place, acct, tick, events } = setup();
    const t = (mb.book.bids[0] as number) - 1;
    const model = mb.book.lots(BID, t);
    const id = mb.book.updateId;
    const o = place('maker', 'buy', '0.5', tick(t));
    expect(o.status).toBe('open');
    expect(mb.book.lots(BID, t)).toBe(model + 50000);
    expect(mb.book.updateId).toBe(id + 1);
    expect(acct('maker').balance('USDT')).toEqual({ asset: 'USDT', free: new Big(1000000).minus(new Big(tick(t)).times('0.5')).toFixed(), locked: new Big(tick(t)).times('0.5').toFixed() });
    expect(events.map((e) => e.type)).toEqual(['accepted', 'open', 'balances']);
  });

  it('another account sweeping the level fills the model first, then the resting order as maker (one book change, one trade id per match)', () => {
    const { mb, engine, place, acct, tick, fees } = setup();
    const t = mb.book.bids[0] as number;
    const model = mb.book.lots(BID, t);
    const maker = place('maker', 'buy', '0.3', tick(t));
    const id = mb.book.updateId;
    const qty = new Big(model + 20000).times(mb.inst.stepSize).toFixed();
    const taker = place('taker', 'sell', qty, tick(t), 'limit', 'IOC');
    expect(mb.book.updateId).toBe(id + 1);
    expect(taker.status).toBe('filled');
    expect(taker.fills.map((f) => [f.qty, f.maker])).toEqual([
      [new Big(model).times(mb.inst.stepSize).toFixed(), false],
      ['0.2', false],
    ]);
    expect(maker.status).toBe('open');
    expect(maker.fills).toHaveLength(1);
    expect(maker.fills[0]).toMatchObject({ qty: '0.2', price: tick(t), maker: true, tradeId: taker.fills[1]?.tradeId });
    expect(mb.book.lots(BID, t)).toBe(10000);
    // The maker's fill settled at once: base credited minus the maker fee (in base), the quote left its lock.
    const fee = fees.fee('buy', new Big('0.2'), new Big('0.2').times(tick(t)), true);
    expect(fee.eq(new Big('0.2').times('0.0005'))).toBe(true);
    expect(acct('maker').balance('BTC')).toEqual({ asset: 'BTC', free: new Big(10).plus('0.2').minus(fee).toFixed(), locked: '0' });
    expect(acct('maker').locked('USDT').eq(new Big(tick(t)).times('0.1'))).toBe(true);
    expect(total(acct('maker'), 'USDT').eq(new Big(1000000).minus(new Big(tick(t)).times('0.2')))).toBe(true);
    // The rest goes on filling; the last fill makes it final and nothing stays locked.
    place('taker', 'sell', new Big(mb.book.lots(BID, t)).times(mb.inst.stepSize).toFixed(), tick(t), 'limit', 'IOC');
    expect(maker.status).toBe('filled');
    expect(acct('maker').locked('USDT').eq(0)).toBe(true);
    expect(engine.openOrders('maker')).toEqual([]);
  });

  it('a rival sweep through matchIoc (no account) fills resting orders the same way', () => {
    const { mb, place } = setup();
    const t = mb.book.asks[0] as number;
    const maker = place('maker', 'sell', '0.4', new Big(mb.inst.tickSize).times(t).toFixed());
    const m = matchIoc(mb.book, 'buy', mb.book.lots(ASK, t), t);
    expect(m.levels.at(-1)).toMatchObject({ lots: 40000, maker });
    expect(maker.status).toBe('filled');
  });

  it('cancel takes it out of the book and unlocks exactly; a canceled order never fills', () => {
    const { mb, engine, place, acct, tick } = setup();
    const t = (mb.book.asks[0] as number) + 1;
    const model = mb.book.lots(ASK, t);
    const o = place('maker', 'sell', '1.25', tick(t));
    expect(acct('maker').balance('BTC')).toEqual({ asset: 'BTC', free: '8.75', locked: '1.25' });
    expect(engine.cancel(o, acct('maker'))).toBe(true);
    expect(o.status).toBe('canceled');
    expect(mb.book.lots(ASK, t)).toBe(model);
    expect(acct('maker').balance('BTC')).toEqual({ asset: 'BTC', free: '10', locked: '0' });
    expect(engine.cancel(o, acct('maker'))).toBe(false);
  });

  it("survives the model's re-quotes: after every step the book shows model + resting, never crossed", () => {
    const { mb, place, step } = setup('binance', 20000);
    const bid = (mb.book.bids[0] as number) - 3;
    const ask = (mb.book.asks[0] as number) + 3;
    const tick = new Big(mb.inst.tickSize);
    const b = place('maker', 'buy', '0.7', tick.times(bid).toFixed());
    const a = place('maker', 'sell', '0.9', tick.times(ask).toFixed());
    for (let i = 0; i < 300; i++) {
      step();
      expect((mb.book.bids[0] as number) < (mb.book.asks[0] as number)).toBe(true);
      if (b.status === 'open') expect(mb.book.lots(BID, bid)).toBeGreaterThanOrEqual(70000 - b.filledLots);
      if (a.status === 'open') expect(mb.book.lots(ASK, ask)).toBeGreaterThanOrEqual(90000 - a.filledLots);
    }
  });

  it("the model's flow fills a resting bid its asks cross, at the bid's price, and settles exactly (fees in quote)", () => {
    const { market, mb, place, acct, step, events } = setup('coinbase');
    const tick = new Big(mb.inst.tickSize);
    const bb = mb.book.bids[0] as number;
    const ba = mb.book.asks[0] as number;
    const t = Math.floor((bb + ba) / 2); // inside the spread: the best bid now
    const o = place('maker', 'buy', '0.05', tick.times(t).toFixed());
    expect(mb.book.bids[0]).toBe(t);
    market.dislocate('coinbase', 'BTC-USDT', -20, 60_000);
    for (let i = 0; i < 100 && o.status === 'open'; i++) step();
    expect(o.status).toBe('filled');
    expect(o.fills.every((f) => f.maker && f.price === tick.times(t).toFixed())).toBe(true);
    const quote = new Big('0.05').times(tick.times(t));
    const fee = o.fills.reduce((s, f) => s.plus(f.fee), new Big(0));
    expect(fee.eq(o.fills.reduce((s, f) => s.plus(new Big(f.quote).times('0.004').round(8, 0)), new Big(0)))).toBe(true);
    expect(acct('maker').balance('USDT')).toEqual({ asset: 'USDT', free: new Big(1000000).minus(quote).minus(fee).toFixed(), locked: '0' });
    expect(acct('maker').balance('BTC')).toEqual({ asset: 'BTC', free: '10.05', locked: '0' });
    expect(events.filter((e) => e.type === 'trade').length).toBe(o.fills.length);
    expect((mb.book.bids[0] as number) < (mb.book.asks[0] as number)).toBe(true);
  });

  it('post-only: refused (expired, nothing traded) when it would take; rests when it would not', () => {
    const { mb, place } = setup();
    const tick = new Big(mb.inst.tickSize);
    const id = mb.book.updateId;
    const crossing = place('maker', 'buy', '0.1', tick.times(mb.book.asks[0] as number).toFixed(), 'limit_maker');
    expect(crossing).toMatchObject({ status: 'expired', fills: [] });
    expect(mb.book.updateId).toBe(id);
    const resting = place('maker', 'buy', '0.1', tick.times(mb.book.bids[0] as number).toFixed(), 'limit_maker');
    expect(resting.status).toBe('open');
  });

  it('GTC crossing part of the book takes what its limit reaches, then rests the rest at its limit; FOK is all or nothing', () => {
    const { mb, place } = setup();
    const tick = new Big(mb.inst.tickSize);
    const t = mb.book.asks[0] as number;
    const avail = mb.book.lots(ASK, t);
    const fok = place('taker', 'buy', new Big(avail + 1).times(mb.inst.stepSize).toFixed(), tick.times(t).toFixed(), 'limit', 'FOK');
    expect(fok).toMatchObject({ status: 'expired', fills: [] });
    expect(mb.book.lots(ASK, t)).toBe(avail);
    const gtc = place('taker', 'buy', new Big(avail + 1000).times(mb.inst.stepSize).toFixed(), tick.times(t).toFixed());
    expect(gtc.status).toBe('open');
    expect(gtc.filledLots).toBe(avail);
    expect(mb.book.bids[0]).toBe(t);
    expect(mb.book.lots(BID, t)).toBe(1000);
  });

  it('a market buy sized in quote never spends more than its budget', () => {
    const { mb, engine, acct } = setup();
    const budget = new Big('12345.67');
    const plan = planByQuote(mb, 'buy', budget);
    if (!plan) throw new Error('no plan');
    const qty = new Big(mb.inst.stepSize).times(plan.lots).toFixed();
    const placed = engine.place({ account: acct('taker'), mb, side: 'buy', type: 'market', timeInForce: 'IOC', quoteQty: budget.toFixed(), qty, price: '0', lots: plan.lots, limitTick: plan.limitTick, notional: budget, clientOrderId: 'm-1', orderId: '99' });
    if (placed.kind !== 'accepted') throw new Error('rejected');
    engine.execute(placed.order, acct('taker'), mb);
    expect(placed.order.status).toBe('filled');
    expect(placed.order.filledQuote.lte(budget)).toBe(true);
    expect(placed.order.filledQuote.gt(budget.minus(new Big(mb.inst.tickSize).times(plan.limitTick).times(mb.inst.stepSize)))).toBe(true);
    expect(acct('taker').locked('USDT').eq(0)).toBe(true);
  });
});
