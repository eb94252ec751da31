import { diagnoseRun } from './diagnose';
import type { MatchCriteria } from './matcher';
import type { SimOrder, SimWindow, StrategyRun, TradeRecord } from './records';

const c: MatchCriteria = { thresholdBps: 2, minProfitQuote: '0.10', targetMinDurationMs: 200, toleranceMs: 5 };
const route = 'BTC-USDT:coinbase>binance';
const win = (id: number, openTs: number, closeTs: number, over: Partial<SimWindow> = {}): SimWindow => ({
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
  best: { edgeBps: 10, size: '1', profitQuote: '10' },
  ...over,
});
const sweep = (ts: number): NonNullable<SimWindow['rivalSweeps']>[number] => ({ ts, reactionMs: 5, buyQty: '1', sellQty: '1' });
const o = (cid: string, side: 'buy' | 'sell', filledQty: string, createdTs: number): SimOrder => ({
  venue: side === 'buy' ? 'coinbase' : 'binance',
  symbol: 'BTC-USDT',
  clientOrderId: cid,
  side,
  requestedQty: '1',
  filledQty,
  filledQuote: filledQty === '0' ? '0' : '100',
  fee: '0',
  feeAsset: 'USDT',
  createdTs,
  limitPrice: '100',
  avgPrice: filledQty === '0' ? null : '100',
});
const trade = (id: string, ts: number, sent?: number): TradeRecord => ({
  id,
  route,
  symbol: 'BTC-USDT',
  ts,
  size: '1',
  oracleQuote: '1',
  buyCid: `${id}-b`,
  sellCid: `${id}-s`,
  extraCids: [],
  ...(sent !== undefined ? { timing: { receivedTs: ts + 1, buySentTs: sent, sellSentTs: sent + 0.5, buyAckTs: null, sellAckTs: null } } : {}),
  prices: { buyTouched: '99.9', buyLimit: '100', sellTouched: '101', sellLimit: '100.9' },
});

describe('diagnosing one-legged trades against the ground truth', () => {
  const run: StrategyRun = {
    name: 'x',
    params: '',
    detections: [],
    trades: [
      trade('rival', 1003, 1006), // window 1 swept at 1010; the sell arrives at 1014 and misses
      trade('closed', 2003), // window 2 closed by convergence at 2050; the buy arrives at 2060
      trade('inwin', 3003), // window 3 still open: the sell fills half
      trade('late', 5000), // no window open
      trade('both', 1004, 1005),
    ],
    windows: [
      win(1, 1000, 1010, { rivalSweeps: [sweep(1010)] }),
      win(2, 2000, 2050, { closeReason: 'convergence' }),
      win(3, 3000, 3400, { rivalSweeps: [sweep(3300)] }),
      win(4, 4000, 4030, { rivalSweeps: [sweep(4030)], best: { edgeBps: 1, size: '1', profitQuote: '1' } }), // not worth it
    ],
    orders: [
      o('rival-b', 'buy', '1', 1012),
      o('rival-s', 'sell', '0', 1014),
      o('closed-b', 'buy', '0', 2060),
      o('closed-s', 'sell', '1', 2040),
      o('inwin-b', 'buy', '1', 3010),
      { ...o('inwin-s', 'sell', '0.5', 3011) },
      o('late-b', 'buy', '1', 5005),
      o('late-s', 'sell', '0', 5006),
      o('both-b', 'buy', '1', 1008),
      o('both-s', 'sell', '1', 1009),
    ],
    marks: { 'BTC-USDT': '100' },
    startModelMs: 0,
    notes: [],
  };

  it('names the short leg, its venue and why it was short', () => {
    const d = diagnoseRun(run, c, 10_000);
    const by = new Map(d.trades.map((t) => [t.id, t]));
    expect(by.get('rival')).toMatchObject({ outcome: 'one-legged', shortLeg: 'sell', shortVenue: 'binance', cause: 'after-rival', windowId: 1, rivalMs: 10, sellArriveMs: 14, detectMs: 3 });
    expect(by.get('closed')).toMatchObject({ shortLeg: 'buy', shortVenue: 'coinbase', cause: 'after-close', closeReason: 'convergence' });
    expect(by.get('inwin')).toMatchObject({ shortLeg: 'sell', cause: 'in-window' });
    expect(by.get('late')).toMatchObject({ shortLeg: 'sell', cause: 'no-window', windowId: null });
    expect(by.get('both')).toMatchObject({ outcome: 'both', shortLeg: null, cause: null, skewMs: 1 });
  });

  it('measures the path from the decision to the sim (ours: the report timings)', () => {
    const d = diagnoseRun(run, c, 10_000);
    const r = d.trades.find((t) => t.id === 'rival');
    expect(r?.decideToSendMs).toBeCloseTo(3.5);
    expect(r?.busMs).toBe(1);
    expect(r?.acquireMs).toBeCloseTo(2.5);
    expect(r?.buyWireMs).toBe(6);
    expect(r?.sellWireMs).toBeCloseTo(7.5);
    expect(d.trades.find((t) => t.id === 'closed')?.decideToSendMs).toBeNull();
    expect(d.lines[0]).toContain('short sell@binance (after-rival)');
    expect(d.lines[0]).toContain('sell 0/1 (touched 101, limit 100.9)');
  });

  it('summarises the causes and how soon rivals sweep the windows worth taking', () => {
    const s = diagnoseRun(run, c, 10_000).summary.join('\n');
    expect(s).toContain('one-legged trades: 4 of 5');
    expect(s).toContain('cause after-rival 1, after-close 1, in-window 1, no-window 1');
    // Worth taking: windows 1-3 (4 is below the threshold); swept: 1 (after 10 ms) and 3 (after 300 ms).
    expect(s).toContain('windows worth taking: 3, swept by a rival 2 (within 10 ms of opening 1, 20 ms 1, 50 ms 1, 100 ms 1)');
  });
});
