import Big from 'big.js';
import { hummingbotRule, profitAt, r2Rule, walk, type RuleParams } from './rules';

const params = (over: Partial<RuleParams> = {}): RuleParams => ({
  buyFee: new Big('0.0002'),
  sellFee: new Big('0.0003'),
  minProfitFraction: new Big('0.0002'),
  minProfitQuote: new Big('0.10'),
  maxSize: new Big('1'),
  lotStep: new Big('0.001'),
  minNotional: new Big('5'),
  ...over,
});

describe('baseline rules', () => {
  const asks = [
    ['100.00', '0.5'],
    ['100.10', '2'],
  ] as const;
  const bids = [
    ['101.00', '0.3'],
    ['100.90', '5'],
  ] as const;

  it('walks a size through the levels exactly', () => {
    expect(walk(asks, new Big('0.8'))).toEqual({ notional: new Big('80.03'), worst: '100.10' });
    expect(walk(asks, new Big('3'))).toBeUndefined();
  });

  it('profit: sell notional × (1 − fs) − buy notional × (1 + fb)', () => {
    const d = profitAt(asks, bids, new Big('1'), params());
    // buy 0.5 @ 100 + 0.5 @ 100.10 = 100.05; sell 0.3 @ 101 + 0.7 @ 100.90 = 100.93
    expect(d?.profitQuote).toBe(new Big('100.93').times('0.9997').minus(new Big('100.05').times('1.0002')).toString());
    expect(d?.buyLimit).toBe('100.10');
    expect(d?.sellLimit).toBe('100.90');
  });

  it('hummingbot-like: the fixed amount at its VWAP, or nothing', () => {
    const d = hummingbotRule(asks, bids, params({ maxSize: new Big('1') }));
    expect(d?.size).toBe('1');
    // A fixed amount deeper than the book is no trade; so is one whose VWAP edge is below the threshold.
    expect(hummingbotRule(asks, bids, params({ maxSize: new Big('3') }))).toBeUndefined();
    expect(hummingbotRule(asks, bids, params({ minProfitFraction: new Big('0.01') }))).toBeUndefined();
  });

  it('r2-like: min of both top sizes (capped, lot-floored) at the top prices', () => {
    const d = r2Rule(asks, bids, params());
    expect(d?.size).toBe('0.3');
    expect(d?.buyLimit).toBe('100.00');
    expect(d?.sellLimit).toBe('101.00');
    expect(r2Rule(asks, bids, params({ maxSize: new Big('0.1234') }))?.size).toBe('0.123');
    // 0.3 × (101 × 0.9997 − 100 × 1.0002) = 0.28911: below an absolute minimum of 1.
    expect(r2Rule(asks, bids, params({ minProfitQuote: new Big('1') }))).toBeUndefined();
    expect(r2Rule([['101.00', '1']], [['101.00', '1']], params())).toBeUndefined();
  });
});
