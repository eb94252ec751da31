import { Type, type Static } from '@sinclair/typebox';
import { SYMBOL_PATTERN } from '@arb/contracts';
import { FaultsPatch } from '../config/faults-schema';

const Venue = Type.Union([Type.Literal('binance'), Type.Literal('coinbase')]);

/** POST /control/faults: patch one venue's faults (or reset them to the configured ones). */
export const FaultsRequest = Type.Object(
  { venue: Venue, faults: Type.Optional(FaultsPatch), reset: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type FaultsRequest = Static<typeof FaultsRequest>;

/**
 * POST /control/dislocate: `venue` jumps by `bps` now (or at model time `atModelMs`, if later: reproducible
 * scenarios); the others follow after durationMs.
 */
export const DislocateRequest = Type.Object(
  {
    symbol: Type.String({ pattern: SYMBOL_PATTERN }),
    venue: Venue,
    bps: Type.Number({ minimum: -5000, maximum: 5000 }),
    durationMs: Type.Number({ minimum: 0, maximum: 3_600_000 }),
    atModelMs: Type.Optional(Type.Number({ minimum: 0, maximum: 1e15 })),
  },
  { additionalProperties: false },
);
export type DislocateRequest = Static<typeof DislocateRequest>;
