import type { ExecutionLeg, ExecutionReport } from '@arb/contracts';
import { mergeReport } from './report-merge';

const leg = (role: ExecutionLeg['role'], venue: string, cid: string, filledQty: string): ExecutionLeg => ({
  role, venue, side: role === 'sell' ? 'sell' : 'buy', clientOrderId: cid, venueOrderId: '1', limitPrice: '100', requestedQty: '1', filledQty,
  avgPrice: '100', filledQuote: '100', fee: '0', feeAsset: 'USDT', status: 'filled', sentTs: 1, ackTs: 2, finalTs: 2,
});

const report = (legs: ExecutionLeg[], status: ExecutionReport['status'], corrects?: string): ExecutionReport => ({
  v: 1, id: corrects === undefined ? 'exec_o1' : 'corr_o1_1', oppId: 'o1', symbol: 'BTC-USDT', status, legs,
  realizedPnlQuote: '0', realizedPnlUsd: '0', residualBase: '0', residualUsd: '0', fencingToken: 1, executorId: 'e', variant: 'default',
  timings: { receivedTs: 0, ordersSentTs: 1, acksTs: 2, finalTs: 3 }, ...(corrects === undefined ? {} : { corrects }),
});

describe('mergeReport', () => {
  const original = report([leg('buy', 'binance', 't-b', '1'), leg('sell', 'coinbase', 't-s', '0')], 'hedged');
  const correction = report([leg('sell', 'coinbase', 't-s', '1'), leg('unwind', 'binance', 't-u1', '1')], 'unwound', 'exec_o1');

  it('keeps the report\'s own orders when a correction arrives, adds the correction\'s new orders, takes its status', () => {
    const m = mergeReport(mergeReport(undefined, original), correction);
    expect(m.legs.map((l) => l.clientOrderId)).toEqual(['t-b', 't-s', 't-u1']);
    expect(m.status).toBe('unwound');
    expect(m.corrects).toBeUndefined();
  });

  it('gives the same trade when the correction is seen first', () => {
    const m = mergeReport(mergeReport(undefined, correction), original);
    expect(m.legs.map((l) => l.clientOrderId).sort()).toEqual(['t-b', 't-s', 't-u1']);
    expect(m.status).toBe('unwound');
    expect(m.id).toBe('exec_o1');
  });

  it('ignores a redelivered report', () => {
    const again = report([leg('buy', 'binance', 't-x', '1')], 'filled');
    expect(mergeReport(original, again)).toBe(original);
  });
});
