import { Type, type Static } from '@sinclair/typebox';

/**
 * Coinbase Advanced Trade trading bodies (REST: create / get / list / batch-cancel orders, list fills, accounts;
 * WebSocket `user` channel). Decimals stay strings; extra fields are allowed.
 */

const Opt = Type.Optional;
const OptStr = Opt(Type.String());

/** `POST /api/v3/brokerage/orders` body for a limit IOC order (smart order routing). */
export interface CreateSorLimitIocRequest {
  client_order_id: string;
  product_id: string;
  side: 'BUY' | 'SELL';
  order_configuration: { sor_limit_ioc: { base_size: string; limit_price: string } };
}

export const CreateOrderResponse = Type.Object({
  success: Type.Boolean(),
  success_response: Opt(Type.Object({ order_id: Type.String(), product_id: OptStr, side: OptStr, client_order_id: OptStr })),
  failure_reason: OptStr,
  order_id: OptStr,
  error_response: Opt(
    Type.Object({
      error: OptStr,
      message: OptStr,
      error_details: OptStr,
      preview_failure_reason: OptStr,
      new_order_failure_reason: OptStr,
    }),
  ),
});
export type CreateOrderResponse = Static<typeof CreateOrderResponse>;

const LimitConfig = Type.Object({ base_size: OptStr, quote_size: OptStr, limit_price: OptStr });

export const HistoricalOrder = Type.Object({
  order_id: Type.String(),
  product_id: Type.String(),
  client_order_id: Type.String(),
  side: Type.Union([Type.Literal('BUY'), Type.Literal('SELL')]),
  status: Type.String(),
  order_configuration: Opt(Type.Record(Type.String(), LimitConfig)),
  filled_size: OptStr,
  average_filled_price: OptStr,
  filled_value: OptStr,
  total_fees: OptStr,
  number_of_fills: OptStr,
  created_time: OptStr,
  last_fill_time: Opt(Type.Union([Type.String(), Type.Null()])),
  reject_reason: OptStr,
  reject_message: OptStr,
  cancel_message: OptStr,
});
export type HistoricalOrder = Static<typeof HistoricalOrder>;

/** `GET /api/v3/brokerage/orders/historical/{order_id}`. */
export const GetOrderResponse = Type.Object({ order: HistoricalOrder });

/** `GET /api/v3/brokerage/orders/historical/batch` (List Orders). */
export const ListOrdersResponse = Type.Object({
  orders: Type.Array(HistoricalOrder),
  has_next: Opt(Type.Boolean()),
  cursor: OptStr,
});
export type ListOrdersResponse = Static<typeof ListOrdersResponse>;

/** `POST /api/v3/brokerage/orders/batch_cancel`. */
export const BatchCancelResponse = Type.Object({
  results: Type.Array(Type.Object({ success: Type.Boolean(), failure_reason: OptStr, order_id: OptStr })),
});
export type BatchCancelResponse = Static<typeof BatchCancelResponse>;

/** `GET /api/v3/brokerage/orders/historical/fills` (List Fills). */
export const Fill = Type.Object({
  trade_id: OptStr,
  entry_id: OptStr,
  order_id: Type.String(),
  price: Type.String(),
  size: Type.String(),
  commission: Type.String(),
  size_in_quote: Opt(Type.Boolean()),
  trade_time: OptStr,
});
export const ListFillsResponse = Type.Object({ fills: Type.Array(Fill), cursor: OptStr });
export type Fill = Static<typeof Fill>;

const Money = Type.Object({ value: Type.String(), currency: OptStr });

/** `GET /api/v3/brokerage/accounts` (paginated with `cursor` / `has_next`). */
export const AccountsResponse = Type.Object({
  accounts: Type.Array(Type.Object({ currency: Type.String(), available_balance: Money, hold: Opt(Money), uuid: OptStr })),
  has_next: Opt(Type.Boolean()),
  cursor: OptStr,
});
export type AccountsResponse = Static<typeof AccountsResponse>;

/** Error body of a failed request, e.g. `{"error":"NOT_FOUND","error_details":"...","message":"..."}`. */
export const ErrorBody = Type.Object({
  error: OptStr,
  code: Opt(Type.Union([Type.Integer(), Type.String()])),
  message: OptStr,
  error_details: OptStr,
});
export type ErrorBody = Static<typeof ErrorBody>;

/** One order in a `user` channel event. */
export const UserOrder = Type.Object({
  order_id: Type.String(),
  client_order_id: Type.String(),
  product_id: Type.String(),
  order_side: Type.Union([Type.Literal('BUY'), Type.Literal('SELL')]),
  status: Type.String(),
  cumulative_quantity: Type.String(),
  leaves_quantity: Type.String(),
  avg_price: Type.String(),
  total_fees: Type.String(),
  filled_value: OptStr,
  number_of_fills: OptStr,
  creation_time: OptStr,
  order_type: OptStr,
});
export type UserOrder = Static<typeof UserOrder>;

export const UserEvent = Type.Object({
  type: Type.String(),
  orders: Opt(Type.Array(UserOrder)),
});

/** `user` channel frame; every frame of a connection (all channels) carries the next `sequence_num`. */
export const UserFrame = Type.Object({
  channel: Type.Literal('user'),
  timestamp: OptStr,
  sequence_num: Type.Integer({ minimum: 0 }),
  events: Type.Array(UserEvent),
});
export type UserFrame = Static<typeof UserFrame>;
