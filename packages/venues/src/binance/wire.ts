import { Type, type Static } from '@sinclair/typebox';

/**
 * Raw Binance Spot frames and REST bodies, as the venue sends them (web-socket-streams.md, rest-api.md).
 * Decimal fields stay strings. Unknown extra fields are allowed: venues add fields without notice.
 */

/** `[price, quantity]`, both decimal strings. */
export const WireLevel = Type.Tuple([Type.String(), Type.String()]);
export type WireLevel = Static<typeof WireLevel>;

/** `<symbol>@depth[@100ms]` diff event. Quantities are absolute; "0" removes the level. */
export const DepthUpdate = Type.Object({
  e: Type.Literal('depthUpdate'),
  /** Event time (ms). */
  E: Type.Number(),
  /** Symbol, uppercase (`BNBBTC`). */
  s: Type.String(),
  /** First update id in event. */
  U: Type.Integer({ minimum: 0 }),
  /** Final update id in event. */
  u: Type.Integer({ minimum: 0 }),
  b: Type.Array(WireLevel),
  a: Type.Array(WireLevel),
});
export type DepthUpdate = Static<typeof DepthUpdate>;

/** `<symbol>@bookTicker`: best bid/ask in real time, with the order book update id. */
export const BookTicker = Type.Object({
  u: Type.Integer({ minimum: 0 }),
  s: Type.String(),
  b: Type.String(),
  B: Type.String(),
  a: Type.String(),
  A: Type.String(),
});
export type BookTicker = Static<typeof BookTicker>;

/** Combined stream envelope `/stream?streams=a/b`. */
export const CombinedFrame = Type.Object({
  stream: Type.String(),
  data: Type.Unknown(),
});
export type CombinedFrame = Static<typeof CombinedFrame>;

/** Reply to a live `SUBSCRIBE`/`UNSUBSCRIBE`/`LIST_SUBSCRIPTIONS` request. */
export const WsResponse = Type.Object({
  result: Type.Unknown(),
  id: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
});
export type WsResponse = Static<typeof WsResponse>;

/** Error reply on the stream socket, e.g. `{"code":2,"msg":"Invalid request"}`, and REST error bodies. */
export const WsError = Type.Object({
  code: Type.Integer(),
  msg: Type.String(),
  id: Type.Optional(Type.Union([Type.Integer(), Type.String(), Type.Null()])),
});
export type WsError = Static<typeof WsError>;

/** REST `GET /api/v3/depth` body. */
export const DepthSnapshot = Type.Object({
  lastUpdateId: Type.Integer({ minimum: 0 }),
  bids: Type.Array(WireLevel),
  asks: Type.Array(WireLevel),
});
export type DepthSnapshot = Static<typeof DepthSnapshot>;

/** One entry of `symbols[].filters` (only the fields we use are typed; others pass through). */
export const SymbolFilter = Type.Object({ filterType: Type.String() }, { additionalProperties: true });

/** REST `GET /api/v3/exchangeInfo` body (the parts we read). */
export const ExchangeInfo = Type.Object({
  serverTime: Type.Optional(Type.Number()),
  symbols: Type.Array(
    Type.Object({
      symbol: Type.String(),
      status: Type.String(),
      baseAsset: Type.String(),
      quoteAsset: Type.String(),
      filters: Type.Array(SymbolFilter),
    }),
  ),
});
export type ExchangeInfo = Static<typeof ExchangeInfo>;
