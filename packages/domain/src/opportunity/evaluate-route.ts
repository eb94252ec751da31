import Big from 'big.js';
import type { OpportunityFactors } from '@arb/contracts';
import { BPS, ONE, plain, plainRounded } from './big-math';
import type { OpportunityCandidate } from './candidate';
import { weakestFactor, type Confidence, type ConfidenceFactor } from './confidence';
import type { DetectionParams } from './detection-params';
import type { DynamicRisk } from './dynamic-risk';
import { routeKey, type EdgeHistory } from './edge-tracker';
import { haircutSize, marketableLimits, type MarketableLimits } from './marketability';
import type { MarketRules } from './market-rules';
import type { ParsedBook } from './parsed-book';
import { SCREEN_EPSILON_BPS, topEdgeBps } from './screen';
import { optimizeSize } from './sizing';
import { tradeAtSize } from './sizing-at';
import type { SizedTrade, SizingInput, SizingRejection, SizingResult } from './sizing-types';
import type { UsdValuer } from './usd-valuer';

/** Feed health of one venue for the route's symbol. */
export interface VenueFeed {
  readonly live: boolean;
  /** Gaps, resyncs, reconnects... seen recently. */
  readonly incidents: number;
}

/** One directed pair: buy on `buyBook.venue`, sell on `sellBook.venue`. */
export interface RouteInput {
  /** `BASE-QUOTE`; profit is in QUOTE. */
  readonly symbol: string;
  readonly buyBook: ParsedBook;
  readonly sellBook: ParsedBook;
  readonly buyRules: MarketRules;
  readonly sellRules: MarketRules;
  /** Quote free on the buy venue / base free on the sell venue; null = not checked. */
  readonly quoteAvailable: Big | null;
  readonly baseAvailable: Big | null;
  readonly buyFeed: VenueFeed;
  readonly sellFeed: VenueFeed;
  /** σ (bps/√s) for the route: the higher of both venues' estimates (VolatilityEstimator.maxVolBps). */
  readonly volBps: number;
  /** Local time of this evaluation (epoch ms). */
  readonly now: number;
  readonly params: DetectionParams;
  readonly usd: UsdValuer;
  readonly edges: EdgeHistory;
  /** Route key for `edges` (default `routeKey(symbol, buy venue, sell venue)`); pass a cached one to save work. */
  readonly route?: string;
}

export type RejectionReason =
  | 'invalid-book'
  | 'stale'
  | 'feed-down'
  | 'below-threshold'
  | 'no-usd-rate'
  | 'below-min-profit'
  | 'low-confidence'
  | SizingRejection;

export type RouteEvaluation =
  | { readonly ok: true; readonly edgePresent: true; readonly candidate: OpportunityCandidate }
  | {
      readonly ok: false;
      /** Whether the top of the books crossed after fees (feed this to `EdgeTracker.observe`). */
      readonly edgePresent: boolean;
      readonly reason: RejectionReason;
      /** Set for `low-confidence`. */
      readonly confidence?: Confidence;
      /** Set for `low-confidence`: the lowest factor (what the rejection is blamed on). */
      readonly weakest?: ConfidenceFactor;
    };

const reject = (reason: RejectionReason, edgePresent: boolean): RouteEvaluation => ({ ok: false, edgePresent, reason });

/**
 * Evaluates one direction of one venue pair: staleness and feed checks, the float pre-screen (rejects most pairs
 * in well under a microsecond), then the exact depth walk (`optimizeSize`) with the volatility-adjusted threshold
 * as its hurdle (every unit traded clears it, so the net edge does), the haircut against the touched levels, USD
 * valuation, confidence, and the marketable limit prices. Pure: reads `edges` (preview), never records — the caller
 * records `edgePresent` with `EdgeTracker.record(route, now, edgePresent, params.edges)` after each evaluation.
 */
export function evaluateRoute(r: RouteInput): RouteEvaluation {
  const { buyBook, sellBook, buyRules, sellRules, params: p, now } = r;
  if (!buyBook.topValid || !sellBook.topValid) return reject('invalid-book', false);
  const age = Math.max(now - buyBook.recvTs, now - sellBook.recvTs);
  if (age > p.stalenessMs) return reject('stale', false);
  const topBps = topEdgeBps(buyBook, sellBook, buyRules, sellRules);
  const edgePresent = topBps > 0;
  if (!r.buyFeed.live || !r.sellFeed.live) return reject('feed-down', edgePresent);
  if (!edgePresent) return reject('no-edge', false);
  const risk = p.risk.apply(p.minProfitBps, r.volBps);
  if (topBps < risk.thresholdBps - SCREEN_EPSILON_BPS) return reject('below-threshold', true);

  if (!buyBook.valid || !sellBook.valid) return reject('invalid-book', true);
  const threshold = new Big(risk.thresholdBps.toFixed(6));
  const input: SizingInput = {
    asks: buyBook.asks,
    bids: sellBook.bids,
    buy: buyRules,
    sell: sellRules,
    riskLimitQuote: p.riskLimit,
    quoteAvailable: r.quoteAvailable,
    baseAvailable: r.baseAvailable,
    hurdleBps: threshold,
  };
  const sized = sizeWithHaircut(input, p.marketability.lastLevelShare);
  if (sized === null) return reject('invalid-book', true); // a malformed level deeper in the book (e.g. zero price)
  if (!sized.result.ok) return reject(sized.result.reason, true);
  const t = sized.result.trade;
  const quote = r.symbol.slice(r.symbol.indexOf('-') + 1);
  const usdRate = r.usd.rate(quote);
  if (usdRate === null) return reject('no-usd-rate', true);
  const profitUsd = t.profitQuote.times(usdRate);
  if (profitUsd.lt(p.minProfitUsd)) return reject('below-min-profit', true);

  const sizeF = t.size.toNumber();
  const confidence = p.confidence.score({
    maxBookAgeMs: Math.max(0, age),
    stalenessMs: p.stalenessMs,
    depthUsed: Math.max(sizeF / buyBook.askDepth, sizeF / sellBook.bidDepth),
    edge: r.edges.preview(r.route ?? routeKey(r.symbol, buyBook.venue, sellBook.venue), now, true, p.edges),
    buyLive: r.buyFeed.live,
    sellLive: r.sellFeed.live,
    buyIncidents: r.buyFeed.incidents,
    sellIncidents: r.sellFeed.incidents,
  });
  if (confidence.score < p.minConfidence) {
    return { ok: false, edgePresent: true, reason: 'low-confidence', confidence, weakest: weakestFactor(confidence.factors) };
  }

  const limits = marketableLimits({
    trade: t,
    buy: buyRules,
    sell: sellRules,
    thresholdF: risk.thresholdBps / 10_000,
    minProfit: p.minProfit,
    minProfitQuote: usdRate.eq(ONE) ? p.minProfitUsd : p.minProfitUsd.div(usdRate).round(12, Big.roundUp),
    quoteAvailable: r.quoteAvailable,
    opts: p.marketability,
  });
  const size = plain(t.size);
  const edgeBps = (x: Big): string => plainRounded(x.times(BPS).div(t.buyNotional), 4);
  return {
    ok: true,
    edgePresent: true,
    candidate: {
      symbol: r.symbol,
      size,
      buy: { venue: buyBook.venue, limitPrice: plain(limits.buyLimit), vwap: plainRounded(t.buyNotional.div(t.size), 12), size },
      sell: { venue: sellBook.venue, limitPrice: plain(limits.sellLimit), vwap: plainRounded(t.sellNotional.div(t.size), 12), size },
      grossEdgeBps: edgeBps(t.sellNotional.minus(t.buyNotional)),
      netEdgeBps: edgeBps(t.profitQuote),
      profitQuote: plainRounded(t.profitQuote, 12),
      profitUsd: plainRounded(profitUsd, 12),
      buyNotional: plain(t.buyNotional),
      sellNotional: plain(t.sellNotional),
      buyFeeQuote: plainRounded(t.buyFeeQuote, 12),
      sellFeeQuote: plainRounded(t.sellFeeQuote, 12),
      confidence: confidence.score,
      confidenceDetail: confidence,
      risk,
      factors: factorsOf(confidence, risk, t, limits, sized.before),
      books: {
        buy: { recvTs: buyBook.recvTs, seq: buyBook.seq, venueSeq: buyBook.venueSeq },
        sell: { recvTs: sellBook.recvTs, seq: sellBook.seq, venueSeq: sellBook.venueSeq },
      },
    },
  };
}

/**
 * The profit-maximizing size, then the haircut against the last touched levels: when it binds, the trade of the
 * haircut size (profit is concave in size, so that is the best size within the cap), priced directly; only when a
 * lower bound (min size, min notional) fails there is the walk re-run capped at it. Null when a level deeper in the
 * book is malformed.
 */
function sizeWithHaircut(input: SizingInput, share: Big): { result: SizingResult; before: Big } | null {
  try {
    const first = optimizeSize(input);
    if (!first.ok) return { result: first, before: new Big(0) };
    const before = first.trade.size;
    const cap = haircutSize(input.asks, input.bids, before, share, first.trade.lot);
    if (cap.eq(before)) return { result: first, before };
    if (cap.lte(0)) return { result: { ok: false, reason: 'below-min-size' }, before };
    const at = tradeAtSize(input, cap, first.trade.lot);
    return { result: at !== null ? { ok: true, trade: at } : optimizeSize({ ...input, maxSize: cap }), before };
  } catch {
    return null;
  }
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function factorsOf(c: Confidence, risk: DynamicRisk, t: SizedTrade, limits: MarketableLimits, sizeBefore: Big): OpportunityFactors {
  // For display only: floats (no big.js division on the publish path).
  const bps = (moved: Big, touched: Big): number => r6((moved.toNumber() / touched.toNumber()) * 10_000);
  return {
    freshness: r6(c.factors.freshness),
    depth: r6(c.factors.depth),
    persistence: r6(c.factors.persistence),
    health: r6(c.factors.health),
    volBps: r6(risk.volBps),
    premiumBps: r6(risk.premiumBps),
    thresholdBps: r6(risk.thresholdBps),
    marketability: {
      buyTouched: plain(t.buyLimit),
      sellTouched: plain(t.sellLimit),
      buyBps: bps(limits.buyLimit.minus(t.buyLimit), t.buyLimit),
      sellBps: bps(t.sellLimit.minus(limits.sellLimit), t.sellLimit),
      netAtLimitsQuote: plainRounded(limits.netAtLimits, 12),
    },
    sizeBeforeHaircut: plain(sizeBefore),
  };
}
