import { Type, type Static } from '@sinclair/typebox';
import { Count, Decimal, EpochMs, SymbolId, UDecimal, VenueId } from './primitives';

export const OpportunityLeg = Type.Object(
  {
    venue: VenueId,
    /** Worst price level touched: the IOC limit price. */
    limitPrice: UDecimal,
    vwap: UDecimal,
    size: UDecimal,
  },
  { additionalProperties: false },
);
export type OpportunityLeg = Static<typeof OpportunityLeg>;

export const BookRef = Type.Object(
  { recvTs: EpochMs, seq: Count, venueSeq: Count },
  { additionalProperties: false },
);

/** A detected cross-venue edge on `arb.opp.<symbol>` (stream ARB_OPPS). */
export const Opportunity = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    symbol: SymbolId,
    buy: OpportunityLeg,
    sell: OpportunityLeg,
    size: UDecimal,
    grossEdgeBps: Decimal,
    netEdgeBps: Decimal,
    profitQuote: Decimal,
    profitUsd: Decimal,
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    detectedTs: EpochMs,
    expiresTs: EpochMs,
    books: Type.Object({ buy: BookRef, sell: BookRef }, { additionalProperties: false }),
    variant: Type.String({ minLength: 1, maxLength: 32 }),
  },
  { $id: 'Opportunity', additionalProperties: false },
);
export type Opportunity = Static<typeof Opportunity>;
