import { Type, type Static } from '@sinclair/typebox';

/**
 * Binance Spot trading bodies (rest-api.md: new order FULL, query order, cancel order, account, myTrades, time;
 * web-socket-api.md: responses and user data stream events). Decimals stay strings; extra fields are allowed.
 */

/** Error body of any failed request: `{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}`. */
export const ApiError = Type.Object({ code: Type.Integer(), msg: Type.String() });
export type ApiError = Static<typeof ApiError>;

export const ServerTime = Type.Object({ serverTime: Type.Number() });
export type ServerTime = Static<typeof ServerTime>;

/** One fill of a FULL new-order response. */
export const OrderFillWire = Type.Object({
  price: Type.String(),
  qty: Type.String(),
  commission: Type.String(),
  commissionAsset: Type.String(),
  tradeId: Type.Optional(Type.Integer()),
});
export type OrderFillWire = Static<typeof OrderFillWire>;

/**
 * New order (RESULT/FULL), query order and cancel order bodies share these fields. In a cancel answer `clientOrderId`
 * is the cancel request's own id and `origClientOrderId` the order's.
 */
export const OrderWire = Type.Object({
  symbol: Type.String(),
  orderId: Type.Integer(),
  clientOrderId: Type.String(),
  origClientOrderId: Type.Optional(Type.String()),
  price: Type.String(),
  origQty: Type.String(),
  executedQty: Type.String(),
  cummulativeQuoteQty: Type.String(),
  status: Type.String(),
  side: Type.Union([Type.Literal('BUY'), Type.Literal('SELL')]),
  type: Type.Optional(Type.String()),
  timeInForce: Type.Optional(Type.String()),
  transactTime: Type.Optional(Type.Number()),
  time: Type.Optional(Type.Number()),
  updateTime: Type.Optional(Type.Number()),
  fills: Type.Optional(Type.Array(OrderFillWire)),
});
export type OrderWire = Static<typeof OrderWire>;

export const AccountBalance = Type.Object({ asset: Type.String(), free: Type.String(), locked: Type.String() });
export const Account = Type.Object({ balances: Type.Array(AccountBalance) });
export type Account = Static<typeof Account>;

/** `GET /api/v3/myTrades` entry. */
export const MyTrade = Type.Object({
  symbol: Type.String(),
  id: Type.Integer(),
  orderId: Type.Integer(),
  price: Type.String(),
  qty: Type.String(),
  quoteQty: Type.Optional(Type.String()),
  commission: Type.String(),
  commissionAsset: Type.String(),
  time: Type.Number(),
});
export const MyTrades = Type.Array(MyTrade);
export type MyTrade = Static<typeof MyTrade>;

/** WebSocket API response: `{"id":..,"status":200,"result":{..}}` or `{"id":..,"status":400,"error":{"code":..,"msg":..}}`. */
export const WsApiResponse = Type.Object({
  id: Type.Union([Type.String(), Type.Integer(), Type.Null()]),
  status: Type.Integer(),
  result: Type.Optional(Type.Unknown()),
  error: Type.Optional(ApiError),
  rateLimits: Type.Optional(Type.Array(Type.Unknown())),
});
export type WsApiResponse = Static<typeof WsApiResponse>;

/** User data stream event on the WebSocket API: `{"subscriptionId":0,"event":{"e":"executionReport",...}}`. */
export const WsApiEvent = Type.Object({
  subscriptionId: Type.Optional(Type.Integer()),
  event: Type.Object({ e: Type.String() }, { additionalProperties: true }),
});
export type WsApiEvent = Static<typeof WsApiEvent>;

/** `executionReport` (user-data-stream.md). For a cancel, `c` is the cancel's id and `C` the order's original id. */
export const ExecutionReport = Type.Object({
  e: Type.Literal('executionReport'),
  E: Type.Number(),
  s: Type.String(),
  c: Type.String(),
  S: Type.Union([Type.Literal('BUY'), Type.Literal('SELL')]),
  o: Type.Optional(Type.String()),
  f: Type.Optional(Type.String()),
  q: Type.String(),
  p: Type.Optional(Type.String()),
  C: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  x: Type.String(),
  X: Type.String(),
  r: Type.Optional(Type.String()),
  i: Type.Integer(),
  l: Type.String(),
  z: Type.String(),
  L: Type.String(),
  n: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  N: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  T: Type.Number(),
  t: Type.Optional(Type.Integer()),
  Z: Type.String(),
});
export type ExecutionReport = Static<typeof ExecutionReport>;

/** Rate-limit usage headers of REST answers. */
export const USED_WEIGHT_HEADER = 'x-mbx-used-weight-1m';
export const ORDER_COUNT_10S_HEADER = 'x-mbx-order-count-10s';
export const ORDER_COUNT_1D_HEADER = 'x-mbx-order-count-1d';
