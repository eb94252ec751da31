import Big from 'big.js';
import { InvalidDetectionParamsError } from './errors';
import { feeFactors } from './fees';
import { haircutSize, marketableLimits, resolveMarketability, type MarketabilityInput } from './marketability';
import { compileMarketRules, type MarketRules } from './market-rules';
import { exactSide } from './parsed-book';
import type { SizedTrade } from './sizing-types';

const rules = (venue: string, o: { tick?: string; takerFee?: string; minNotional?: string } = {}): MarketRules =>
  compileMarketRules({ venue, takerFee: o.takerFee ?? '0', lotStep: '0.01', tick: o.tick ?? '0.01', minNotional: o.minNotional ?? '0' });

/** A one-level trade: `size` bought at `ask`, sold at `bid`. */
function trade(size: string, ask: string, bid: string, buy: MarketRules, sell: MarketRules): SizedTrade {
  const s = new Big(size);
  const bn = s.times(ask);
  const sn = s.times(bid);
  const { buyFactor, sellFactor } = feeFactors(buy, sell);
  const profit = sn.times(sellFactor).minus(bn.times(buyFactor));
  return {
    size: s,
    lot: new Big('0.01'),
    buyNotional: bn,
    sellNotional: sn,
    buyFeeQuote: bn.times(buy.takerFee),
    sellFeeQuote: sn.times(sell.takerFee),
    profitQuote: profit,
    objective: profit,
    buyLimit: new Big(ask),
    sellLimit: new Big(bid),
    buyLevels: 1,
    sellLevels: 1,
  };
}

/** 1 unit, ask 100, bid 100.5, no fees: profit 0.5; threshold 5 bps, min 2 bps and 0.01. */
function input(o: Partial<MarketabilityInput> = {}, opts: Parameters<typeof resolveMarketability>[0] = { maxLegBps: 50 }): MarketabilityInput {
  const buy = o.buy ?? rules('a');
  const sell = o.sell ?? rules('b');
  return {
    trade: trade('1', '100', '100.5', buy, sell),
    buy,
    sell,
    thresholdF: 0.0005,
    minProfit: new Big('0.0002'),
    minProfitQuote: new Big('0.01'),
    quoteAvailable: null,
    opts: resolveMarketability(opts),
    ...o,
  };
}

const limits = (i: MarketabilityInput): [string, string, string] => {
  const l = marketableLimits(i);
  return [l.buyLimit.toFixed(), l.sellLimit.toFixed(), l.netAtLimits.toFixed()];
};

describe('marketableLimits', () => {
  it('pays edgeShare of the edge above the threshold, half per leg, in whole ticks', () => {
    // budget 0.5 × (0.5 − 0.05) = 0.225: 0.1125 a leg = 11 ticks → 100.11, 100.39
    expect(limits(input())).toEqual(['100.11', '100.39', '0.28']);
  });

  it('keeps the expected net at the limits above minProfitUsd (in quote) and minProfitPct', () => {
    // 0.5 − c ≥ 0.4 → c ≤ 0.1: 0.05 a leg, exactly 5 ticks; the screen keeps a hair of margin and takes 4
    expect(limits(input({ minProfitQuote: new Big('0.4') }))).toEqual(['100.04', '100.46', '0.42']);
    // 30 bps: c ≤ (0.5 − 0.3) / (1 + 0.0015) = 0.1997: 0.09985 a leg, 9 whole ticks → 100.09 / 100.41: net 0.32 ≥ 30 bps
    // of 100.09
    const [a, b, net] = limits(input({ minProfit: new Big('0.003') }));
    expect([a, b, net]).toEqual(['100.09', '100.41', '0.32']);
    expect(new Big(net).gte(new Big('0.003').times(a))).toBe(true);
  });

  it('stays on the touched levels when they already leave less than the minimum, or without ticks, or with edgeShare 0', () => {
    expect(limits(input({ minProfitQuote: new Big('0.6') }))).toEqual(['100', '100.5', '0.5']);
    expect(limits(input({ buy: compileMarketRules({ venue: 'a', takerFee: '0', lotStep: '0.01' }) }))).toEqual(['100', '100.5', '0.5']);
    expect(limits(input({}, { edgeShare: 0 }))).toEqual(['100', '100.5', '0.5']);
  });

  it('caps each leg at maxLegBps (a leg whose tick is coarser than its cap gets nothing)', () => {
    // default cap 10 bps: 0.1 on the buy (10 ticks), 0.1005 on the sell (10 ticks)
    expect(limits(input({}, {}))).toEqual(['100.1', '100.4', '0.3']);
    expect(limits(input({ buy: rules('a', { tick: '0.5' }), sell: rules('b', { tick: '0.5' }) }, {}))).toEqual(['100', '100.5', '0.5']);
  });

  it('stays within the buy venue quote inventory and above the sell venue min notional', () => {
    expect(limits(input({ quoteAvailable: new Big('100.05') }))).toEqual(['100.05', '100.39', '0.34']);
    expect(limits(input({ sell: rules('b', { minNotional: '100.4' }) }))).toEqual(['100.11', '100.4', '0.29']);
  });

  it('with fees: the net at the limits counts both taker fees', () => {
    const buy = rules('a', { takerFee: '0.001' });
    const sell = rules('b', { takerFee: '0.001' });
    const i = input({ buy, sell, trade: trade('2', '100', '100.5', buy, sell) });
    const l = marketableLimits(i);
    const net = new Big(2).times(l.sellLimit.times('0.999').minus(l.buyLimit.times('1.001')));
    expect(l.netAtLimits.eq(net)).toBe(true);
    expect(l.buyLimit.gt(100) && l.sellLimit.lt('100.5')).toBe(true);
  });

  it('invariants over many random trades: limits outward, on tick, within the cap, bounds kept', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let movedCount = 0;
    for (let k = 0; k < 300; k++) {
      const fee = (Math.floor(rnd() * 20) / 10_000).toFixed(4);
      const coarse = rnd() < 0.5;
      const buy = rules('a', { takerFee: fee, tick: coarse ? '0.05' : '0.01' });
      const sell = rules('b', { takerFee: fee, tick: '0.01' });
      const ask = (1000 + (Math.floor(rnd() * 2000) * (coarse ? 5 : 1)) / 100).toFixed(2);
      const bid = new Big(ask).plus((Math.floor(rnd() * 500) / 100).toFixed(2)).toFixed();
      const size = (0.01 + Math.floor(rnd() * 300) / 100).toFixed(2);
      const t = trade(size, ask, bid, buy, sell);
      const i: MarketabilityInput = {
        trade: t,
        buy,
        sell,
        thresholdF: 0.0004,
        minProfit: new Big('0.0002'),
        minProfitQuote: new Big((rnd() * 2).toFixed(2)),
        quoteAvailable: rnd() < 0.3 ? t.buyNotional.times('1.003') : null,
        opts: resolveMarketability({ edgeShare: rnd(), maxLegBps: rnd() * 30 }),
      };
      const l = marketableLimits(i);
      expect(l.buyLimit.gte(ask) && l.sellLimit.lte(bid)).toBe(true);
      expect(l.buyLimit.mod(buy.tick as Big).eq(0) && l.sellLimit.mod('0.01').eq(0)).toBe(true);
      expect(l.buyLimit.minus(ask).lte(new Big(ask).times(i.opts.maxLeg))).toBe(true);
      expect(new Big(bid).minus(l.sellLimit).lte(new Big(bid).times(i.opts.maxLeg))).toBe(true);
      if (i.quoteAvailable !== null) expect(l.buyLimit.times(size).times(feeFactors(buy, sell).buyFactor).lte(i.quoteAvailable)).toBe(true);
      const moved = !l.buyLimit.eq(ask) || !l.sellLimit.eq(bid);
      if (moved) {
        movedCount++;
        expect(l.netAtLimits.gte(i.minProfitQuote)).toBe(true);
        expect(l.netAtLimits.gte(i.minProfit.times(size).times(l.buyLimit))).toBe(true);
        // never more than edgeShare of the edge above the threshold (whole ticks round it down)
        const cost = marketableLimits({ ...i, opts: resolveMarketability({ edgeShare: 0 }) }).netAtLimits.minus(l.netAtLimits);
        const budget = t.profitQuote.minus(t.buyNotional.times(i.thresholdF)).times(i.opts.edgeShareF);
        expect(cost.lte(budget.plus('0.000001'))).toBe(true);
      }
    }
    expect(movedCount).toBeGreaterThan(100);
  });

  it('rejects options out of range', () => {
    expect(() => resolveMarketability({ edgeShare: 1.5 })).toThrow(InvalidDetectionParamsError);
    expect(() => resolveMarketability({ lastLevelShare: 0 })).toThrow(InvalidDetectionParamsError);
    expect(() => resolveMarketability({ maxLegBps: -1 })).toThrow(InvalidDetectionParamsError);
  });
});

describe('haircutSize', () => {
  const asks = exactSide([
    ['100', '1'],
    ['101', '2'],
  ]);
  const bids = exactSide([
    ['102', '1.5'],
    ['100.5', '1'],
  ]);
  const cut = (size: string, share = '0.8'): string => haircutSize(asks, bids, new Big(size), new Big(share), new Big('0.01')).toFixed();

  it('takes at most the share of the last touched level on each side', () => {
    expect(cut('1.5')).toBe('1.2'); // all of the 1.5 bid level → 80 % of it
    expect(cut('1')).toBe('0.8'); // all of the first ask level
    expect(cut('1.1')).toBe('1.1'); // 0.1 of the second ask level, 1.1 of 1.5 bid
    expect(cut('2.5')).toBe('2.3'); // 1.0 of the second bid level → 0.8 of it
  });

  it('rounds down to the lot, and share 1 is no haircut', () => {
    expect(haircutSize(asks, bids, new Big('1.5'), new Big('0.777'), new Big('0.01')).toFixed()).toBe('1.16');
    expect(cut('1.5', '1')).toBe('1.5');
  });
});
