import { Type, type Static } from '@sinclair/typebox';

/**
 * Raw Coinbase Advanced Trade market-data frames (WebSocket channels docs) and the public products REST body.
 * Every frame carries `sequence_num`, counted per connection across ALL channels (heartbeats included).
 */

/** One level change: `new_quantity` is absolute; "0" removes the level. */
export const L2Update = Type.Object({
  side: Type.Union([Type.Literal('bid'), Type.Literal('offer'), Type.Literal('ask')]),
  event_time: Type.Optional(Type.String()),
  price_level: Type.String(),
  new_quantity: Type.String(),
});
export type L2Update = Static<typeof L2Update>;

export const L2Event = Type.Object({
  type: Type.Union([Type.Literal('snapshot'), Type.Literal('update')]),
  product_id: Type.String(),
  updates: Type.Array(L2Update),
});
export type L2Event = Static<typeof L2Event>;

/** Common envelope of every data frame. */
export const Envelope = Type.Object({
  channel: Type.String(),
  client_id: Type.Optional(Type.String()),
  timestamp: Type.Optional(Type.String()),
  sequence_num: Type.Integer({ minimum: 0 }),
  events: Type.Array(Type.Unknown()),
});
export type Envelope = Static<typeof Envelope>;

/** `l2_data` frame of the `level2` channel. */
export const L2Data = Type.Object({
  channel: Type.Literal('l2_data'),
  client_id: Type.Optional(Type.String()),
  timestamp: Type.Optional(Type.String()),
  sequence_num: Type.Integer({ minimum: 0 }),
  events: Type.Array(L2Event),
});
export type L2Data = Static<typeof L2Data>;

/** `heartbeats` frame: `heartbeat_counter` is a string in the docs' example; numbers are accepted too. */
export const HeartbeatEvent = Type.Object({
  current_time: Type.Optional(Type.String()),
  heartbeat_counter: Type.Union([Type.String(), Type.Integer()]),
});
export type HeartbeatEvent = Static<typeof HeartbeatEvent>;

/** `{"type":"error","message":"..."}` sent for a bad request. */
export const WsErrorMessage = Type.Object({
  type: Type.Literal('error'),
  message: Type.String(),
});
export type WsErrorMessage = Static<typeof WsErrorMessage>;

/** Client → server subscribe / unsubscribe. */
export interface SubscribeRequest {
  type: 'subscribe' | 'unsubscribe';
  channel: string;
  product_ids?: string[];
  jwt?: string;
}

/** `GET /api/v3/brokerage/market/products` (the fields we read). */
export const Product = Type.Object({
  product_id: Type.String(),
  base_increment: Type.String(),
  quote_increment: Type.String(),
  price_increment: Type.Optional(Type.String()),
  base_min_size: Type.String(),
  base_max_size: Type.String(),
  quote_min_size: Type.String(),
  quote_max_size: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  trading_disabled: Type.Optional(Type.Boolean()),
  is_disabled: Type.Optional(Type.Boolean()),
  base_currency_id: Type.Optional(Type.String()),
  quote_currency_id: Type.Optional(Type.String()),
});
export type Product = Static<typeof Product>;

export const ProductsResponse = Type.Object({
  products: Type.Array(Product),
  /** The venue sends it as a string ("646"); an integer is accepted too. Not read. */
  num_products: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
});
export type ProductsResponse = Static<typeof ProductsResponse>;
