import type { BookSnapshot, FeedStatus, Opportunity } from '@arb/contracts';
import { BookStore, type IntakeBounds, type StoredBook } from './book-store';
import type { RouteEvaluator, RouteCandidate } from './evaluator';
import type { FeedHealth } from './feed-health';
import type { Inventory } from './inventory';
import type { MarketTable, Market } from './markets';
import { labelCache, type DetectorMetrics } from './metrics';
import { opportunityId, routeKey } from './opportunity-id';
import type { DetectorParams } from './params';
import type { ParamsSet } from './params-set';
import type { SymbolPartition } from '@arb/domain';
import type { PublishOpportunity } from './publisher';
import { Suppressor } from './suppressor';

export interface DetectorDeps<P> {
  evaluator: RouteEvaluator<P>;
  /** The live params (default + A/B variants), read once per update. */
  params: { snapshot(): ParamsSet };
  markets: MarketTable;
  inventory: Inventory;
  feedHealth: FeedHealth;
  partition: SymbolPartition;
  publish: PublishOpportunity;
  /** Write-behind mirror of accepted books (must not block). */
  mirror?: (book: BookSnapshot) => void;
  metrics: DetectorMetrics;
  /** What a book's own times and seq must satisfy to be believed (detector.intake); default DEFAULT_INTAKE. */
  intake?: IntakeBounds;
  now: () => number;
  /** Rate-limited warning (kind, fields, message). */
  warn: (kind: string, obj: Record<string, unknown>, msg: string) => void;
}

/**
 * The detector's event core: keeps the latest book per (venue, symbol) and, on each accepted update, evaluates the
 * updated venue against every other fresh, live venue of the symbol in both directions. Publishes what passes, once
 * per unchanged opportunity. Synchronous: nothing here awaits I/O.
 */
export class Detector<P> {
  readonly books: BookStore<P>;
  private readonly suppressor: Suppressor;
  private lastSweep = 0;
  private readonly received: (venue: string, symbol: string) => { inc(n?: number): void };
  private readonly evaluated: (symbol: string) => { inc(n?: number): void };
  private readonly rejected: (symbol: string, reason: string) => { inc(n?: number): void };
  private readonly lowConfidence: (symbol: string, factor: string) => { inc(n?: number): void };
  private readonly variantEvaluated: (variant: string) => { inc(n?: number): void };
  private readonly variantPublished: (variant: string) => { inc(n?: number): void };

  constructor(private readonly d: DetectorDeps<P>) {
    this.books = new BookStore((b) => d.evaluator.prepare(b), d.intake);
    this.suppressor = new Suppressor();
    this.received = labelCache(d.metrics.booksReceived);
    this.evaluated = labelCache(d.metrics.evaluations);
    this.rejected = labelCache(d.metrics.rejections);
    this.lowConfidence = labelCache(d.metrics.lowConfidence);
    this.variantEvaluated = labelCache(d.metrics.variantEvaluations);
    this.variantPublished = labelCache(d.metrics.variantOpportunities);
  }

  onStatus(status: FeedStatus): void {
    this.d.metrics.statusesReceived.labels(status.venue).inc();
    this.d.feedHealth.update(status, this.d.now());
  }

  /** Handles one BookSnapshot; `subjectVenue`/`subjectSymbol` (from the subject) must match the payload. */
  onBook(book: BookSnapshot, from?: { venue: string; symbol: string } | null): void {
    const { metrics: m } = this.d;
    this.received(book.venue, book.symbol).inc();
    if (from !== undefined && (from === null || from.venue !== book.venue || from.symbol !== book.symbol)) {
      this.drop('subject-mismatch', book, 'book payload does not match its subject');
      return;
    }
    if (!this.d.partition.owns(book.symbol)) {
      m.booksDropped.labels('not-owned').inc();
      return;
    }
    const market = this.d.markets.get(book.venue, book.symbol);
    if (market === null) {
      this.drop('unknown-market', book, 'no market config (fees, lot, tick) for this venue and symbol: book ignored');
      return;
    }
    const before = this.books.size;
    const put = this.books.put(book, this.d.now());
    if (!put.accepted) {
      if (put.reason === 'older' || put.reason === 'duplicate') m.booksDropped.labels(put.reason).inc();
      else this.drop(put.reason, book, `book refused (${put.reason}): recvTs, pubTs or seq not believable (detector.intake)`);
      return;
    }
    if (this.books.size !== before) {
      m.books.set(this.books.size);
      this.d.inventory.track(book.venue, market.base);
      this.d.inventory.track(book.venue, market.quote);
    }
    this.d.mirror?.(book);
    const start = this.d.now();
    this.d.evaluator.observe(put.entry, start);
    this.evaluatePairs(put.entry, market, start);
    m.evaluationLatency.observe((this.d.now() - start) * 1000);
  }

  private evaluatePairs(updated: StoredBook<P>, market: Market, now: number): void {
    const { feedHealth } = this.d;
    const set = this.d.params.snapshot();
    const symbol = updated.book.symbol;
    if (now - this.lastSweep > 10_000) {
      this.suppressor.sweep(now);
      this.lastSweep = now;
    }
    const updatedLive = feedHealth.isLive(updated.book.venue, symbol, now);
    const updatedAge = now - updated.book.recvTs;
    let evaluated = 0;
    for (const [venue, other] of this.books.ofSymbol(symbol)) {
      if (venue === updated.book.venue) continue;
      if (!updatedLive || !feedHealth.isLive(venue, symbol, now)) {
        this.rejected(symbol, 'not-live').inc(2);
        continue;
      }
      const otherMarket = this.d.markets.get(venue, symbol);
      if (otherMarket === null) {
        this.rejected(symbol, 'unknown-market').inc(2); // not reached: books without a market are never stored
        continue;
      }
      const age = Math.max(updatedAge, now - other.book.recvTs);
      const trigger = updated.book.recvTs;
      // Each direction is its own route, so it may belong to another A/B variant (with its own staleness limit).
      const forward = set.forRoute(symbol, updated.book.venue, venue, now);
      if (age > forward.stalenessMs) this.rejected(symbol, 'stale').inc();
      else {
        evaluated++;
        this.evaluateRoute(symbol, updated, market, other, otherMarket, forward, now, trigger);
      }
      const reverse = set.forRoute(symbol, venue, updated.book.venue, now);
      if (age > reverse.stalenessMs) this.rejected(symbol, 'stale').inc();
      else {
        evaluated++;
        this.evaluateRoute(symbol, other, otherMarket, updated, market, reverse, now, trigger);
      }
    }
    if (evaluated > 0) this.evaluated(symbol).inc(evaluated);
  }

  private evaluateRoute(
    symbol: string,
    buy: StoredBook<P>,
    buyMarket: Market,
    sell: StoredBook<P>,
    sellMarket: Market,
    params: DetectorParams,
    now: number,
    triggerRecvTs: number,
  ): void {
    const { metrics: m, feedHealth } = this.d;
    this.variantEvaluated(params.variant).inc();
    const result = this.d.evaluator.evaluate({
      symbol,
      buy,
      sell,
      buyMarket,
      sellMarket,
      params,
      inventory: this.d.inventory,
      buyIncidents: feedHealth.recentIncidents(buy.book.venue),
      sellIncidents: feedHealth.recentIncidents(sell.book.venue),
      now,
    });
    if (!result.ok) {
      this.rejected(symbol, result.reason).inc();
      if (result.weakest !== undefined) this.lowConfidence(symbol, result.weakest).inc();
      return;
    }
    const c = result.candidate;
    const route = routeKey(symbol, buy.book.venue, sell.book.venue);
    // Terms by the touched levels, not the allowance-inclusive limits: the allowance follows the edge on every tick,
    // and a re-publish for that alone would only queue a near-identical trade behind the route lock.
    const touched = c.factors.marketability;
    const terms = { buyLimit: touched.buyTouched, sellLimit: touched.sellTouched, size: c.size };
    const detectedTs = this.d.now();
    if (!this.suppressor.shouldPublish(route, terms, detectedTs, params.suppression)) {
      m.suppressed.labels(symbol).inc();
      return;
    }
    const opp = buildOpportunity(symbol, buy.book, sell.book, c, detectedTs, params);
    this.d.publish(opp);
    this.suppressor.record(route, terms, detectedTs, opp.expiresTs);
    m.opportunities.labels(symbol, buy.book.venue, sell.book.venue).inc();
    this.variantPublished(params.variant).inc();
    m.bookToOpportunity.observe(detectedTs - triggerRecvTs);
  }

  private drop(reason: string, book: BookSnapshot, msg: string): void {
    this.d.metrics.booksDropped.labels(reason).inc();
    this.d.warn(`${reason}:${book.venue}:${book.symbol}`, { venue: book.venue, symbol: book.symbol, reason }, msg);
  }
}

export function buildOpportunity(
  symbol: string,
  buy: BookSnapshot,
  sell: BookSnapshot,
  c: RouteCandidate,
  detectedTs: number,
  params: DetectorParams,
): Opportunity {
  return {
    v: 1,
    id: opportunityId({
      symbol,
      buyVenue: buy.venue,
      sellVenue: sell.venue,
      buy: { seq: buy.seq, venueSeq: buy.venueSeq },
      sell: { seq: sell.seq, venueSeq: sell.venueSeq },
      size: c.size,
    }),
    symbol,
    buy: { venue: buy.venue, limitPrice: c.buy.limitPrice, vwap: c.buy.vwap, size: c.size },
    sell: { venue: sell.venue, limitPrice: c.sell.limitPrice, vwap: c.sell.vwap, size: c.size },
    size: c.size,
    grossEdgeBps: c.grossEdgeBps,
    netEdgeBps: c.netEdgeBps,
    profitQuote: c.profitQuote,
    profitUsd: c.profitUsd,
    confidence: c.confidence,
    detectedTs,
    expiresTs: detectedTs + params.executionWindowMs,
    books: {
      buy: { recvTs: buy.recvTs, seq: buy.seq, venueSeq: buy.venueSeq },
      sell: { recvTs: sell.recvTs, seq: sell.seq, venueSeq: sell.venueSeq },
    },
    variant: params.variant,
    factors: c.factors,
  };
}
