import Big from 'big.js';
import { BPS, plain, plainRounded } from './big-math';
import type { OpportunityCandidate } from './candidate';
import type { Confidence } from './confidence';
import type { DetectionParams } from './detection-params';
import { routeKey, type EdgeHistory } from './edge-tracker';
import type { MarketRules } from './market-rules';
import type { ParsedBook } from './parsed-book';
import { SCREEN_EPSILON_BPS, topEdgeBps } from './screen';
import { optimizeSize } from './sizing';
import type { SizingRejection } from './sizing-types';
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
  /** Measured σ (bps/√s) for the symbol; null while warming up. */
  readonly volBps: number | null;
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
    };

const reject = (reason: RejectionReason, edgePresent: boolean, confidence?: Confidence): RouteEvaluation =>
  confidence === undefined ? { ok: false, edgePresent, reason } : { ok: false, edgePresent, reason, confidence };

/**
 * Evaluates one direction of one venue pair: staleness and feed checks, the float pre-screen (rejects most pairs
 * in well under a microsecond), then the exact depth walk (`optimizeSize`) with the volatility-adjusted threshold
 * as its hurdle (every unit traded clears it, so the net edge does), the volatility-scaled risk limit, USD
 * valuation and confidence. Pure: reads `edges` (preview), never records — the caller records
 * `edgePresent` with `EdgeTracker.observe(route, now, edgePresent)` after each evaluation.
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
  const riskLimit = p.riskLimit === null ? null : p.riskLimit.times(risk.sizeFactor.toFixed(6)).round(8, Big.roundDown);
  let sized;
  try {
    sized = optimizeSize({
      asks: buyBook.asks,
      bids: sellBook.bids,
      buy: buyRules,
      sell: sellRules,
      riskLimitQuote: riskLimit,
      quoteAvailable: r.quoteAvailable,
      baseAvailable: r.baseAvailable,
      hurdleBps: new Big(risk.thresholdBps.toFixed(6)),
    });
  } catch {
    return reject('invalid-book', true); // a malformed level deeper in the book (e.g. zero price)
  }
  if (!sized.ok) return reject(sized.reason, true);
  const t = sized.trade;
  const quote = r.symbol.slice(r.symbol.indexOf('-') + 1);
  const profitUsd = r.usd.toUsd(t.profitQuote, quote);
  if (profitUsd === null) return reject('no-usd-rate', true);
  if (profitUsd.lt(p.minProfitUsd)) return reject('below-min-profit', true);

  const sizeF = t.size.toNumber();
  const confidence = p.confidence.score({
    maxBookAgeMs: Math.max(0, age),
    stalenessMs: p.stalenessMs,
    depthUsed: Math.max(sizeF / buyBook.askDepth, sizeF / sellBook.bidDepth),
    edge: r.edges.preview(r.route ?? routeKey(r.symbol, buyBook.venue, sellBook.venue), now, true),
    buyLive: r.buyFeed.live,
    sellLive: r.sellFeed.live,
    buyIncidents: r.buyFeed.incidents,
    sellIncidents: r.sellFeed.incidents,
    volBps: risk.volBps,
  });
  if (confidence.score < p.minConfidence) return reject('low-confidence', true, confidence);

  const size = plain(t.size);
  const edgeBps = (x: Big): string => plainRounded(x.times(BPS).div(t.buyNotional), 4);
  return {
    ok: true,
    edgePresent: true,
    candidate: {
      symbol: r.symbol,
      size,
      buy: { venue: buyBook.venue, limitPrice: plain(t.buyLimit), vwap: plainRounded(t.buyNotional.div(t.size), 12), size },
      sell: { venue: sellBook.venue, limitPrice: plain(t.sellLimit), vwap: plainRounded(t.sellNotional.div(t.size), 12), size },
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
      books: {
        buy: { recvTs: buyBook.recvTs, seq: buyBook.seq, venueSeq: buyBook.venueSeq },
        sell: { recvTs: sellBook.recvTs, seq: sellBook.seq, venueSeq: sellBook.venueSeq },
      },
    },
  };
}
