import { Type, type Static } from '@sinclair/typebox';
import { Count, Decimal, EpochMs, SymbolId, UDecimal, VenueId } from './primitives';

export const EXECUTION_STATUSES = [
  'filled',
  'partial',
  'hedged',
  'unwound',
  'exposed',
  'rejected',
  'expired',
  'skipped',
  'failed',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const ExecutionStatus = Type.Union(EXECUTION_STATUSES.map((s) => Type.Literal(s)));

export const LegRole = Type.Union([
  Type.Literal('buy'),
  Type.Literal('sell'),
  Type.Literal('hedge'),
  Type.Literal('unwind'),
]);

export const ExecutionLeg = Type.Object(
  {
    role: LegRole,
    venue: VenueId,
    side: Type.Union([Type.Literal('buy'), Type.Literal('sell')]),
    clientOrderId: Type.String({ minLength: 1, maxLength: 64 }),
    venueOrderId: Type.Union([Type.String({ maxLength: 128 }), Type.Null()]),
    limitPrice: UDecimal,
    requestedQty: UDecimal,
    filledQty: UDecimal,
    avgPrice: Type.Union([UDecimal, Type.Null()]),
    /**
     * Exact quote notional of the fills (Σ fill qty × fill price, as the venue reports it: Binance
     * cummulativeQuoteQty, Coinbase filled_value). Optional: absent in older reports, where filledQty × avgPrice
     * stands in for it (avgPrice is a rounded quotient, so that product is off in its last decimals).
     */
    filledQuote: Type.Optional(UDecimal),
    fee: UDecimal,
    feeAsset: Type.String({ maxLength: 16 }),
    /** Venue's final order status, normalized. */
    status: Type.Union([
      Type.Literal('filled'),
      Type.Literal('partially_filled'),
      Type.Literal('unfilled'),
      Type.Literal('rejected'),
      Type.Literal('unknown'),
    ]),
    sentTs: EpochMs,
    ackTs: Type.Union([EpochMs, Type.Null()]),
    finalTs: Type.Union([EpochMs, Type.Null()]),
    error: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type ExecutionLeg = Static<typeof ExecutionLeg>;

/** The journaled outcome of one opportunity on `arb.exec.<symbol>` (stream ARB_EXECS). */
export const ExecutionReport = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ minLength: 1, maxLength: 96 }),
    oppId: Type.String({ minLength: 1, maxLength: 64 }),
    symbol: SymbolId,
    status: ExecutionStatus,
    reason: Type.Optional(Type.String({ maxLength: 512 })),
    legs: Type.Array(ExecutionLeg, { maxItems: 16 }),
    realizedPnlQuote: Decimal,
    realizedPnlUsd: Decimal,
    /** Net base-asset position left over (signed: + long, - short). */
    residualBase: Decimal,
    residualUsd: Decimal,
    fencingToken: Type.Union([Count, Type.Null()]),
    executorId: Type.String({ minLength: 1, maxLength: 128 }),
    variant: Type.String({ minLength: 1, maxLength: 32 }),
    timings: Type.Object(
      {
        receivedTs: EpochMs,
        ordersSentTs: Type.Union([EpochMs, Type.Null()]),
        acksTs: Type.Union([EpochMs, Type.Null()]),
        finalTs: EpochMs,
      },
      { additionalProperties: false },
    ),
    /**
     * Set on a CORRECTION: the id of the trade's report (`exec_<oppId>`) whose figures it adjusts, because the
     * venues' truth turned out to differ after that report was journaled (a late or missing fill report, an order
     * the report did not hold). A correction is additive: its legs carry only what was missing (per venue order the
     * fill quantity, fee and quote added; `avgPrice` is the price of the added part), and its realized PnL and
     * residual are the change of the trade's totals. So summing every report counts each venue order exactly once;
     * the trade is still ONE trade (count trades on reports without `corrects`); `status` is the trade's status
     * as corrected. Absent on ordinary reports.
     */
    corrects: Type.Optional(Type.String({ minLength: 1, maxLength: 96 })),
  },
  { $id: 'ExecutionReport', additionalProperties: false },
);
export type ExecutionReport = Static<typeof ExecutionReport>;
