import Big from 'big.js';
import { resolveInstrument } from '../model/instrument';
import { ASK, BID } from '../model/change-buffer';
import type { MarketBook } from '../model/market';
import { SimBook } from '../model/sim-book';
import { feeFactors } from './fee-factors';
import { lotsCovering, walkCrossed } from './book-walk';

/** A book from [price, size] decimal strings (tick 0.01, step 0.001). */
function book(venue: 'binance' | 'coinbase', bids: Array<[string, string]>, asks: Array<[string, string]>): MarketBook {
  const inst = resolveInstrument({ symbol: 'BTC-USDT', startPrice: '100', volatilityBps: 0 }, { tickSize: '0.01', stepSize: '0.001', levelSize: '1' }, { sizeDecimals: 8 });
  const b = new SimBook(0);
  b.begin();
  for (const [p, q] of bids) b.set(BID, Number(new Big(p).div('0.01')), Number(new Big(q).div('0.001')));
  for (const [p, q] of asks) b.set(ASK, Number(new Big(p).div('0.01')), Number(new Big(q).div('0.001')));
  b.end();
  return { venue, venueIndex: venue === 'binance' ? 0 : 1, inst, book: b, shaper: null as never };
}

describe('walkCrossed', () => {
  const quoteFees = feeFactors(new Big('0.001'), false, new Big('0.002'));

  it('walks asks against bids while the marginal unit earns after both fees; exact profit', () => {
    const buy = book('coinbase', [['99.00', '5']], [['100.00', '1'], ['100.10', '2'], ['100.50', '5']]);
    const sell = book('binance', [['101.00', '1.5'], ['100.40', '4'], ['99.00', '9']], [['101.10', '1']]);
    const w = walkCrossed(buy, sell, quoteFees);
    expect(w).not.toBeNull();
    if (!w) return;
    // 1 @100.00 vs 101.00; 0.5 @100.10 vs 101.00; 1.5 @100.10 vs 100.40 (100.40×0.998=100.1992 > 100.10×1.001=100.2001? no)
    // 100.40 × 0.998 = 100.1992 < 100.2001: the third piece loses, so the walk stops at 1.5.
    expect(w.size.toFixed()).toBe('1.5');
    const expected = new Big('101').times('1.5').times('0.998').minus(new Big('100').plus(new Big('100.1').times('0.5')).times('1.001'));
    expect(w.profit.toFixed()).toBe(expected.toFixed());
    expect(w.topEdgeBps.toFixed(4)).toBe(new Big('101').times('0.998').minus('100.1').div('100').times(10000).toFixed(4));
    expect([w.buyLimitTick, w.sellLimitTick]).toEqual([10010, 10100]);
  });

  it('buy fee in base: factors 1 and 1 − fs − fb', () => {
    const f = feeFactors(new Big('0.001'), true, new Big('0.002'));
    expect([f.buy.toFixed(), f.sell.toFixed(), f.buyFeeIn]).toEqual(['1', '0.997', 'base']);
    const w = walkCrossed(book('binance', [], [['100.00', '1']]), book('coinbase', [['101.00', '2']], []), f);
    expect(w?.profit.toFixed()).toBe('0.697');
  });

  it('null when not crossed after fees, when a side is empty, or below the hurdle', () => {
    const buy = book('coinbase', [], [['100.00', '1']]);
    expect(walkCrossed(buy, book('binance', [['100.25', '1']], []), quoteFees)).toBeNull();
    expect(walkCrossed(buy, book('binance', [['100.40', '1']], []), quoteFees)).not.toBeNull();
    expect(walkCrossed(buy, book('binance', [['100.40', '1']], []), quoteFees, 10)).toBeNull();
    expect(walkCrossed(book('coinbase', [], []), book('binance', [['101', '1']], []), quoteFees)).toBeNull();
  });

  it('lotsCovering rounds up to whole lots', () => {
    const inst = book('binance', [], []).inst;
    expect(lotsCovering(inst, new Big('0.0015'))).toBe(2);
    expect(lotsCovering(inst, new Big('0.002'))).toBe(2);
  });
});
