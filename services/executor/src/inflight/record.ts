import { Type, type Static } from '@sinclair/typebox';
import { createValidator, Opportunity, UDecimal, VenueId } from '@arb/contracts';

export const InflightLeg = Type.Object(
  {
    role: Type.Union([Type.Literal('buy'), Type.Literal('sell'), Type.Literal('hedge'), Type.Literal('unwind')]),
    tag: Type.String({ pattern: '^(b|s|h[1-9]|u[1-9])$' }),
    venue: VenueId,
    symbol: Type.String(),
    side: Type.Union([Type.Literal('buy'), Type.Literal('sell')]),
    qty: UDecimal,
    limitPrice: UDecimal,
    clientOrderId: Type.String({ minLength: 1, maxLength: 36 }),
  },
  { additionalProperties: false },
);

/**
 * A trade whose orders may be on the wire: written to `redisKeys.inflight(executorId)` (field = opportunity id)
 * BEFORE any order leaves, updated before each hedge/unwind order, deleted after the report is journaled. A record
 * that outlives its executor is reconciled from the venues' truth by another executor.
 */
export const InflightRecord = Type.Object(
  {
    v: Type.Literal(1),
    executorId: Type.String({ minLength: 1 }),
    tradeKey: Type.String({ pattern: '^a[0-9a-f]{20}$' }),
    holder: Type.String({ minLength: 1 }),
    fencingToken: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    receivedTs: Type.Number({ minimum: 0 }),
    sentTs: Type.Number({ minimum: 0 }),
    opp: Opportunity,
    reservations: Type.Array(Type.Object({ venue: VenueId, asset: Type.String(), amount: UDecimal }, { additionalProperties: false })),
    legs: Type.Array(InflightLeg, { maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type InflightRecord = Static<typeof InflightRecord>;
export const inflightRecordValidator = createValidator(InflightRecord);
