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
  it('prices a fresh, deep, persistent edge (hand-computed) and builds a valid Opportunity', () => {
    const e = evaluateRoute(route());
    if (!e.ok) throw new Error(e.reason);
    const c = e.candidate;
    expect(c.size).toBe('1.5');
    expect(c.buy).toEqual({ venue: 'alpha', limitPrice: '101', vwap: '100.333333333333', size: '1.5' });
    expect(c.sell).toEqual({ venue: 'beta', limitPrice: '102', vwap: '102', size: '1.5' });
    expect(c.grossEdgeBps).toBe('166.113'); // 2.5 / 150.5
    expect(c.netEdgeBps).toBe('145.9468'); // 2.1965 / 150.5
    expect(c.profitQuote).toBe('2.1965');
    expect(c.profitUsd).toBe('2.1965');
    expect([c.buyFeeQuote, c.sellFeeQuote]).toEqual(['0.1505', '0.153']);
    expect(c.risk).toEqual({ volBps: 1, thresholdBps: 6, sizeFactor: 1 / 1.1 });
    expect(c.confidence).toBeGreaterThan(0.9);
    expect(c.books.buy).toEqual({ recvTs: NOW - 50, seq: 7, venueSeq: 1234 });
    const opp = toOpportunity(c, { id: 'opp_0000001', detectedTs: NOW, expiresTs: NOW + 500, variant: 'default' });
    expect(validators.Opportunity.issues(opp)).toEqual([]);
    expect(candidateFingerprint(c)).toBe('BTC-USDT:alpha:beta:1.5:101:102');
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
    const e = evaluateRoute(route({ buyBook: parseBook(snap('alpha', 'BTC-USDT', A_BIDS, A_ASKS, 850)) }));
    expect(reason(e)).toBe('low-confidence');
    expect(!e.ok && e.confidence !== undefined && e.confidence.factors.freshness < 0.3).toBe(true);
  });

  it('thin: an edge that eats the whole visible book fails on confidence', () => {
    const e = evaluateRoute(
      route({ buyBook: parseBook(snap('alpha', 'BTC-USDT', A_BIDS, [['100', '1']])), sellBook: parseBook(snap('beta', 'BTC-USDT', [['102', '1']], B_ASKS)) }),
    );
    expect(reason(e)).toBe('low-confidence');
    expect(!e.ok && e.confidence?.factors.depth).toBeCloseTo(0.4, 10);
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
    // 150 + 1 (vol add-on) bps: only the first unit clears it → size 1, net 179.8 bps
    const e = evaluateRoute(route({}, { minProfitPct: '1.5' }));
    if (!e.ok) throw new Error(e.reason);
    expect([e.candidate.size, e.candidate.netEdgeBps, e.candidate.profitQuote]).toEqual(['1', '179.8', '1.798']);
  });

  it('dynamic risk: higher volatility raises the threshold and shrinks the size', () => {
    const calm = evaluateRoute(route({ volBps: 0.5 }, { riskLimitPerTrade: '150', confidence: { volReferenceBps: 100 } }));
    const wild = evaluateRoute(route({ volBps: 10 }, { riskLimitPerTrade: '150', confidence: { volReferenceBps: 100 } }));
    if (!calm.ok || !wild.ok) throw new Error('expected both accepted');
    // calm: risk 150 × 1/1.05 = 142.857... → 100 + (s-1)·101 <= 142.857 → 1.42; wild: 150 × 0.5 = 75 → 0.75
    expect([calm.candidate.size, wild.candidate.size]).toEqual(['1.42', '0.75']);
    expect(wild.candidate.risk.thresholdBps).toBeGreaterThan(calm.candidate.risk.thresholdBps);
  });

  it('min profit in USD, and a cross-quote symbol valued through a conversion book', () => {
    expect(reason(evaluateRoute(route({}, { minProfitUsd: '2.5' })))).toBe('below-min-profit');
    // The same books as an ETH-BTC market (prices / 1000, in BTC): profit 0.0021965 BTC
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
    expect(e.candidate.profitQuote).toBe('0.0021965');
    expect(e.candidate.profitUsd).toBe('142.7725'); // 0.0021965 × 65000
  });

  it('inventory and risk limit bind through the full evaluation; none at all → no-inventory', () => {
    const inv = evaluateRoute(route({ quoteAvailable: new Big('120.12') }));
    expect(inv.ok && inv.candidate.size).toBe('1.18');
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
