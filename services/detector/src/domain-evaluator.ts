import {
  compileDetectionParams,
  compileMarketRules,
  EdgeTracker,
  evaluateRoute,
  exactMid,
  parseBook,
  UsdValuer,
  VolatilityEstimator,
  type DetectionParams,
  type MarketRules as DomainRules,
  type ParsedBook,
} from '@arb/domain';
import type Big from 'big.js';
import type { BookSnapshot } from '@arb/contracts';
import type { StoredBook } from './book-store';
import type { DetectorSection } from './config';
import type { RouteEvaluator, RouteInput, RouteResult } from './evaluator';
import type { Market } from './markets';
import type { DetectorParams } from './params';

export interface DomainEvaluatorOptions {
  volatility: DetectorSection['volatility'];
  edges: DetectorSection['edges'];
  /** Latest fresh book of a symbol on any venue (for USD conversion of non-pegged quotes), or undefined. */
  bookOf: (symbol: string, now: number) => BookSnapshot | undefined;
}

interface Compiled {
  detection: DetectionParams;
  usd: UsdValuer;
}

/**
 * Adapter from the detector's RouteEvaluator to @arb/domain's opportunity math: parses each book once
 * (`parseBook`), feeds the volatility estimator per (venue, symbol), compiles market rules and detection params
 * once per object (params are swapped whole, so identity tells a change), calls `evaluateRoute`, and records the
 * edge's presence in the EdgeTracker after every evaluation.
 */
export class DomainEvaluator implements RouteEvaluator<ParsedBook> {
  private readonly edges: EdgeTracker;
  private readonly vol: VolatilityEstimator;
  private readonly rules = new WeakMap<Market, DomainRules>();
  private readonly compiled = new WeakMap<DetectorParams, Compiled>();
  private now = 0;

  constructor(private readonly opts: DomainEvaluatorOptions) {
    this.edges = new EdgeTracker({ windowMs: opts.edges.windowMs, maxGapMs: opts.edges.maxGapMs });
    this.vol = new VolatilityEstimator({
      halfLifeMs: opts.volatility.halfLifeMs,
      minIntervalMs: opts.volatility.minIntervalMs,
      minSamples: opts.volatility.minSamples,
    });
  }

  prepare(book: BookSnapshot): ParsedBook {
    return parseBook(book);
  }

  observe(entry: StoredBook<ParsedBook>, now: number): void {
    this.now = now;
    if (Number.isFinite(entry.parsed.mid)) this.vol.update(volKey(entry.book.venue, entry.book.symbol), entry.book.recvTs, entry.parsed.mid);
  }

  evaluate(input: RouteInput<ParsedBook>): RouteResult {
    const { buy, sell, symbol, now } = input;
    this.now = now;
    const c = this.compile(input.params);
    const route = `${symbol}:${buy.book.venue}:${sell.book.venue}`;
    const r = evaluateRoute({
      symbol,
      buyBook: buy.parsed,
      sellBook: sell.parsed,
      buyRules: this.rulesOf(input.buyMarket),
      sellRules: this.rulesOf(input.sellMarket),
      quoteAvailable: input.inventory.available(buy.book.venue, input.buyMarket.quote),
      baseAvailable: input.inventory.available(sell.book.venue, input.sellMarket.base),
      // The detector leaves out venues that are not live before evaluating.
      buyFeed: { live: true, incidents: input.buyIncidents },
      sellFeed: { live: true, incidents: input.sellIncidents },
      volBps: this.vol.maxVolBps([volKey(buy.book.venue, symbol), volKey(sell.book.venue, symbol)]),
      now,
      params: c.detection,
      usd: c.usd,
      edges: this.edges,
      route,
    });
    this.edges.observe(route, now, r.edgePresent);
    if (!r.ok) return { ok: false, reason: r.reason };
    const k = r.candidate;
    return {
      ok: true,
      candidate: {
        size: k.size,
        buy: { limitPrice: k.buy.limitPrice, vwap: k.buy.vwap },
        sell: { limitPrice: k.sell.limitPrice, vwap: k.sell.vwap },
        grossEdgeBps: k.grossEdgeBps,
        netEdgeBps: k.netEdgeBps,
        profitQuote: k.profitQuote,
        profitUsd: k.profitUsd,
        confidence: k.confidence,
      },
    };
  }

  /** Compiles (and so validates) a params object up front: throws InvalidDetectionParamsError when unusable. */
  check(p: DetectorParams): void {
    this.compile(p);
  }

  /** σ (bps/√s) of one venue's mid for a symbol, or null while warming up (for /stats and tests). */
  volBps(venue: string, symbol: string): number | null {
    return this.vol.volBps(volKey(venue, symbol));
  }

  private rulesOf(m: Market): DomainRules {
    let r = this.rules.get(m);
    if (r === undefined) {
      r = compileMarketRules({
        venue: m.venue,
        takerFee: m.takerFee,
        minSize: m.minSize,
        maxSize: m.maxSize,
        minNotional: m.minNotional,
        lotStep: m.lotStep,
        tick: m.tick,
      });
      this.rules.set(m, r);
    }
    return r;
  }

  private compile(p: DetectorParams): Compiled {
    let c = this.compiled.get(p);
    if (c === undefined) {
      c = {
        detection: compileDetectionParams({
          minProfitPct: p.minProfitPct,
          minProfitUsd: p.minProfitUsd,
          riskLimitPerTrade: p.riskLimitPerTrade,
          minConfidence: p.minConfidence,
          stalenessMs: p.stalenessMs,
          confidence: p.confidence,
          risk: p.risk,
        }),
        usd: new UsdValuer({ pegs: p.usdPegs, mids: (s) => this.midOf(s) }),
      };
      this.compiled.set(p, c);
    }
    return c;
  }

  private midOf(symbol: string): Big | null {
    const b = this.opts.bookOf(symbol, this.now);
    const bid = b?.bids[0]?.[0];
    const ask = b?.asks[0]?.[0];
    return bid === undefined || ask === undefined ? null : exactMid(bid, ask);
  }
}

const volKey = (venue: string, symbol: string): string => `${venue}:${symbol}`;
