import {
  compileDetectionParams,
  compileMarketRules,
  EdgeTracker,
  evaluateRoute,
  parseBook,
  UsdValuer,
  VolatilityEstimator,
  type MarketRules,
  type ParsedBook,
} from '@arb/domain';
import Big from 'big.js';
import { validators, type BookSnapshot } from '@arb/contracts';
import { LatencyRecorder, type LatencySummary } from '../lib/latency';
import type { EvalWorkload } from './eval-workload';

export interface EvaluateResult {
  /** Wall time per update (parse once + both directions against every other venue + trackers). */
  readonly perUpdate: LatencySummary;
  readonly meanMs: number;
  readonly evaluations: number;
  /** Evaluations where the top of the books crossed after fees (they went on to the exact depth walk). */
  readonly withEdge: number;
  readonly candidates: number;
}

const SYMBOL = 'BTC-USDT';
const VOLATILITY = { halfLifeMs: 30_000, minIntervalMs: 100, priorVolBps: 2, priorWeightMs: 5000, clipSigmas: 4 };
const EDGES = { windowMs: 5000, maxGapMs: 1000, flickerGapMs: 500 };

/** Detection parameters as in config/default.yaml (detector section). */
function detectionParams(): ReturnType<typeof compileDetectionParams> {
  return compileDetectionParams({
    minProfitPct: '0.02',
    minProfitUsd: '0.10',
    riskLimitPerTrade: '5000',
    minConfidence: 0.6,
    stalenessMs: 1000,
    volatility: VOLATILITY,
    risk: { horizonMs: 250, sigmas: 2, maxExtraBps: 50 },
    confidence: { freshnessPower: 3, depthPenalty: 0.6, newEdgeScore: 0.8, persistMs: 300, flickerPenalty: 0.15, incidentPenalty: 0.25 },
    edges: EDGES,
    marketability: { edgeShare: 0.5, maxLegBps: 10, lastLevelShare: 0.8 },
  });
}

/**
 * What the detector does per accepted book update, with @arb/domain directly (as its DomainEvaluator does): parse
 * the book once, feed the volatility estimator, then evaluate both directions against every other venue's latest
 * book (`evaluateRoute`: float pre-screen, exact walk when it passes) and record each edge in the EdgeTracker.
 * Each update is timed on its own.
 */
export function evaluateUpdates(w: EvalWorkload): EvaluateResult {
  const rules = new Map<string, MarketRules>(
    w.venues.map((venue, i) => [
      venue,
      compileMarketRules({ venue, takerFee: i % 2 === 0 ? '0.0002' : '0.0003', minSize: '0.00001', maxSize: '9000', minNotional: '5', lotStep: '0.00001', tick: '0.01' }),
    ]),
  );
  const params = detectionParams();
  const usd = new UsdValuer({ pegs: { USD: '1', USDT: '1', USDC: '1' } });
  const edges = new EdgeTracker();
  const vol = new VolatilityEstimator(VOLATILITY);
  const quoteAvailable = new Big('100000');
  const baseAvailable = new Big('2');
  const latest = new Map<string, ParsedBook>();
  const volKeys = new Map(w.venues.map((v) => [v, `${v}:${SYMBOL}`]));
  const routes = new Map<string, string>();
  const routeOf = (buy: string, sell: string): string => {
    const k = `${buy}>${sell}`;
    let r = routes.get(k);
    if (r === undefined) routes.set(k, (r = `${SYMBOL}:${buy}:${sell}`));
    return r;
  };
  const rec = new LatencyRecorder();
  let evaluations = 0;
  let withEdge = 0;
  let candidates = 0;
  let total = 0;
  const feed = { live: true, incidents: 0 };
  for (const snap of w.updates) {
    const t0 = performance.now();
    const now = snap.recvTs;
    const book = parseBook(snap);
    latest.set(snap.venue, book);
    const key = volKeys.get(snap.venue) as string;
    if (Number.isFinite(book.mid)) vol.update(key, now, book.mid);
    for (const [venue, other] of latest) {
      if (venue === snap.venue) continue;
      for (const [buy, sell] of [
        [book, other],
        [other, book],
      ] as const) {
        const route = routeOf(buy.venue, sell.venue);
        const r = evaluateRoute({
          symbol: SYMBOL,
          buyBook: buy,
          sellBook: sell,
          buyRules: rules.get(buy.venue) as MarketRules,
          sellRules: rules.get(sell.venue) as MarketRules,
          quoteAvailable,
          baseAvailable,
          buyFeed: feed,
          sellFeed: feed,
          volBps: vol.maxVolBps([volKeys.get(buy.venue) as string, volKeys.get(sell.venue) as string]),
          now,
          params,
          usd,
          edges,
          route,
        });
        edges.record(route, now, r.edgePresent, params.edges);
        evaluations++;
        if (r.edgePresent) withEdge++;
        if (r.ok) candidates++;
      }
    }
    const dt = performance.now() - t0;
    total += dt;
    rec.record(dt);
  }
  return { perUpdate: rec.summary(), meanMs: total / w.updates.length, evaluations, withEdge, candidates };
}

/** Same-run yardstick: what receiving one BookSnapshot costs the detector anyway (JSON decode + schema check). */
export function decodeCostMs(updates: readonly BookSnapshot[]): number {
  const texts = updates.map((u) => JSON.stringify(u));
  let ok = 0;
  const t0 = performance.now();
  for (const t of texts) if (validators.BookSnapshot.check(JSON.parse(t))) ok++;
  const dt = performance.now() - t0;
  if (ok !== texts.length) throw new Error(`decode baseline: ${texts.length - ok} snapshots failed validation`);
  return dt / texts.length;
}
