import { Type, type Static } from '@sinclair/typebox';

const Rate = (description: string) => Type.Number({ minimum: 0, maximum: 1, default: 0, description });
const NonNeg = (description: string) => Type.Number({ minimum: 0, default: 0, description });

/** Fault injection for one venue. Everything is off (0) by default. */
export const FaultsConfig = Type.Object(
  {
    /** Close (abruptly) every WebSocket connection of the venue every N seconds. */
    disconnectEveryS: NonNeg('seconds between forced disconnects; 0 = off'),
    /** Every N seconds, send nothing at all (data, pings, heartbeats) for freezeMs. */
    freezeEveryS: NonNeg('seconds between silent freezes; 0 = off'),
    freezeMs: NonNeg('length of a silent freeze in ms'),
    /** Fraction of market-data messages dropped (the truth still includes the change). */
    dropRate: Rate('fraction of market-data messages dropped'),
    /** Fraction of market-data messages replaced by a corrupted one. */
    corruptRate: Rate('fraction of market-data messages corrupted'),
    /** Fraction of market-data messages that stall their connection for delayMs (in-order). */
    delayRate: Rate('fraction of market-data messages delayed'),
    delayMs: NonNeg('stall length in ms for a delayed message'),
    /** Fraction of REST requests answered with a 5xx in the venue's error format. */
    restErrorRate: Rate('fraction of REST requests failing with 5xx'),
    /**
     * The venue's clock reads host time + clockOffsetMs (negative = behind): its server time, the timestamps it
     * checks signed requests against (Binance recvWindow, Coinbase JWT nbf/exp) and its event times.
     */
    clockOffsetMs: Type.Number({ minimum: -3_600_000, maximum: 3_600_000, default: 0, description: 'venue clock minus host clock, ms' }),
    /** Fraction of REST requests answered with 429 in the venue's error format. */
    rest429Rate: Rate('fraction of REST requests failing with 429'),
    /** Fraction of REST depth snapshots (Binance GET /api/v3/depth) served crossed: one bid priced above the best ask. */
    crossedDepthRate: Rate('fraction of REST depth snapshots served crossed'),
  },
  { additionalProperties: false, default: {} },
);
export type FaultsConfig = Static<typeof FaultsConfig>;

/** A partial update of a venue's faults (POST /control/faults). */
export const FaultsPatch = Type.Partial(FaultsConfig, { additionalProperties: false });
export type FaultsPatch = Static<typeof FaultsPatch>;

export const FAULTS_OFF: FaultsConfig = {
  disconnectEveryS: 0,
  freezeEveryS: 0,
  freezeMs: 0,
  dropRate: 0,
  corruptRate: 0,
  delayRate: 0,
  delayMs: 0,
  restErrorRate: 0,
  rest429Rate: 0,
  clockOffsetMs: 0,
  crossedDepthRate: 0,
};
