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
import type { RouteEvaluator, RouteInput, RouteResult } from './evaluator';
import type { Market } from './markets';
import type { DetectorParams } from './params';

export interface DomainEvaluatorOptions {
  /** Latest fresh book of a symbol on any venue (for USD conversion of non-pegged quotes), or undefined. */
  bookOf: (symbol: string, now: number) => BookSnapshot | undefined;
}

interface Compiled {
  detection: DetectionParams;
  usd: UsdValuer;
  /** Key of the volatility estimator these params read (their estimator options). */
  volKey: string;
}

/**
 * Adapter from the detector's RouteEvaluator to @arb/domain's opportunity math: parses each book once
 * (`parseBook`), feeds the volatility estimator(s) per (venue, symbol), compiles market rules and detection params
 * once per object (params are swapped whole, so identity tells a change), calls `evaluateRoute`, and records the
 * edge's presence in the EdgeTracker (with the route's edge options) after every evaluation.
 *
 * Volatility options can change at run time and differ between A/B variants: one estimator per distinct options,
 * each fed every mid. A new one continues from an existing one's data (no new warm-up); `applyParams` drops those
 * no params in force use any more.
 */
export class DomainEvaluator implements RouteEvaluator<ParsedBook> {
  private readonly edges = new EdgeTracker();
  private readonly vols = new Map<string, VolatilityEstimator>();
  private readonly rules = new WeakMap<Market, DomainRules>();
  private readonly compiled = new WeakMap<DetectorParams, Compiled>();
  private now = 0;

  constructor(private readonly opts: DomainEvaluatorOptions) {}

  prepare(book: BookSnapshot): ParsedBook {
    return parseBook(book);
  }

  observe(entry: StoredBook<ParsedBook>, now: number): void {
    this.now = now;
    if (!Number.isFinite(entry.parsed.mid)) return;
    const key = volKey(entry.book.venue, entry.book.symbol);
    for (const v of this.vols.values()) v.update(key, entry.book.recvTs, entry.parsed.mid);
  }

  /** The params now in force (default + variants): keeps one volatility estimator per distinct options among them. */
  applyParams(all: readonly DetectorParams[]): void {
    const keep = new Set(all.map((p) => this.compile(p).volKey));
    for (const k of [...this.vols.keys()]) if (!keep.has(k)) this.vols.delete(k);
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
      volBps: this.estimator(c).maxVolBps([volKey(buy.book.venue, symbol), volKey(sell.book.venue, symbol)]),
      now,
      params: c.detection,
      usd: c.usd,
      edges: this.edges,
      route,
    });
    this.edges.record(route, now, r.edgePresent, c.detection.edges);
    if (!r.ok) return r.weakest === undefined ? { ok: false, reason: r.reason } : { ok: false, reason: r.reason, weakest: r.weakest };
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
        factors: k.factors,
      },
    };
  }

  /** Compiles (and so validates) a params object up front: throws InvalidDetectionParamsError when unusable. */
  check(p: DetectorParams): void {
    this.compile(p);
  }

  /** σ (bps/√s) of one venue's mid for a symbol under `params`' estimator options (for /stats and tests). */
  volBps(venue: string, symbol: string, params: DetectorParams): number {
    return this.estimator(this.compile(params)).volBps(volKey(venue, symbol));
  }

  /** The estimator for compiled params: created on first use, continuing from an existing one's data. */
  private estimator(c: Compiled): VolatilityEstimator {
    let v = this.vols.get(c.volKey);
    if (v === undefined) {
      const from = this.vols.values().next().value;
      v = from === undefined ? new VolatilityEstimator(c.detection.volatility) : from.withOptions(c.detection.volatility);
      this.vols.set(c.volKey, v);
    }
    return v;
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
          edges: p.edges,
          marketability: p.marketability,
          volatility: p.volatility,
        }),
        usd: new UsdValuer({ pegs: p.usdPegs, mids: (s) => this.midOf(s) }),
        volKey: volOptionsKey(p.volatility),
      };
      this.compiled.set(p, c);
      this.estimator(c);
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

/** Identity of estimator options (absent fields are the domain defaults, so they are left as absent). */
function volOptionsKey(o: DetectorParams['volatility']): string {
  return [o.halfLifeMs, o.minIntervalMs, o.priorVolBps, o.priorWeightMs, o.clipSigmas].map((x) => (x === undefined ? '' : String(x))).join('|');
}
