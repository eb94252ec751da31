import Big from 'big.js';
import { isoMicros } from '../model/format';
import type { Account } from '../trading/account';
import { stableUuid } from '../trading/account';
import type { SimFill, SimOrder } from '../trading/order';

/**
 * Coinbase order status of a sim order. sor_limit_ioc: fully filled → FILLED; remainder dropped
 * after some fills → CANCELLED; nothing filled → EXPIRED (UNCONFIRMED which of CANCELLED/EXPIRED the
 * real venue reports for each case: clients must decide by filled_size, both are final).
 */
export function coinbaseStatus(o: SimOrder): string {
  switch (o.status) {
    case 'pending':
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
    pct: o.filledQty.div(o.qty).times(100).round(2).toFixed(2),
    afterFees: (o.side === 'buy' ? value.plus(o.fee) : value.minus(o.fee)).toFixed(),
    hold: o.status === 'pending' ? o.lockAmount.toFixed() : '0',
  };
}

/** An order as GET /orders/historical/{order_id} and /orders/historical/batch return it. */
export function orderJson(o: SimOrder, account: Account): Record<string, unknown> {
  const a = amounts(o);
  const lastFill = o.fills[o.fills.length - 1];
  return {
    order_id: o.orderId,
    product_id: o.symbol,
    user_id: account.uuid,
    order_configuration: { sor_limit_ioc: { base_size: o.qty, limit_price: o.price } },
    side: o.side === 'buy' ? 'BUY' : 'SELL',
    client_order_id: o.clientOrderId,
    status: coinbaseStatus(o),
    time_in_force: 'IMMEDIATE_OR_CANCEL',
    created_time: iso(o.createdTs),
    completion_percentage: a.pct,
    filled_size: a.filled,
    average_filled_price: a.avg,
    fee: '',
    number_of_fills: String(o.fills.length),
    filled_value: a.value,
    pending_cancel: false,
    size_in_quote: false,
    total_fees: a.fees,
    size_inclusive_of_fees: false,
    total_value_after_fees: a.afterFees,
    trigger_status: 'INVALID_ORDER_TYPE',
    order_type: 'LIMIT',
    reject_reason: 'REJECT_REASON_UNSPECIFIED',
    settled: o.status !== 'pending',
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
  const leaves = o.status === 'pending' ? new Big(o.qty).minus(o.filledQty).toFixed() : '0';
  return {
    avg_price: a.avg,
    cancel_reason: o.status === 'canceled' ? 'User requested cancel' : '',
    client_order_id: o.clientOrderId,
    completion_percentage: a.pct,
    contract_expiry_type: 'UNKNOWN_CONTRACT_EXPIRY_TYPE',
    cumulative_quantity: a.filled,
    filled_value: a.value,
    leaves_quantity: leaves,
    limit_price: o.price,
    number_of_fills: String(o.fills.length),
    order_id: o.orderId,
    order_side: o.side === 'buy' ? 'BUY' : 'SELL',
    order_type: 'Limit',
    outstanding_hold_amount: a.hold,
    post_only: 'false',
    product_id: o.symbol,
    product_type: 'SPOT',
    reject_reason: '',
    retail_portfolio_id: account.uuid,
    risk_managed_by: 'UNKNOWN_RISK_MANAGEMENT_TYPE',
    status: coinbaseStatus(o),
    stop_price: '',
    time_in_force: 'IMMEDIATE_OR_CANCEL',
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
    liquidity_indicator: 'TAKER',
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
