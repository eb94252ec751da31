import type { BookSnapshot, OpportunityFactors } from '@arb/contracts';
import type { StoredBook } from './book-store';
import type { Inventory } from './inventory';
import type { Market } from './markets';
import type { DetectorParams } from './params';

/** One directed pair to evaluate: buy on `buy.book.venue`, sell on `sell.book.venue`. */
export interface RouteInput<P> {
  readonly symbol: string;
  readonly buy: StoredBook<P>;
  readonly sell: StoredBook<P>;
  readonly buyMarket: Market;
  readonly sellMarket: Market;
  readonly params: DetectorParams;
  readonly inventory: Inventory;
  /** Feed incidents (gaps, resyncs, ...) seen lately on each venue. */
  readonly buyIncidents: number;
  readonly sellIncidents: number;
  readonly now: number;
}

/** The priced terms of a publishable opportunity (decimal strings). */
export interface RouteCandidate {
  readonly size: string;
  readonly buy: { readonly limitPrice: string; readonly vwap: string };
  readonly sell: { readonly limitPrice: string; readonly vwap: string };
  readonly grossEdgeBps: string;
  readonly netEdgeBps: string;
  readonly profitQuote: string;
  readonly profitUsd: string;
  readonly confidence: number;
  /** Confidence factors, σ, threshold and marketability allowance behind it (the Opportunity's `factors`). */
  readonly factors: OpportunityFactors;
}

export type RouteResult =
  | { readonly ok: true; readonly candidate: RouteCandidate }
  /** `weakest`: for `low-confidence`, the confidence factor with the lowest value. */
  | { readonly ok: false; readonly reason: string; readonly weakest?: string };

/** The opportunity math, seen from the detector (implemented on top of @arb/domain). */
export interface RouteEvaluator<P> {
  /** Derives what every pair evaluation of this book needs (parsed levels...), once per book update. */
  prepare(book: BookSnapshot): P;
  /** Called once per accepted book update, before its pairs are evaluated (volatility, ...). */
  observe(entry: StoredBook<P>, now: number): void;
  /** Evaluates one direction; must be pure apart from its own trackers (edge persistence). */
  evaluate(input: RouteInput<P>): RouteResult;
  /** Told every params object in force whenever a new set goes live (e.g. to keep or drop per-params state). */
  applyParams?(all: readonly DetectorParams[]): void;
}
