import { Type, type Static } from '@sinclair/typebox';
import { Count, EpochMs, SymbolId, VenueId } from './primitives';

export const FeedState = Type.Union([
  Type.Literal('connecting'),
  Type.Literal('syncing'),
  Type.Literal('live'),
  Type.Literal('resyncing'),
  Type.Literal('stale'),
  Type.Literal('down'),
]);
export type FeedState = Static<typeof FeedState>;

export const FeedCounters = Type.Object(
  {
    updates: Count,
    gaps: Count,
    checksumFailures: Count,
    resyncs: Count,
    reconnects: Count,
    rejected: Count,
  },
  { additionalProperties: false },
);
export type FeedCounters = Static<typeof FeedCounters>;

export const SymbolFeedStatus = Type.Object(
  {
    state: FeedState,
    /** Milliseconds since the book last changed or was confirmed (null before the first sync). */
    bookAgeMs: Type.Union([EpochMs, Type.Null()]),
    venueSeq: Type.Union([Count, Type.Null()]),
  },
  { additionalProperties: false },
);

/** Feed health per venue on `md.status.<venue>`: on change and every second. */
export const FeedStatus = Type.Object(
  {
    v: Type.Literal(1),
    venue: VenueId,
    /** Overall state: `live` only when every symbol is live. */
    state: FeedState,
    ts: EpochMs,
    symbols: Type.Record(SymbolId, SymbolFeedStatus, { additionalProperties: false }),
    counters: FeedCounters,
  },
  { $id: 'FeedStatus', additionalProperties: false },
);
export type FeedStatus = Static<typeof FeedStatus>;
