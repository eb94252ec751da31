import type { ExecutionReport } from '@arb/contracts';
import { baseFees, positionClosed } from './leg-outcome';

/** The fields positionClosed reads; the rest of a report does not matter to it. */
function report(residualBase: string, residualUsd: string, legs: Array<{ fee: string; feeAsset: string }>): ExecutionReport {
  return { symbol: 'BTC-USDT', status: 'unwound', residualBase, residualUsd, realizedPnlUsd: '-2', legs } as unknown as ExecutionReport;
}

describe('positionClosed', () => {
  const unwindBuy = [
    { fee: '0.9', feeAsset: 'USDT' },
    { fee: '0.000015', feeAsset: 'BTC' },
  ];

  it('counts only the fees charged in the base asset', () => {
    expect(baseFees(report('0', '0', unwindBuy)).toFixed()).toBe('0.000015');
  });

  it('a residual made of the base-asset fees of a large unwind is closed, though worth more than the dust limit', () => {
    const c = positionClosed([report('-0.000015', '-1.0027', unwindBuy)]);
    expect(c.ok).toBe(true);
  });

  it('a residual beyond the fees by more than the dust limit is not closed', () => {
    const c = positionClosed([report('-0.000045', '-3.0081', unwindBuy)]);
    expect([c.ok, c.detail]).toEqual([false, expect.stringContaining('beyond them 2.01 USD')]);
  });

  it('without base-asset fees the whole residual is dust or not', () => {
    expect(positionClosed([report('0.00001', '0.67', [])]).ok).toBe(true);
    expect(positionClosed([report('0.0001', '6.7', [])]).ok).toBe(false);
    expect(positionClosed([]).ok).toBe(false);
  });
});
