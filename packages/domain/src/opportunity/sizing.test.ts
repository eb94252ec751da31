import Big from 'big.js';
import type { Level } from '@arb/contracts';
import { lcmStep } from './big-math';
import { compileMarketRules, type MarketRulesInput } from './market-rules';
import { exactSide } from './parsed-book';
import { optimizeSize } from './sizing';
import type { SizedTrade, SizingInput } from './sizing-types';

const rules = (venue: string, o: Partial<MarketRulesInput> = {}) =>
  compileMarketRules({ venue, takerFee: '0.001', lotStep: '0.01', ...o });

// Buy on A (asks), sell on B (bids). Fees 10 bps each, in quote.
const ASKS: Level[] = [
  ['100', '1'],
  ['101', '2'],
];
const BIDS: Level[] = [
  ['102', '1.5'],
  ['100.5', '1'],
];

type Overrides = Partial<Omit<SizingInput, 'asks' | 'bids'>> & { asks?: Level[]; bids?: Level[] };

function input({ asks, bids, ...o }: Overrides = {}): SizingInput {
  return {
    buy: rules('a'),
    sell: rules('b'),
    riskLimitQuote: null,
    quoteAvailable: null,
    baseAvailable: null,
    ...o,
    asks: exactSide(asks ?? ASKS),
    bids: exactSide(bids ?? BIDS),
  };
}

function ok(i: SizingInput): SizedTrade {
  const r = optimizeSize(i);
  if (!r.ok) throw new Error(`expected a trade, got ${r.reason}`);
  return r.trade;
}

const s = (b: Big): string => b.toFixed();

describe('optimizeSize (hand-computed)', () => {
  it('stops where the marginal net edge turns negative (1.5: the end of the 102 bid)', () => {
    // slopes: (0,1] 102*.999-100*1.001 = 1.798; (1,1.5] 101.898-101.101 = 0.797; (1.5,2.5] 100.3995-101.101 < 0
    const t = ok(input());
    expect(s(t.size)).toBe('1.5');
    expect(s(t.buyNotional)).toBe('150.5');
    expect(s(t.sellNotional)).toBe('153');
    expect(s(t.buyFeeQuote)).toBe('0.1505');
    expect(s(t.sellFeeQuote)).toBe('0.153');
    expect(s(t.profitQuote)).toBe('2.1965'); // 153*0.999 - 150.5*1.001
    expect(s(t.buyLimit)).toBe('101');
    expect(s(t.sellLimit)).toBe('102');
    expect([t.buyLevels, t.sellLevels]).toEqual([2, 1]);
  });

  it('fees turning a positive gross edge negative → no-edge', () => {
    // gross 15 bps, fees 20 bps
    const r = optimizeSize(input({ asks: [['100', '1']], bids: [['100.15', '1']] }));
    expect(r).toEqual({ ok: false, reason: 'no-edge' });
    // the same book with 5 bps fees trades
    const cheap = input({ asks: [['100', '1']], bids: [['100.15', '1']], buy: rules('a', { takerFee: '0.0005' }), sell: rules('b', { takerFee: '0.0005' }) });
    expect(s(ok(cheap).profitQuote)).toBe('0.049925'); // 100.15*0.9995 - 100*1.0005
  });

  it('min size above the peak moves to the first feasible size past it; above the depth → below-min-size', () => {
    const t = ok(input({ sell: rules('b', { minSize: '2' }) }));
    expect(s(t.size)).toBe('2');
    expect(s(t.profitQuote)).toBe('1.84575'); // 203.25*0.999 - 201*1.001
    expect(s(t.sellLimit)).toBe('100.5');
    expect(optimizeSize(input({ buy: rules('a', { minSize: '3' }) }))).toEqual({ ok: false, reason: 'below-min-size' });
  });

  it('quote inventory on the buy venue (limit × size × (1+fee)) binds', () => {
    // (1,1.5] locks s*101*1.001 <= 120.12 → s <= 1.188..., lot 0.01 → 1.18
    const t = ok(input({ quoteAvailable: new Big('120.12') }));
    expect(s(t.size)).toBe('1.18');
    expect(s(t.profitQuote)).toBe('1.94146'); // 120.36*0.999 - 118.18*1.001
  });

  it('base inventory on the sell venue binds; none at all → no-inventory', () => {
    const t = ok(input({ baseAvailable: new Big('0.5') }));
    expect(s(t.size)).toBe('0.5');
    expect(s(t.profitQuote)).toBe('0.899');
    expect(optimizeSize(input({ baseAvailable: new Big(0) }))).toEqual({ ok: false, reason: 'no-inventory' });
    expect(optimizeSize(input({ quoteAvailable: new Big(0) }))).toEqual({ ok: false, reason: 'no-inventory' });
  });

  it('the per-trade risk limit (buy notional) binds', () => {
    // 100 + (s-1)*101 <= 125 → s <= 1.2475..., lot → 1.24
    const t = ok(input({ riskLimitQuote: new Big('125') }));
    expect(s(t.size)).toBe('1.24');
    expect(s(t.buyNotional)).toBe('124.24');
    expect(s(t.profitQuote)).toBe('1.98928');
  });

  it('max size of either venue binds', () => {
    expect(s(ok(input({ buy: rules('a', { maxSize: '0.73' }) })).size)).toBe('0.73');
  });

  it('rounds the size down to the coarser lot (least common multiple when steps do not divide)', () => {
    const one = { asks: [['100', '1.237']] as Level[], bids: [['102', '5']] as Level[] };
    expect(s(ok(input({ ...one, buy: rules('a', { lotStep: '0.001' }), sell: rules('b', { lotStep: '0.01' }) })).size)).toBe('1.23');
    expect(s(ok(input({ ...one, buy: rules('a', { lotStep: '0.003' }), sell: rules('b', { lotStep: '0.002' }) })).size)).toBe('1.236');
    expect(s(lcmStep(new Big('0.003'), new Big('0.002')))).toBe('0.006');
    expect(s(lcmStep(new Big('0.0001'), new Big('0.01')))).toBe('0.01');
    expect(s(lcmStep(new Big('0.25'), new Big('0.1')))).toBe('0.5');
  });

  it('keeps on-tick level prices as limits; rounds off-tick ones outward (buy up, sell down)', () => {
    const onTick = ok(input({ buy: rules('a', { tick: '0.5' }), sell: rules('b', { tick: '0.5' }) }));
    expect([s(onTick.buyLimit), s(onTick.sellLimit)]).toEqual(['101', '102']);
    const off = ok(input({ asks: [['100.2', '1']], bids: [['102.3', '1']], buy: rules('a', { tick: '0.5' }), sell: rules('b', { tick: '0.5' }) }));
    expect([s(off.buyLimit), s(off.sellLimit)]).toEqual(['100.5', '102']);
    // profit is what the levels give, not the limits: 102.3*0.999 - 100.2*1.001
    expect(s(off.profitQuote)).toBe('1.8975');
  });

  it('min notional is judged on limit × size, and may push past a level boundary (sell limit drops)', () => {
    // sell minNotional 160: (0,1.5] has limit 102 → s >= 1.57 is out of that level; (1.5,2.5] limit 100.5 → s >= 1.6
    const t = ok(input({ sell: rules('b', { minNotional: '160' }) }));
    expect(s(t.size)).toBe('1.6');
    expect(s(t.sellLimit)).toBe('100.5');
    expect(s(t.profitQuote)).toBe('2.12635'); // 163.05*0.999 - 160.6*1.001
    expect(s(ok(input({ buy: rules('a', { minNotional: '150' }) })).size)).toBe('1.5');
  });

  it('a buy fee charged in base is valued at the sell price', () => {
    const t = ok(input({ buy: rules('a', { buyFeeAsset: 'base' }) }));
    expect(s(t.size)).toBe('1.5');
    expect(s(t.profitQuote)).toBe('2.194'); // 153*(1-0.001-0.001) - 150.5
    expect(s(t.buyFeeQuote)).toBe('0.153');
  });

  it('a hurdle (required net edge) stops the walk where marginal units no longer clear it', () => {
    // 150 bps: slope (0,1] 101.898 - 100*1.016 = 0.298 > 0; (1,1.5] 101.898 - 101*1.016 < 0 → size 1
    const t = ok(input({ hurdleBps: new Big(150) }));
    expect(s(t.size)).toBe('1');
    expect(s(t.profitQuote)).toBe('1.798');
    expect(s(t.objective)).toBe('0.298');
    // 180 bps is above even the first unit's edge (179.8 bps)
    expect(optimizeSize(input({ hurdleBps: new Big(180) }))).toEqual({ ok: false, reason: 'below-threshold' });
    // a min size that forces the average edge below the hurdle
    expect(optimizeSize(input({ hurdleBps: new Big(150), sell: rules('b', { minSize: '2.5' }) }))).toEqual({ ok: false, reason: 'below-threshold' });
  });

  it('empty sides → no-edge', () => {
    expect(optimizeSize(input({ asks: [] })).ok).toBe(false);
    expect(optimizeSize(input({ bids: [] })).ok).toBe(false);
  });
});
