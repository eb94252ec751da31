import Big from 'big.js';
import type { BookSnapshot, Level } from '@arb/contracts';
import { validators } from '@arb/contracts';
import { candidateFingerprint, toOpportunity } from './candidate';
import { compileDetectionParams, type DetectionParamsInput } from './detection-params';
import { EdgeTracker, routeKey } from './edge-tracker';
import { evaluateRoute, type RouteEvaluation, type RouteInput } from './evaluate-route';
import { compileMarketRules } from './market-rules';
import { parseBook } from './parsed-book';
import { exactMid, UsdValuer } from './usd-valuer';

const NOW = 1_700_000_000_000.5;

function snap(venue: string, symbol: string, bids: Level[], asks: Level[], ageMs = 50): BookSnapshot {
  return { v: 1, venue, symbol, seq: 7, venueSeq: 1234, venueTs: null, recvTs: NOW - ageMs, pubTs: NOW - ageMs + 0.1, bids, asks };
}

/** 18 deep levels beyond the interesting ones, so the edge uses a small part of the visible book. */
const deep = (from: number, dir: 1 | -1): Level[] => Array.from({ length: 18 }, (_, k): Level => [String(from + dir * k), '5']);
const A_ASKS: Level[] = [['100', '1'], ['101', '2'], ...deep(110, 1)];
const A_BIDS: Level[] = [['99', '3'], ...deep(90, -1)];
const B_BIDS: Level[] = [['102', '1.5'], ['100.5', '1'], ...deep(95, -1)];
const B_ASKS: Level[] = [['103', '3'], ...deep(120, 1)];

const rules = (venue: string) => compileMarketRules({ venue, takerFee: '0.001', lotStep: '0.01', tick: '0.5', minSize: '0.01', minNotional: '10' });
const PARAMS: DetectionParamsInput = { minProfitPct: '0.05', minProfitUsd: '1', riskLimitPerTrade: '100000' };

function route(o: Partial<RouteInput> = {}, p: Partial<DetectionParamsInput> = {}): RouteInput {
  return {
    symbol: 'BTC-USDT',
    buyBook: parseBook(snap('alpha', 'BTC-USDT', A_BIDS, A_ASKS)),
    sellBook: parseBook(snap('beta', 'BTC-USDT', B_BIDS, B_ASKS)),
    buyRules: rules('alpha'),
    sellRules: rules('beta'),
    quoteAvailable: new Big('1000000'),
    baseAvailable: new Big('100'),
    buyFeed: { live: true, incidents: 0 },
    sellFeed: { live: true, incidents: 0 },
    volBps: 1,
    now: NOW,
    params: compileDetectionParams({ ...PARAMS, ...p }),
    usd: new UsdValuer(),
    edges: persistent(),
    ...o,
  };
}

/** A tracker that has seen the alpha→beta edge continuously for 500 ms. */
function persistent(): EdgeTracker {
  const t = new EdgeTracker();
  for (let ms = 500; ms >= 0; ms -= 100) t.observe(routeKey('BTC-USDT', 'alpha', 'beta'), NOW - ms - 1, true);
  return t;
}

const reason = (e: RouteEvaluation): string => (e.ok ? 'ok' : e.reason);

describe('evaluateRoute', () => {
  it('prices a fresh, deep, persistent edge (hand-computed) and builds a valid Opportunity with its factors', () => {
    const e = evaluateRoute(route());
    if (!e.ok) throw new Error(e.reason);
    const c = e.candidate;
    // The walk's optimum is 1.5 (all of beta's 102 bid); the haircut takes at most 80 % of that last level: 1.2.
    expect(c.size).toBe('1.2');
    expect(c.buy).toEqual({ venue: 'alpha', limitPrice: '101', vwap: '100.166666666667', size: '1.2' });
    expect(c.sell).toEqual({ venue: 'beta', limitPrice: '102', vwap: '102', size: '1.2' });
    expect(c.grossEdgeBps).toBe('183.0283'); // 2.2 / 120.2
    expect(c.netEdgeBps).toBe('162.8453'); // 1.9574 / 120.2
    expect(c.profitQuote).toBe('1.9574');
    expect(c.profitUsd).toBe('1.9574');
    expect([c.buyFeeQuote, c.sellFeeQuote]).toEqual(['0.1202', '0.1224']);
    expect(c.risk).toEqual({ volBps: 1, premiumBps: 1, thresholdBps: 6 });
    expect(c.confidence).toBeGreaterThan(0.9);
    expect(c.books.buy).toEqual({ recvTs: NOW - 50, seq: 7, venueSeq: 1234 });
    // At the touched levels both legs would net 1.2 × (102 × 0.999 − 101 × 1.001) = 0.9564 < minProfitUsd 1: the
    // limits stay on the touched levels (no allowance).
    expect(c.factors).toEqual({
      ...c.factors,
      volBps: 1,
      premiumBps: 1,
      thresholdBps: 6,
      marketability: { buyTouched: '101', sellTouched: '102', buyBps: 0, sellBps: 0, netAtLimitsQuote: '0.9564' },
      sizeBeforeHaircut: '1.5',
    });
    const f = c.factors;
    expect(f.freshness * f.depth * f.persistence * f.health).toBeCloseTo(c.confidence, 5);
    const opp = toOpportunity(c, { id: 'opp_0000001', detectedTs: NOW, expiresTs: NOW + 500, variant: 'default' });
    expect(validators.Opportunity.issues(opp)).toEqual([]);
    expect(opp.factors).toBe(c.factors);
    expect(candidateFingerprint(c)).toBe('BTC-USDT:alpha:beta:1.2:101:102');
  });

  it('marketable limits: the allowance is paid out of the edge above the threshold, capped per leg, on tick', () => {
    const fine = (venue: string) => compileMarketRules({ venue, takerFee: '0.001', lotStep: '0.01', tick: '0.01', minSize: '0.01', minNotional: '10' });
    const e = evaluateRoute(route({ buyRules: fine('alpha'), sellRules: fine('beta') }, { minProfitUsd: '0.1' }));
    if (!e.ok) throw new Error(e.reason);
    // budget 0.5 × (1.9574 − 6 bps × 120.2) = 0.94264, bounded by 0.9564 − 0.1 = 0.8564: 0.3568 per unit per leg,
    // capped at 10 bps: buy 101 + 0.101 → 101.11 is past the cap → 101.10; sell 102 − 0.102 → 101.89 past it → 101.90.
    expect([e.candidate.buy.limitPrice, e.candidate.sell.limitPrice]).toEqual(['101.1', '101.9']);
    expect([e.candidate.buy.vwap, e.candidate.sell.vwap]).toEqual(['100.166666666667', '102']); // the expected fills
    const m = e.candidate.factors.marketability;
    expect(m).toEqual({ buyTouched: '101', sellTouched: '102', buyBps: 9.90099, sellBps: 9.803922, netAtLimitsQuote: '0.7164' });
    expect(new Big(m.netAtLimitsQuote).gte('0.1')).toBe(true);
    // edgeShare 0: limits on the touched levels
    const none = evaluateRoute(route({ buyRules: fine('alpha'), sellRules: fine('beta') }, { minProfitUsd: '0.1', marketability: { edgeShare: 0 } }));
    expect(none.ok && [none.candidate.buy.limitPrice, none.candidate.sell.limitPrice]).toEqual(['101', '102']);
  });

  it('the reverse direction has no edge (and says so cheaply)', () => {
    const e = evaluateRoute(route({ buyBook: parseBook(snap('beta', 'BTC-USDT', B_BIDS, B_ASKS)), sellBook: parseBook(snap('alpha', 'BTC-USDT', A_BIDS, A_ASKS)) }));
    expect(e).toEqual({ ok: false, edgePresent: false, reason: 'no-edge' });
  });

  it('fees turning the edge negative → no-edge', () => {
    const e = evaluateRoute(route({ sellBook: parseBook(snap('beta', 'BTC-USDT', [['100.15', '1'], ...deep(95, -1)], B_ASKS)) }));
    expect(e).toEqual({ ok: false, edgePresent: false, reason: 'no-edge' });
  });

  it('stale (older than stalenessMs) is rejected outright; nearly stale fails on confidence', () => {
    expect(reason(evaluateRoute(route({ buyBook: parseBook(snap('alpha', 'BTC-USDT', A_BIDS, A_ASKS, 1500)) })))).toBe('stale');
    const e = evaluateRoute(route({ buyBook: parseBook(snap('alpha', 'BTC-USDT', A_BIDS, A_ASKS, 900)) }));
    expect(reason(e)).toBe('low-confidence');
    expect(!e.ok && e.confidence !== undefined && e.confidence.factors.freshness < 0.3).toBe(true);
  });

  it('thin: an edge that eats the whole visible book fails on confidence (depth named the weakest factor)', () => {
    const thin = { buyBook: parseBook(snap('alpha', 'BTC-USDT', A_BIDS, [['100', '1']])), sellBook: parseBook(snap('beta', 'BTC-USDT', [['102', '1']], B_ASKS)) };
    const e = evaluateRoute(route(thin, { marketability: { lastLevelShare: 1 } }));
    expect(reason(e)).toBe('low-confidence');
    expect(!e.ok && e.confidence?.factors.depth).toBeCloseTo(0.4, 10);
    expect(!e.ok && e.weakest).toBe('depth');
    // with the default haircut it takes 80 % of the level, not all of it
    const cut = evaluateRoute(route(thin));
    expect(cut.ok && [cut.candidate.size, cut.candidate.factors.sizeBeforeHaircut]).toEqual(['0.8', '1']);
  });

  it('flickering: an edge that came and went 4 times in the window fails on confidence; a new one passes', () => {
    const t = new EdgeTracker();
    const key = routeKey('BTC-USDT', 'alpha', 'beta');
    for (let k = 0; k < 4; k++) {
      t.observe(key, NOW - 2000 + k * 400, true);
      t.observe(key, NOW - 1800 + k * 400, false);
    }
    expect(reason(evaluateRoute(route({ edges: t })))).toBe('low-confidence');
    expect(reason(evaluateRoute(route({ edges: new EdgeTracker() })))).toBe('ok');
  });

  it('a venue not live → feed-down (edge still reported for the tracker)', () => {
    expect(evaluateRoute(route({ sellFeed: { live: false, incidents: 0 } }))).toEqual({ ok: false, edgePresent: true, reason: 'feed-down' });
  });

  it('threshold: screened on the top of book, then enforced exactly as a hurdle on every unit', () => {
    // top edge 179.8 bps
    expect(reason(evaluateRoute(route({}, { minProfitPct: '1.8' })))).toBe('below-threshold');
    // 150 + 1 (vol premium) bps: only the first unit clears it → size 1 (haircut: 80 % of that level), net 179.8 bps
    const e = evaluateRoute(route({}, { minProfitPct: '1.5', marketability: { lastLevelShare: 1 } }));
    if (!e.ok) throw new Error(e.reason);
    expect([e.candidate.size, e.candidate.netEdgeBps, e.candidate.profitQuote]).toEqual(['1', '179.8', '1.798']);
    const cut = evaluateRoute(route({}, { minProfitPct: '1.5' }));
    expect(cut.ok && [cut.candidate.size, cut.candidate.netEdgeBps, cut.candidate.profitQuote]).toEqual(['0.8', '179.8', '1.4384']);
  });

  it('volatility is used once: a premium on the threshold, not a size cut and not a confidence factor', () => {
    const calm = evaluateRoute(route({ volBps: 0.5 }, { riskLimitPerTrade: '150' }));
    const wild = evaluateRoute(route({ volBps: 10 }, { riskLimitPerTrade: '150' }));
    if (!calm.ok || !wild.ok) throw new Error('expected both accepted');
    expect([calm.candidate.risk.thresholdBps, wild.candidate.risk.thresholdBps]).toEqual([5.5, 15]);
    expect(wild.candidate.size).toBe(calm.candidate.size);
    expect(wild.candidate.confidence).toBe(calm.candidate.confidence);
    // a premium past the top edge (179.8 bps) rejects: 2σ√0.25 capped at 50 → raise the cap
    expect(reason(evaluateRoute(route({ volBps: 200 }, { risk: { maxExtraBps: 500 } })))).toBe('below-threshold');
  });

  it('min profit in USD, and a cross-quote symbol valued through a conversion book', () => {
    expect(reason(evaluateRoute(route({}, { minProfitUsd: '2.5' })))).toBe('below-min-profit');
    // The same books as an ETH-BTC market (prices / 1000, in BTC): profit 0.0019574 BTC
    const eth = (v: string, bids: Level[], asks: Level[]) => parseBook(snap(v, 'ETH-BTC', bids, asks));
    const scale = (ls: Level[]): Level[] => ls.map(([p, q]) => [new Big(p).div(1000).toFixed(), q]);
    const btcRules = (venue: string) => compileMarketRules({ venue, takerFee: '0.001', lotStep: '0.01' });
    const base = route({ symbol: 'ETH-BTC', buyBook: eth('alpha', scale(A_BIDS), scale(A_ASKS)), sellBook: eth('beta', scale(B_BIDS), scale(B_ASKS)), buyRules: btcRules('alpha'), sellRules: btcRules('beta') });
    const edges = new EdgeTracker();
    for (let ms = 500; ms >= 0; ms -= 100) edges.observe(routeKey('ETH-BTC', 'alpha', 'beta'), NOW - ms - 1, true);
    expect(reason(evaluateRoute({ ...base, edges }))).toBe('no-usd-rate');
    const usd = new UsdValuer({ mids: (s) => (s === 'BTC-USDT' ? exactMid('64999.5', '65000.5') : null) });
    const e = evaluateRoute({ ...base, edges, usd });
    if (!e.ok) throw new Error(e.reason);
    expect(e.candidate.profitQuote).toBe('0.0019574');
    expect(e.candidate.profitUsd).toBe('127.231'); // 0.0019574 × 65000
  });

  it('inventory and risk limit bind through the full evaluation; none at all → no-inventory', () => {
    const inv = evaluateRoute(route({ quoteAvailable: new Big('120.12') }, { minProfitUsd: '0.1' }));
    expect(inv.ok && inv.candidate.size).toBe('1.18');
    // the IOC buy locks limit × size × 1.001 ≤ 120.12: the allowance on the buy limit stays within the inventory
    expect(inv.ok && new Big(inv.candidate.buy.limitPrice).times('1.18').times('1.001').lte('120.12')).toBe(true);
    expect(reason(evaluateRoute(route({ baseAvailable: new Big(0) })))).toBe('no-inventory');
    expect(reason(evaluateRoute(route({}, { riskLimitPerTrade: '5' })))).toBe('below-min-size');
  });

  it('invalid books are rejected, never thrown', () => {
    const bad = parseBook(snap('alpha', 'BTC-USDT', A_BIDS, [['100', '1'], ['0', '1']]));
    expect(reason(evaluateRoute(route({ buyBook: bad })))).toBe('invalid-book');
    const nan = parseBook(snap('alpha', 'BTC-USDT', A_BIDS, [['x', '1']]));
    expect(reason(evaluateRoute(route({ buyBook: nan })))).toBe('invalid-book');
  });
});
