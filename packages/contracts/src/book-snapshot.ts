import { Type, type Static } from '@sinclair/typebox';
import { Count, EpochMs, Level, SymbolId, VenueId } from './primitives';

/** Normalized top-N L2 book, published by a feed-ingestor on `md.book.<venue>.<symbol>`. */
export const BookSnapshot = Type.Object(
  {
    v: Type.Literal(1),
    venue: VenueId,
    symbol: SymbolId,
    /** Local publish sequence, per (venue, symbol), increasing by one per published snapshot. */
    seq: Count,
    /** The venue's own sequence / update id of the last applied change. */
    venueSeq: Count,
    /** Venue event time (epoch ms) when the venue gives one. */
    venueTs: Type.Union([EpochMs, Type.Null()]),
    /** Local time the frame that produced this book was received. */
    recvTs: EpochMs,
    /** Local time this snapshot was published. */
    pubTs: EpochMs,
    bids: Type.Array(Level, { maxItems: 1000 }),
    asks: Type.Array(Level, { maxItems: 1000 }),
  },
  { $id: 'BookSnapshot', additionalProperties: false },
);
export type BookSnapshot = Static<typeof BookSnapshot>;
