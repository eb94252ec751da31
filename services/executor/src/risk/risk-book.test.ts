import type { ExecutionReport } from '@arb/contracts';
import { RiskBook, utcDayStart } from './risk-book';

const DAY = Date.UTC(2025, 0, 2);

function report(id: string, pnl: string, residualBase = '0', residualUsd = '0', finalTs = DAY + 1000): ExecutionReport {
  return {
    v: 1, id, oppId: id, symbol: 'BTC-USDT', status: 'filled',
    legs: [{ role: 'buy', venue: 'binance', side: 'buy', clientOrderId: 'x-b', venueOrderId: null, limitPrice: '100', requestedQty: '1', filledQty: '1', avgPrice: '100', fee: '0', feeAsset: 'USDT', status: 'filled', sentTs: 0, ackTs: 0, finalTs: 0 }],
    realizedPnlQuote: pnl, realizedPnlUsd: pnl, residualBase, residualUsd, fencingToken: 1, executorId: 'e', variant: 'default',
    timings: { receivedTs: finalTs, ordersSentTs: finalTs, acksTs: finalTs, finalTs },
  };
}

describe('RiskBook', () => {
  it('folds today\'s reports and gates trading by notional, volume and exposure', () => {
    const book = new RiskBook({ maxNotionalPerTrade: '1000', dailyVolumeLimitUsd: '1000', maxResidualExposureUsd: '50', dailyLossLimitUsd: '10' }, () => 1);
    const now = DAY + 5000;
    expect(book.check(500, now)).toEqual({ ok: true });
    expect(book.check(1500, now)).toEqual({ ok: false, reason: 'risk-notional' });
    book.add(report('r1', '-4'), now);
    book.add(report('r2', '-5', '0.5', '50.5'), now);
    expect(book.volumeUsd).toBe(200);
    expect(book.check(450, now)).toEqual({ ok: false, reason: 'daily-volume' });
    expect(book.check(100, now)).toEqual({ ok: false, reason: 'exposure-limit' });
    expect(book.lossLimitHit()).toBe(false);
    book.add(report('r3', '-1', '-0.5', '-50.5'), now);
    expect(book.exposureUsd).toBe(0);
    expect(book.lossLimitHit()).toBe(true);
    expect(book.check(100, now)).toEqual({ ok: true });
  });

  it('a report delivered twice (re-created consumer or stream) is counted once', () => {
    const book = new RiskBook({}, () => 1);
    const now = DAY + 5000;
    expect(book.add(report('r1', '-4'), now)).toBe(true);
    expect(book.add(report('r1', '-4'), now)).toBe(false);
    expect([book.volumeUsd, book.pnlUsd]).toEqual([100, -4]);
    book.check(1, DAY + 86_400_000); // the next day starts empty: the same id would count there
    expect(book.add(report('r1', '-4', '0', '0', DAY + 86_400_000 + 1), DAY + 86_400_000 + 2)).toBe(true);
  });

  it('reports of other days are ignored and figures reset at UTC midnight', () => {
    const book = new RiskBook({ dailyLossLimitUsd: '10' }, () => 1);
    book.add(report('old', '-100', '0', '0', DAY - 1), DAY + 1);
    expect(book.pnlUsd).toBe(0);
    book.add(report('r', '-20'), DAY + 1);
    expect(book.lossLimitHit()).toBe(true);
    book.check(1, DAY + 86_400_000);
    expect(book.pnlUsd).toBe(0);
    expect(utcDayStart(DAY + 86_400_000 + 5)).toBe(DAY + 86_400_000);
  });
});
