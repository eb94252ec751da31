import { Type, type Static } from '@sinclair/typebox';
import { UDECIMAL_PATTERN } from '@arb/contracts';

const Dec = Type.String({ pattern: UDECIMAL_PATTERN });
/** Profit may be negative only in theory (a window's size is all positive-edge units), kept signed for safety. */
const SignedDec = Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$' });
const Venue = Type.String();
const Moment = { ts: Type.Number(), modelMs: Type.Number() };

export const WindowSnapshotDoc = Type.Object({
  ...Moment,
  edgeBps: Type.Number(),
  size: Dec,
  profitQuote: SignedDec,
  buyNotional: Dec,
  buyPrice: Dec,
  sellPrice: Dec,
  buyLimit: Dec,
  sellLimit: Dec,
  buyUpdateId: Type.Integer(),
  sellUpdateId: Type.Integer(),
});

export const WindowDoc = Type.Object({
  id: Type.Integer(),
  symbol: Type.String(),
  buyVenue: Venue,
  sellVenue: Venue,
  cause: Type.Union([Type.Literal('dislocate'), Type.Literal('jump'), Type.Literal('noise')]),
  open: Type.Boolean(),
  openTs: Type.Number(),
  openModelMs: Type.Number(),
  closeTs: Type.Union([Type.Number(), Type.Null()]),
  closeModelMs: Type.Union([Type.Number(), Type.Null()]),
  durationModelMs: Type.Union([Type.Number(), Type.Null()]),
  closeReason: Type.Union([Type.Literal('rival'), Type.Literal('convergence'), Type.Literal('account'), Type.Null()]),
  closedBy: Type.Union([Type.Object({ venue: Venue, account: Type.String() }), Type.Null()]),
  fees: Type.Object({ buy: Dec, sell: Dec, buyFeeIn: Type.Union([Type.Literal('base'), Type.Literal('quote')]) }),
  atOpen: WindowSnapshotDoc,
  best: WindowSnapshotDoc,
  traders: Type.Array(Type.Object({ ...Moment, venue: Venue, account: Type.String(), side: Type.Union([Type.Literal('buy'), Type.Literal('sell')]), qty: Dec })),
  tradersOmitted: Type.Integer(),
  rivalSweeps: Type.Array(
    Type.Object({ ...Moment, reactionMs: Type.Number(), buyQty: Dec, sellQty: Dec, buyLimit: Dec, sellLimit: Dec }),
  ),
  rivalSweepsOmitted: Type.Integer(),
});
export type WindowDoc = Static<typeof WindowDoc>;

/** GET /control/windows (version 1). */
export const WindowsDoc = Type.Object({
  v: Type.Literal(1),
  /** Now: local epoch ms (sub-ms fraction) and model ms. */
  ts: Type.Number(),
  modelMs: Type.Number(),
  /** Ring size, windows ever opened, windows open now. */
  capacity: Type.Integer(),
  total: Type.Integer(),
  openNow: Type.Integer(),
  /** Matching windows, oldest first (the most recent `limit` of them). */
  windows: Type.Array(WindowDoc),
});
export type WindowsDoc = Static<typeof WindowsDoc>;
