import type { OrderState } from '@arb/venues';
import { makeOpp } from '../../test/opportunity';
import type { InflightRecord } from '../inflight/record';
import { LateFillWatch } from './late-fills';
import type { LegOutcome } from './types';

const opp = makeOpp();
const record: InflightRecord = { v: 1, executorId: 'x', tradeKey: 'a0123456789abcdef0123', holder: 'x:a', fencingToken: 1, receivedTs: 1, sentTs: 1, opp, reservations: [], legs: [] };

const state = (tag: string, filled: string): OrderState => ({
  venue: 'coinbase', symbol: 'BTC-USDT', clientOrderId: `${record.tradeKey}-${tag}`, venueOrderId: '1', side: 'buy', status: filled === '0.1' ? 'filled' : 'expired', final: true,
  requestedQty: '0.1', filledQty: filled, avgPrice: '65000', filledQuote: '0', fee: '0', feeAsset: 'USDT', fills: [], updatedTs: 1,
});
const leg = (tag: 'b' | 's', filled: string): LegOutcome => ({
  plan: { role: tag === 'b' ? 'buy' : 'sell', tag, venue: 'coinbase', symbol: 'BTC-USDT', side: 'buy', qty: '0.1', limitPrice: '65000', clientOrderId: `${record.tradeKey}-${tag}` },
  state: state(tag, filled),
  status: 'filled',
  sentTs: 1,
  ackTs: 1,
  finalTs: 1,
});

describe('LateFillWatch', () => {
  let t = 0;
  const late: string[] = [];
  const watch = (): LateFillWatch => new LateFillWatch({ windowMs: 1_000, maxTrades: 2, now: () => t, onLate: (_r, s, j) => late.push(`${s.clientOrderId.slice(-1)} ${j}→${s.filledQty}`) });
  beforeEach(() => {
    t = 0;
    late.length = 0;
  });

  it('an update showing more fill than journaled hands the trade to a follow-up, once per increase', () => {
    const w = watch();
    w.begin(record);
    w.journaled(record, [leg('b', '0.04'), leg('s', '0.1')]);
    expect(w.update(state('b', '0.04'))).toBe(true); // nothing new
    expect(w.update(state('b', '0.1'))).toBe(true);
    expect(w.update(state('b', '0.1'))).toBe(true); // the same event again
    expect(late).toEqual(['b 0.04→0.1']);
  });

  it('updates that came while the trade ran, unfollowed, are checked against what gets journaled', () => {
    const w = watch();
    w.begin(record);
    expect(w.update(state('b', '0.1'))).toBe(true);
    expect(late).toEqual([]);
    w.journaled(record, [leg('b', '0.04')]);
    expect(late).toEqual(['b 0.04→0.1']);
  });

  it('orders of no trade of ours, and trades past the window, are not ours', () => {
    const w = watch();
    expect(w.update({ ...state('b', '0.1'), clientOrderId: 'zzz-b' })).toBe(false);
    w.begin(record);
    w.journaled(record, [leg('b', '0.04')]);
    t = 1_001;
    expect(w.update(state('b', '0.1'))).toBe(false);
    expect(late).toEqual([]);
  });

  it('remembers at most maxTrades trades', () => {
    const w = watch();
    for (const k of ['a1', 'a2', 'a3']) w.begin({ ...record, tradeKey: k });
    expect(w.size).toBe(2);
    expect(w.update({ ...state('b', '0.1'), clientOrderId: 'a1-b' })).toBe(false);
  });
});
