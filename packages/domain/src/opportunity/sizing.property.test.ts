import Big from 'big.js';
import fc from 'fast-check';
import type { Level } from '@arb/contracts';
import { compileMarketRules, type MarketRules } from './market-rules';
import { exactSide } from './parsed-book';
import { optimizeSize } from './sizing';
import { tradeAtSize } from './sizing-at';
import type { SizingInput } from './sizing-types';

/** A deliberately naive, independent model: fill `s` level by level and check every rule directly. */
function naive(asks: Level[], bids: Level[], buy: MarketRules, sell: MarketRules, env: Env, s: Big): { feasible: boolean; profit: Big; objective: Big } {
  const fill = (levels: Level[]): { n: Big; worst: Big } | null => {
    let rem = s;
    let n = new Big(0);
    let worst = new Big(0);
    for (const [p, q] of levels) {
      if (rem.lte(0)) break;
      const take = rem.lt(q) ? rem : new Big(q);
      n = n.plus(take.times(p));
      worst = new Big(p);
      rem = rem.minus(take);
    }
    return rem.gt(0) ? null : { n, worst };
  };
  const b = fill(asks);
  const a = fill(bids);
  if (b === null || a === null) return { feasible: false, profit: new Big(0), objective: new Big(0) };
  const fb = buy.takerFee;
  const fs = sell.takerFee;
  const baseFee = buy.buyFeeAsset === 'base';
  const profit = baseFee ? a.n.times(new Big(1).minus(fs).minus(fb)).minus(b.n) : a.n.times(new Big(1).minus(fs)).minus(b.n.times(fb.plus(1)));
  const lb = buy.tick === null ? b.worst : b.worst.div(buy.tick).round(0, Big.roundUp).times(buy.tick);
  const ls = sell.tick === null ? a.worst : a.worst.div(sell.tick).round(0, Big.roundDown).times(sell.tick);
  const lock = lb.times(s).times(baseFee ? 1 : fb.plus(1));
  const feasible =
    s.gt(0) &&
    s.gte(buy.minSize) &&
    s.gte(sell.minSize) &&
    (buy.maxSize === null || s.lte(buy.maxSize)) &&
    (sell.maxSize === null || s.lte(sell.maxSize)) &&
    (env.base === null || s.lte(env.base)) &&
    (env.risk === null || b.n.lte(env.risk)) &&
    (env.quote === null || lock.lte(env.quote)) &&
    lb.times(s).gte(buy.minNotional) &&
    ls.times(s).gte(sell.minNotional);
  const objective = env.hurdle === undefined ? profit : profit.minus(b.n.times(env.hurdle).div(10_000));
  return { feasible, profit, objective };
}

interface Env {
  risk: Big | null;
  quote: Big | null;
  base: Big | null;
  hurdle: Big | undefined;
}

const sizeArb = fc.integer({ min: 1, max: 40 }).map((k) => (k * 0.05).toFixed(2));
/** Levels `[steps from the previous price in 0.5 units, size]`: prices strictly monotone, on a 0.5 grid. */
const levelsArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), sizeArb), { minLength: 1, maxLength: 6 });
function side(start: number, dir: 1 | -1, ls: Array<[number, string]>): Level[] {
  let p = start;
  return ls.map(([step, q]): Level => {
    const out: Level = [p.toFixed(1), q];
    p += dir * step * 0.5;
    return out;
  });
}
const dec = (xs: string[]) => fc.constantFrom(...xs);
const opt = (xs: string[]) => fc.option(dec(xs), { nil: undefined });
const marketArb = (venue: string) =>
  fc
    .record({
      takerFee: dec(['0', '0.0005', '0.001', '0.002', '0.01']),
      buyFeeAsset: fc.constantFrom<'quote' | 'base'>('quote', 'base'),
      minSize: dec(['0', '0', '0', '0.1', '0.5', '1']),
      maxSize: opt(['2', '3', '8']),
      minNotional: dec(['0', '0', '0', '10', '50', '120']),
      lotStep: dec(['0.01', '0.02', '0.05', '0.1', '0.25']),
      tick: opt(['0.5', '1']),
    })
    .map((r) => compileMarketRules({ venue, ...r }));
const bigOpt = (xs: string[]) => fc.option(dec(xs).map((x) => new Big(x)), { nil: null, freq: 2 });

describe('optimizeSize (property)', () => {
  it('no feasible size on the lot grid beats the chosen one (risk-adjusted); rejections mean nothing acceptable exists', () => {
    const outcomes = { ok: 0, 'no-edge': 0, 'below-threshold': 0, 'below-min-size': 0, 'no-inventory': 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 196, max: 204 }),
        fc.integer({ min: -2, max: 12 }),
        levelsArb,
        levelsArb,
        marketArb('a'),
        marketArb('b'),
        fc.record({ risk: bigOpt(['50', '150', '400']), quote: bigOpt(['0', '90', '101', '150.5', '250', '700']), base: bigOpt(['0', '0.4', '1.3', '6', '6']), hurdle: fc.option(dec(['0', '10', '50', '150']).map((x) => new Big(x)), { nil: undefined }) }),
        (askStart, cross, askLevels, bidLevels, buy, sell, env) => {
          const asks = side(askStart / 2, 1, askLevels);
          const bids = side((askStart + cross) / 2, -1, bidLevels);
          const input: SizingInput = { asks: exactSide(asks), bids: exactSide(bids), buy, sell, riskLimitQuote: env.risk, quoteAvailable: env.quote, baseAvailable: env.base, ...(env.hurdle === undefined ? {} : { hurdleBps: env.hurdle }) };
          const r = optimizeSize(input);
          outcomes[r.ok ? 'ok' : r.reason]++;
          const grid = gridLot(buy, sell);
          if (r.ok) expect(r.trade.lot.eq(grid)).toBe(true);
          const depth = Math.min(sum(asks), sum(bids));
          let best: { profit: Big; objective: Big } | null = null;
          let acceptable = false;
          for (let k = 1; k * grid.toNumber() <= depth + 1e-9; k++) {
            const s = grid.times(k);
            const n = naive(asks, bids, buy, sell, env, s);
            if (n.feasible && (best === null || n.objective.gt(best.objective))) best = n;
            if (n.feasible && n.profit.gt(0) && n.objective.gte(0)) acceptable = true;
          }
          if (r.ok) {
            const n = naive(asks, bids, buy, sell, env, r.trade.size);
            expect(n.feasible).toBe(true);
            expect(r.trade.profitQuote.eq(n.profit)).toBe(true);
            expect(r.trade.objective.eq(n.objective)).toBe(true);
            expect(r.trade.profitQuote.gt(0) && r.trade.objective.gte(0)).toBe(true);
            expect(best !== null && best.objective.eq(r.trade.objective)).toBe(true);
          } else if (r.reason === 'no-edge' || r.reason === 'below-threshold') {
            expect(acceptable).toBe(false);
          } else {
            expect(best).toBeNull();
          }
        },
      ),
      { numRuns: 600 },
    );
    // The generator must exercise real trades and every rejection, or the property proves little.
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(Math.min(outcomes['no-edge'], outcomes['below-threshold'], outcomes['below-min-size'], outcomes['no-inventory'])).toBeGreaterThan(5);
  });
});

describe('tradeAtSize (property): the haircut trade below the optimum', () => {
  it('prices any lot multiple below the optimum as the naive model does, and as the walk capped there would', () => {
    let priced = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 196, max: 204 }),
        fc.integer({ min: 2, max: 12 }),
        levelsArb,
        levelsArb,
        marketArb('a'),
        marketArb('b'),
        fc.record({ risk: bigOpt(['150', '400']), quote: bigOpt(['250', '700']), base: bigOpt(['1.3', '6']), hurdle: fc.option(dec(['0', '10', '50']).map((x) => new Big(x)), { nil: undefined }) }),
        fc.double({ min: 0.05, max: 0.99, noNaN: true }),
        (askStart, cross, askLevels, bidLevels, buy, sell, env, frac) => {
          const asks = side(askStart / 2, 1, askLevels);
          const bids = side((askStart + cross) / 2, -1, bidLevels);
          const input: SizingInput = { asks: exactSide(asks), bids: exactSide(bids), buy, sell, riskLimitQuote: env.risk, quoteAvailable: env.quote, baseAvailable: env.base, ...(env.hurdle === undefined ? {} : { hurdleBps: env.hurdle }) };
          const r = optimizeSize(input);
          if (!r.ok) return;
          const lots = r.trade.size.div(r.trade.lot).toNumber();
          const s = r.trade.lot.times(Math.max(1, Math.floor(lots * frac)));
          const t = tradeAtSize(input, s, r.trade.lot);
          const n = naive(asks, bids, buy, sell, env, s);
          if (t === null) {
            refused++;
            expect(n.feasible && n.profit.gt(0)).toBe(false);
            return;
          }
          priced++;
          expect(n.feasible).toBe(true);
          expect(t.profitQuote.eq(n.profit) && t.objective.eq(n.objective)).toBe(true);
          expect(t.objective.gte(0)).toBe(true);
          const capped = optimizeSize({ ...input, maxSize: s });
          if (!capped.ok) throw new Error(capped.reason);
          const same = (k: 'size' | 'buyNotional' | 'sellNotional' | 'profitQuote' | 'buyLimit' | 'sellLimit'): boolean => capped.trade[k].eq(t[k]);
          expect(['size', 'buyNotional', 'sellNotional', 'profitQuote', 'buyLimit', 'sellLimit'].every((k) => same(k as Parameters<typeof same>[0]))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
    expect(priced).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(0);
  });
});

const sum = (ls: Level[]): number => ls.reduce((a, [, q]) => a + Number(q), 0);
/** Independent LCM of the two steps (all test steps are multiples of 0.01). */
function gridLot(a: MarketRules, b: MarketRules): Big {
  const x = Math.round(a.lotStep.toNumber() * 100);
  const y = Math.round(b.lotStep.toNumber() * 100);
  const g = (p: number, q: number): number => (q === 0 ? p : g(q, p % q));
  return new Big((x * y) / g(x, y)).div(100);
}
