import Big from 'big.js';
import { isoMicros } from '../model/format';
import type { Account } from '../trading/account';
import { stableUuid } from '../trading/account';
import type { SimFill, SimOrder } from '../trading/order';

/**
 * Coinbase order status of a sim order. Working (pending or resting) → OPEN; fully filled → FILLED; an IOC/FOK/market
 * remainder dropped after some fills → CANCELLED; nothing filled → EXPIRED (UNCONFIRMED which of CANCELLED/EXPIRED
 * the real venue reports for each case: clients must decide by filled_size, both are final).
 */
export function coinbaseStatus(o: SimOrder): string {
  switch (o.status) {
    case 'pending':
    case 'open':
      return 'OPEN';
    case 'filled':
      return 'FILLED';
    case 'expired':
      return o.filledQty.gt(0) ? 'CANCELLED' : 'EXPIRED';
    case 'canceled':
      return 'CANCELLED';
    case 'rejected':
      return 'FAILED';
  }
}

const iso = (ms: number): string => isoMicros(ms);

function amounts(o: SimOrder): { filled: string; value: string; fees: string; avg: string; pct: string; afterFees: string; hold: string } {
  const value = o.filledQuote;
  return {
    filled: o.filledQty.toFixed(),
    value: value.toFixed(),
    fees: o.fee.toFixed(),
    avg: o.filledQty.gt(0) ? value.div(o.filledQty).toFixed() : '0',
    pct: new Big(o.qty).gt(0) ? o.filledQty.div(o.qty).times(100).round(2).toFixed(2) : '0.00',
    afterFees: (o.side === 'buy' ? value.plus(o.fee) : value.minus(o.fee)).toFixed(),
    hold: o.lockLeft.toFixed(),
  };
}

const working = (o: SimOrder): boolean => o.status === 'pending' || o.status === 'open';

/** The order_configuration the order was placed with (rebuilt from its type and time in force). */
export function orderConfiguration(o: SimOrder): Record<string, unknown> {
  if (o.type === 'market') return { market_market_ioc: o.quoteQty !== null ? { quote_size: o.quoteQty } : { base_size: o.qty } };
  if (o.timeInForce === 'IOC') return { sor_limit_ioc: { base_size: o.qty, limit_price: o.price } };
  if (o.timeInForce === 'FOK') return { limit_limit_fok: { base_size: o.qty, limit_price: o.price } };
  return { limit_limit_gtc: { base_size: o.qty, limit_price: o.price, post_only: o.type === 'limit_maker' } };
}

const TIF: Record<string, string> = { IOC: 'IMMEDIATE_OR_CANCEL', FOK: 'FILL_OR_KILL', GTC: 'GOOD_UNTIL_CANCELLED' };

/** `time_in_force` of an order (market orders are IMMEDIATE_OR_CANCEL). */
export function timeInForce(o: SimOrder): string {
  return TIF[o.timeInForce] as string;
}

/** An order as GET /orders/historical/{order_id} and /orders/historical/batch return it. */
export function orderJson(o: SimOrder, account: Account): Record<string, unknown> {
  const a = amounts(o);
  const lastFill = o.fills[o.fills.length - 1];
  return {
    order_id: o.orderId,
    product_id: o.symbol,
    user_id: account.uuid,
    order_configuration: orderConfiguration(o),
    side: o.side === 'buy' ? 'BUY' : 'SELL',
    client_order_id: o.clientOrderId,
    status: coinbaseStatus(o),
    time_in_force: timeInForce(o),
    created_time: iso(o.createdTs),
    completion_percentage: a.pct,
    filled_size: a.filled,
    average_filled_price: a.avg,
    fee: '',
    number_of_fills: String(o.fills.length),
    filled_value: a.value,
    pending_cancel: false,
    size_in_quote: o.quoteQty !== null,
    total_fees: a.fees,
    size_inclusive_of_fees: false,
    total_value_after_fees: a.afterFees,
    trigger_status: 'INVALID_ORDER_TYPE',
    order_type: o.type === 'market' ? 'MARKET' : 'LIMIT',
    reject_reason: 'REJECT_REASON_UNSPECIFIED',
    settled: !working(o),
    product_type: 'SPOT',
    reject_message: '',
    cancel_message: o.status === 'canceled' ? 'User requested cancel' : '',
    order_placement_source: 'RETAIL_ADVANCED',
    outstanding_hold_amount: a.hold,
    is_liquidation: false,
    last_fill_time: lastFill ? iso(lastFill.ts) : null,
    edit_history: [],
    leverage: '',
    margin_type: 'UNKNOWN_MARGIN_TYPE',
    retail_portfolio_id: account.uuid,
  };
}

/** An entry of `orders[]` in the `user` WebSocket channel. */
export function userOrderJson(o: SimOrder, account: Account): Record<string, unknown> {
  const a = amounts(o);
  const leaves = working(o) ? new Big(o.qty).minus(o.filledQty).toFixed() : '0';
  return {
    avg_price: a.avg,
    cancel_reason: o.status === 'canceled' ? 'User requested cancel' : '',
    client_order_id: o.clientOrderId,
    completion_percentage: a.pct,
    contract_expiry_type: 'UNKNOWN_CONTRACT_EXPIRY_TYPE',
    cumulative_quantity: a.filled,
    filled_value: a.value,
    leaves_quantity: leaves,
    limit_price: o.type === 'market' ? '' : o.price,
    number_of_fills: String(o.fills.length),
    order_id: o.orderId,
    order_side: o.side === 'buy' ? 'BUY' : 'SELL',
    order_type: o.type === 'market' ? 'Market' : 'Limit',
    outstanding_hold_amount: a.hold,
    post_only: String(o.type === 'limit_maker'),
    product_id: o.symbol,
    product_type: 'SPOT',
    reject_reason: '',
    retail_portfolio_id: account.uuid,
    risk_managed_by: 'UNKNOWN_RISK_MANAGEMENT_TYPE',
    status: coinbaseStatus(o),
    stop_price: '',
    time_in_force: timeInForce(o),
    total_fees: a.fees,
    total_value_after_fees: a.afterFees,
    trigger_status: 'INVALID_ORDER_TYPE',
    creation_time: iso(o.createdTs),
    end_time: '0001-01-01T00:00:00Z',
    start_time: '0001-01-01T00:00:00Z',
  };
}

/** One entry of GET /orders/historical/fills. */
export function fillJson(o: SimOrder, f: SimFill, account: Account): Record<string, unknown> {
  return {
    entry_id: stableUuid(`${o.orderId}/${f.tradeId}`),
    trade_id: String(f.tradeId),
    order_id: o.orderId,
    trade_time: iso(f.ts),
    trade_type: 'FILL',
    price: f.price,
    size: f.qty,
    commission: f.fee,
    product_id: o.symbol,
    sequence_timestamp: iso(f.ts),
    liquidity_indicator: f.maker ? 'MAKER' : 'TAKER',
    size_in_quote: false,
    user_id: account.uuid,
    side: o.side === 'buy' ? 'BUY' : 'SELL',
    retail_portfolio_id: account.uuid,
  };
}

const FIAT = new Set(['USD', 'EUR', 'GBP']);

/** One entry of GET /accounts (one "account" per currency of the key's portfolio). */
export function accountJson(account: Account, asset: string): Record<string, unknown> {
  const b = account.balance(asset);
  const ts = iso(account.updatedTs);
  return {
    uuid: stableUuid(`${account.key}/${asset}`),
    name: `${asset} Wallet`,
    currency: asset,
    available_balance: { value: b.free, currency: asset },
    default: true,
    active: true,
    created_at: ts,
    updated_at: ts,
    deleted_at: null,
    type: FIAT.has(asset) ? 'ACCOUNT_TYPE_FIAT' : 'ACCOUNT_TYPE_CRYPTO',
    ready: true,
    hold: { value: b.locked, currency: asset },
    retail_portfolio_id: account.uuid,
    platform: 'ACCOUNT_PLATFORM_CONSUMER',
  };
}
