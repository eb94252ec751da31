import { TradeTracker } from './trade-tracker';
import { tradeKeyOf } from './order';

describe('TradeTracker', () => {
  it('groups client order ids by the text before the last "-"', () => {
    expect(tradeKeyOf('a3f9c0d1e2b4a5968778-b')).toBe('a3f9c0d1e2b4a5968778');
    expect(tradeKeyOf('a3f9c0d1e2b4a5968778-h1')).toBe('a3f9c0d1e2b4a5968778');
    expect(tradeKeyOf('x-y-u2')).toBe('x-y');
    expect(tradeKeyOf('plain')).toBe('plain');
  });

  it('a trade is in flight from its first order until all its orders are final (hold 0)', () => {
    const t = new TradeTracker(() => 0);
    t.arrive('binance', 'A', 0);
    t.arrive('coinbase', 'A', 1);
    t.arrive('binance', 'B', 2);
    expect(t.stats(3)).toMatchObject({ inFlightTrades: 2, maxConcurrentTrades: 2, orders: 3, trades: 2 });
    t.final('binance', 'A', 2, false, 4);
    expect(t.stats(4).inFlightTrades).toBe(2);
    t.final('coinbase', 'A', 1, false, 5);
    expect(t.stats(5)).toMatchObject({ inFlightTrades: 1, fills: 3 });
    t.final('binance', 'B', 0, true, 6);
    expect(t.stats(6)).toMatchObject({ inFlightTrades: 0, maxConcurrentTrades: 2, rejected: 1 });
    expect(t.stats(6).byVenue).toEqual({ binance: { orders: 2, fills: 2, rejected: 1 }, coinbase: { orders: 1, fills: 1, rejected: 0 } });
  });

  it('holdMs keeps a finished trade in flight; a later order of it (hedge) extends it; reset keeps live trades', () => {
    const t = new TradeTracker(() => 100);
    t.arrive('binance', 'A', 0);
    t.final('binance', 'A', 1, false, 10);
    t.arrive('binance', 'B', 50);
    expect(t.stats(60)).toMatchObject({ inFlightTrades: 2, maxConcurrentTrades: 2 });
    expect(t.stats(110).inFlightTrades).toBe(1);
    t.arrive('coinbase', 'B', 120);
    t.final('binance', 'B', 1, false, 130);
    expect(t.stats(200).inFlightTrades).toBe(1);
    t.reset(200);
    expect(t.stats(200)).toMatchObject({ inFlightTrades: 1, maxConcurrentTrades: 1, orders: 0, trades: 1 });
    t.final('coinbase', 'B', 1, false, 210);
    expect(t.stats(309).inFlightTrades).toBe(1);
    expect(t.stats(310).inFlightTrades).toBe(0);
    t.arrive('binance', 'B', 400);
    expect(t.stats(400)).toMatchObject({ inFlightTrades: 1, maxConcurrentTrades: 1 });
  });
});
