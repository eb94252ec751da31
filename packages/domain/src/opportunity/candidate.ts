import type { Opportunity, OpportunityFactors, OpportunityLeg } from '@arb/contracts';
import type { Confidence } from './confidence';
import type { DynamicRisk } from './dynamic-risk';

export type BookRefValue = Opportunity['books']['buy'];

/** A priced, publishable opportunity (all money as plain decimal strings). */
export interface OpportunityCandidate {
  readonly symbol: string;
  /** Base size of both legs. */
  readonly size: string;
  readonly buy: OpportunityLeg;
  readonly sell: OpportunityLeg;
  /** (sellNotional − buyNotional) / buyNotional, bps, 4 dp. */
  readonly grossEdgeBps: string;
  /** profitQuote / buyNotional, bps, 4 dp. */
  readonly netEdgeBps: string;
  /** Net of both taker fees, quote asset, 12 dp. */
  readonly profitQuote: string;
  /** profitQuote in USD, 12 dp. */
  readonly profitUsd: string;
  readonly buyNotional: string;
  readonly sellNotional: string;
  /** Taker fees valued in quote. */
  readonly buyFeeQuote: string;
  readonly sellFeeQuote: string;
  readonly confidence: number;
  readonly confidenceDetail: Confidence;
  /** σ, premium and threshold used. */
  readonly risk: DynamicRisk;
  /** What the Opportunity carries as `factors`: confidence factors, σ, threshold, marketability allowance. */
  readonly factors: OpportunityFactors;
  readonly books: { readonly buy: BookRefValue; readonly sell: BookRefValue };
}

export interface OpportunityMeta {
  readonly id: string;
  readonly detectedTs: number;
  readonly expiresTs: number;
  readonly variant: string;
}

/** The wire message for a candidate (contracts `Opportunity`, v1). */
export function toOpportunity(c: OpportunityCandidate, meta: OpportunityMeta): Opportunity {
  return {
    v: 1,
    id: meta.id,
    symbol: c.symbol,
    buy: c.buy,
    sell: c.sell,
    size: c.size,
    grossEdgeBps: c.grossEdgeBps,
    netEdgeBps: c.netEdgeBps,
    profitQuote: c.profitQuote,
    profitUsd: c.profitUsd,
    confidence: c.confidence,
    detectedTs: meta.detectedTs,
    expiresTs: meta.expiresTs,
    books: c.books,
    variant: meta.variant,
    factors: c.factors,
  };
}

/** Identity of a candidate's terms (route, size, limits): equal fingerprints = nothing material changed. */
export function candidateFingerprint(c: OpportunityCandidate): string {
  return `${c.symbol}:${c.buy.venue}:${c.sell.venue}:${c.size}:${c.buy.limitPrice}:${c.sell.limitPrice}`;
}
