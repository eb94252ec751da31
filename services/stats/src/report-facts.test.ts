import Big from 'big.js';
import { reportFacts } from './report-facts';
import { leg, report, REPORT_B, REPORT_C } from '../test/fixtures';

const pegs = new Map([['USDT', new Big(1)], ['USDC', new Big('0.9999')]]);

describe('reportFacts', () => {
  it('values a fee in a pegged third asset in USD, but leaves it out of gross − net (it is not in the PnL)', () => {
    const f = reportFacts(
      report({
        id: 'x',
        legs: [leg({ role: 'buy', venue: 'binance', side: 'buy', filledQty: '1', avgPrice: '100', fee: '2', feeAsset: 'USDC' })],
      }),
      pegs,
    );
    expect(f.all.feesUsd.toFixed()).toBe('1.9998');
    expect(f.all.feesInPnlUsd.toFixed()).toBe('0');
    expect(f.route).toBeNull(); // no sell leg
  });

  it('splits money by venue and finds the route from the buy and sell legs', () => {
    const f = reportFacts(REPORT_B, pegs);
    expect(f.route).toBe('ETH-USDT:coinbase>binance');
    expect(f.outcome).toBe('recovered');
    expect([...f.byVenue.keys()]).toEqual(['coinbase', 'binance']);
    expect(f.byVenue.get('binance')!.volumeQuote.toFixed()).toBe('6997');
    expect(f.byVenue.get('binance')!.feesUnpriced.get('BNB')!.toFixed()).toBe('0.01');
    expect(f.executionMs).toBe(400);
    expect(f.sendLatencyMs).toBe(0.75);
  });

  it('a skipped report has no execution time, route or money', () => {
    const f = reportFacts(REPORT_C, pegs);
    expect([f.outcome, f.executionMs, f.sendLatencyMs, f.route]).toEqual(['not_executed', null, null, null]);
    expect(f.all.volumeQuote.toFixed()).toBe('0');
  });

  it('takes the USD rate of an unpegged quote from the report, or none', () => {
    const priced = reportFacts(report({ id: 'p', symbol: 'ETH-BTC', realizedPnlQuote: '-0.0002', realizedPnlUsd: '-13' }), pegs);
    expect(priced.usdPerQuote?.toFixed()).toBe('65000');
    const unpriced = reportFacts(report({ id: 'u', symbol: 'ETH-BTC' }), pegs);
    expect(unpriced.usdPerQuote).toBeNull();
  });

  it('takes a leg\'s volume from its exact filledQuote; without it, filledQty × avgPrice carries the rounded average', () => {
    // From a real run: the venue client's average is 3685.7925378942 / 1.053 rounded to 20 places.
    const fill = { role: 'hedge', venue: 'coinbase', side: 'sell', filledQty: '1.053', avgPrice: '3500.27781376467236467236' } as const;
    const exact = reportFacts(report({ id: 'q', symbol: 'ETH-USDT', legs: [leg({ ...fill, filledQuote: '3685.7925378942' })] }), pegs);
    expect(exact.all.volumeQuote.toFixed()).toBe('3685.7925378942');
    expect(exact.all.volumeUsd?.toFixed()).toBe('3685.7925378942');
    expect(exact.byVenue.get('coinbase')!.volumeQuote.toFixed()).toBe('3685.7925378942');
    const legacy = reportFacts(report({ id: 'l', symbol: 'ETH-USDT', legs: [leg(fill)] }), pegs);
    expect(legacy.all.volumeQuote.toFixed()).toBe('3685.79253789419999999999508');
    const unknown = reportFacts(report({ id: 'z', symbol: 'ETH-USDT', legs: [leg({ ...fill, avgPrice: '3500', filledQuote: '0' })] }), pegs);
    expect(unknown.all.volumeQuote.toFixed()).toBe('3685.5'); // a filled leg with a zero notional: qty × avgPrice instead
  });
});
