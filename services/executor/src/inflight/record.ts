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
    /** When the order was recorded, right before it left (local epoch ms; absent in records of older versions). */
    ts: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/**
 * A trade whose orders may be on the wire: written to `redisKeys.inflight(executorId)` (field = opportunity id)
 * BEFORE any order leaves, updated before each hedge/unwind order, deleted after the report is journaled. A record
 * that outlives its executor is reconciled from the venues' truth by another executor; one kept for a follow-up
 * (`followUp`) is reconciled by its own executor.
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
    /** Set when the trade is journaled but some order's outcome is still unknown or was reported late: the record
     *  stays for the reconciler to follow the orders up and journal a correction. */
    followUp: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type InflightRecord = Static<typeof InflightRecord>;
export const inflightRecordValidator = createValidator(InflightRecord);
