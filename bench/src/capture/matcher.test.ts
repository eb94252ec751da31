import Big from 'big.js';
import { isTarget, matchRun, quantile, type MatchCriteria } from './matcher';
import type { SimOrder, SimWindow, StrategyRun } from './records';

const c: MatchCriteria = { thresholdBps: 2, minProfitQuote: '0.10', targetMinDurationMs: 200, toleranceMs: 5 };
const win = (id: number, openTs: number, closeTs: number, edgeBps: number, over: Partial<SimWindow> = {}): SimWindow => ({
  id,
  symbol: 'BTC-USDT',
  buyVenue: 'coinbase',
  sellVenue: 'binance',
  cause: 'dislocate',
  open: false,
  openTs,
  openModelMs: openTs,
  closeTs,
  durationModelMs: closeTs - openTs,
  closeReason: 'rival',
  best: { edgeBps, size: '1', profitQuote: '10' },
  ...over,
});
const o = (cid: string, side: 'buy' | 'sell', filledQty: string, filledQuote: string): SimOrder => ({
  venue: side === 'buy' ? 'coinbase' : 'binance',
  symbol: 'BTC-USDT',
  clientOrderId: cid,
  side,
  requestedQty: '1',
  filledQty,
  filledQuote,
  fee: '0',
  feeAsset: 'USDT',
});

describe('matching a run against the ground truth', () => {
  const route = 'BTC-USDT:coinbase>binance';
  const run: StrategyRun = {
    name: 'x',
    params: '',
    detections: [
      { route, ts: 1010 },
      { route, ts: 1020 },
      { route: 'BTC-USDT:binance>coinbase', ts: 1015 }, // wrong direction
    ],
    trades: [
      { id: 'a', route, symbol: 'BTC-USDT', ts: 1010, size: '1', oracleQuote: '2', buyCid: 'a-b', sellCid: 'a-s', extraCids: [] },
      { id: 'b', route, symbol: 'BTC-USDT', ts: 5000, size: '1', oracleQuote: '1', buyCid: 'b-b', sellCid: 'b-s', extraCids: [] },
    ],
    windows: [win(1, 1000, 1300, 5), win(2, 3000, 3050, 10), win(3, 4000, 4100, 1)],
    orders: [o('a-b', 'buy', '1', '100'), o('a-s', 'sell', '1', '101.5'), o('b-b', 'buy', '1', '100'), o('b-s', 'sell', '0', '0'), o('stray', 'buy', '0', '0')],
    marks: { 'BTC-USDT': '100' },
    startModelMs: 0,
    notes: [],
  };

  it('counts windows, detections, trades, outcomes, PnL against the oracle, latency and the target subset', () => {
    const s = matchRun(run, c, 10_000);
    expect(s.windows).toBe(3);
    expect(s.worth).toBe(2); // window 3's edge is below the threshold
    expect(s.detected).toBe(1);
    expect(s.tradedWindows).toBe(1);
    expect(s.tradesOutsideWindows).toBe(1); // trade b at 5000: no window open
    expect(s.outcomes).toEqual({ both: 1, 'one-legged': 1, partial: 0, none: 0 });
    expect(s.pnl.toString()).toBe('1.5');
    expect(s.oracle.toString()).toBe('3');
    expect(s.latencies).toEqual([10]);
    expect(s.target).toBe(1); // window 1 (300 ms, 5 bps); window 2 lasted only 50 ms
    expect(s.targetTraded).toBe(1);
    expect(s.unmatchedOrders).toBe(1);
    expect(s.unmatchedCids).toHaveLength(1);
    expect(s.missingOrders).toBe(0);
    expect(s.truthWorth.eq(new Big(20))).toBe(true);
  });

  it('a window closed by the strategy itself counts as long enough', () => {
    expect(isTarget(win(9, 0, 20, 5, { closeReason: 'account' }), c)).toBe(true);
    expect(isTarget(win(9, 0, 20, 5), c)).toBe(false);
    expect(isTarget(win(9, 0, 300, 3.9), c)).toBe(false);
  });

  it('nearest-rank quantiles', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(quantile([], 0.5)).toBeUndefined();
  });
});
