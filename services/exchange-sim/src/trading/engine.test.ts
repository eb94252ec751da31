import Big from 'big.js';
import { testSimConfig } from '../config/test-config';
import { Market, type MarketBook } from '../model/market';
import { priceStr, qtyStr } from '../model/format';
import { Account } from './account';
import { TradingEngine, type OrderEvent } from './engine';
import { FeePolicy } from './fees';
import { availableLots } from './matching';
import { checkOrder } from './rules';
import { TradeTracker } from './trade-tracker';

function setup(mode: 'received' | 'quote') {
  const market = new Market(testSimConfig({ rate: { levelUpdatesPerSec: 0 }, jumps: { perMinute: 0 } }));
  const mb = market.book('binance', 'BTC-USDT') as MarketBook;
  const engine = new TradingEngine('binance', new FeePolicy('0.001', 8, mode), new TradeTracker(() => 0));
  const account = new Account('k', 'u', { BTC: '10', USDT: '1000000' });
  const events: OrderEvent[] = [];
  engine.onEvent((e) => events.push(e));
  let id = 1;
  const order = (side: 'buy' | 'sell', qty: string, price: string, cid: string) => {
    const c = checkOrder(mb.inst, qty, price);
    if (!c.ok) throw new Error(c.failure);
    return engine.place({ ...c, account, mb, side, clientOrderId: cid, orderId: String(id++) });
  };
  return { mb, engine, account, events, order };
}

const level = (mb: MarketBook, side: 'asks' | 'bids', i: number): [string, string] => {
  const tick = mb.book[side][i] as number;
  return [priceStr(mb.inst, tick), qtyStr(mb.inst, mb.book.lots(side === 'asks' ? 1 : 0, tick))];
};

describe('TradingEngine', () => {
  it('an IOC buy sweeps asks up to its limit, consumes them in ONE book change, settles exactly (fee in base)', () => {
    const { mb, engine, account, events, order } = setup('received');
    const a0 = level(mb, 'asks', 0);
    const a1 = level(mb, 'asks', 1);
    const a2 = level(mb, 'asks', 2);
    const idBefore = mb.book.updateId;
    const qty = new Big(a0[1]).plus(a1[1]).plus('0.5').toFixed();
    const placed = order('buy', qty, a1[0], 'T-b');
    expect(placed.kind).toBe('accepted');
    if (placed.kind !== 'accepted') return;
    const lock = new Big(qty).times(a1[0]);
    expect(account.locked('USDT').eq(lock)).toBe(true);
    engine.execute(placed.order, account, mb);
    const o = placed.order;
    expect(o.status).toBe('expired');
    expect(o.fills.map((f) => [f.price, f.qty])).toEqual([a0, a1].map(([p, s]) => [new Big(p).toFixed(), new Big(s).toFixed()]));
    expect(mb.book.updateId).toBe(idBefore + 1);
    expect(o.bookUpdateId).toBe(idBefore + 1);
    expect(level(mb, 'asks', 0)).toEqual(a2);
    const quote = new Big(a0[0]).times(a0[1]).plus(new Big(a1[0]).times(a1[1]));
    const filled = new Big(a0[1]).plus(a1[1]);
    const fee = o.fills.reduce((s, f) => s.plus(f.fee), new Big(0));
    expect(fee.eq(new Big(a0[1]).times('0.001').round(8, 0).plus(new Big(a1[1]).times('0.001').round(8, 0)))).toBe(true);
    expect(account.balance('USDT')).toEqual({ asset: 'USDT', free: new Big('1000000').minus(quote).toFixed(), locked: '0' });
    expect(account.balance('BTC')).toEqual({ asset: 'BTC', free: new Big(10).plus(filled).minus(fee).toFixed(), locked: '0' });
    expect(events.map((e) => e.type)).toEqual(['accepted', 'fill', 'fill', 'done', 'balances']);
  });

  it('a sell at a limit above the best bid does not fill (expired, nothing consumed, funds back)', () => {
    const { mb, engine, account, order } = setup('received');
    const b0 = level(mb, 'bids', 0);
    const above = new Big(b0[0]).plus('0.01').toFixed();
    const id = mb.book.updateId;
    const placed = order('sell', '0.1', above, 'U-s');
    if (placed.kind !== 'accepted') throw new Error('not accepted');
    engine.execute(placed.order, account, mb);
    expect(placed.order.status).toBe('expired');
    expect(placed.order.fills).toEqual([]);
    expect(mb.book.updateId).toBe(id);
    expect(account.balance('BTC')).toEqual({ asset: 'BTC', free: '10', locked: '0' });
  });

  it('fees in quote (Coinbase style): buys lock notional + fee and pay it; sells receive quote - fee', () => {
    const { mb, engine, account, order } = setup('quote');
    const [p, s] = level(mb, 'asks', 0);
    const qty = new Big(s).div(2).round(5, 0).toFixed();
    const placed = order('buy', qty, p, 'V-b');
    if (placed.kind !== 'accepted') throw new Error('not accepted');
    expect(account.locked('USDT').eq(new Big(qty).times(p).times('1.001'))).toBe(true);
    engine.execute(placed.order, account, mb);
    const quote = new Big(qty).times(p);
    const fee = quote.times('0.001').round(8, 0);
    expect(placed.order.status).toBe('filled');
    expect(placed.order.feeAsset).toBe('USDT');
    expect(account.balance('USDT')).toEqual({ asset: 'USDT', free: new Big('1000000').minus(quote).minus(fee).toFixed(), locked: '0' });
    expect(account.balance('BTC').free).toBe(new Big(10).plus(qty).toFixed());
  });

  it('insufficient funds: rejected, nothing locked; cancel of a pending order unlocks; IOC never rests', () => {
    const { mb, engine, account, order } = setup('received');
    const [p] = level(mb, 'asks', 0);
    expect(order('buy', '100', p, 'W-b').kind).toBe('rejected');
    expect(account.locked('USDT').eq(0)).toBe(true);
    const placed = order('sell', '1', p, 'X-s');
    if (placed.kind !== 'accepted') throw new Error('not accepted');
    expect(engine.cancel(placed.order, account)).toBe(true);
    expect(engine.cancel(placed.order, account)).toBe(false);
    expect(account.balance('BTC')).toEqual({ asset: 'BTC', free: '10', locked: '0' });
    engine.execute(placed.order, account, mb);
    expect(placed.order.status).toBe('canceled');
    expect(availableLots(mb.book, 'buy', mb.book.asks[0] as number)).toBeGreaterThan(0);
  });

  it('rules: tick/step/min-max/notional checks', () => {
    const { mb } = setup('received');
    expect(checkOrder(mb.inst, '0.001', '65000.005')).toEqual({ ok: false, failure: 'price_precision' });
    expect(checkOrder(mb.inst, '0.000015', '65000')).toEqual({ ok: false, failure: 'qty_precision' });
    expect(checkOrder(mb.inst, '0.00001', '1')).toEqual({ ok: false, failure: 'notional_min' });
    expect(checkOrder(mb.inst, '10000', '1')).toEqual({ ok: false, failure: 'qty_max' });
    expect(checkOrder(mb.inst, '1e-3', '1')).toEqual({ ok: false, failure: 'bad_decimal' });
    expect(checkOrder(mb.inst, '0.001', '65000')).toMatchObject({ ok: true, lots: 100, limitTick: 6500000 });
  });
});
