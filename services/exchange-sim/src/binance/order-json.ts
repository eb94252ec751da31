import Big from 'big.js';
import { decimalsOf } from '../model/scaled';
import type { Account } from '../trading/account';
import type { SimOrder } from '../trading/order';
import { binanceSymbol } from './streams';

/** Binance prints amounts with (at least) 8 decimals. */
export function f8(v: Big | string): string {
  const b = typeof v === 'string' ? new Big(v) : v;
  return b.toFixed(Math.max(8, decimalsOf(b.toFixed())));
}

export function binanceStatus(o: SimOrder): string {
  switch (o.status) {
    case 'pending':
      return 'NEW';
    case 'open':
      return o.filledLots > 0 ? 'PARTIALLY_FILLED' : 'NEW';
    case 'filled':
      return 'FILLED';
    case 'expired':
      return 'EXPIRED';
    case 'canceled':
      return 'CANCELED';
    case 'rejected':
      return 'REJECTED';
  }
}

function common(o: SimOrder): Record<string, unknown> {
  return {
    symbol: binanceSymbol(o.symbol),
    orderId: Number(o.orderId),
    orderListId: -1,
    clientOrderId: o.clientOrderId,
  };
}

/** Binance's `type` of a sim order. */
export function binanceType(o: SimOrder): string {
  return o.type === 'market' ? 'MARKET' : o.type === 'limit_maker' ? 'LIMIT_MAKER' : 'LIMIT';
}

/** Binance's `timeInForce` of a sim order (MARKET and LIMIT_MAKER orders show GTC, as the venue does). */
export function binanceTif(o: SimOrder): string {
  return o.type === 'limit' ? o.timeInForce : 'GTC';
}

/** A market order shows price 0 (its protective worst price is the sim's own). */
export function binancePrice(o: SimOrder): string {
  return o.type === 'market' ? '0.00000000' : f8(o.price);
}

/** `origQuoteOrderQty`: a quote-sized market order's amount, else 0. */
export function origQuoteQty(o: SimOrder): string {
  return f8(o.quoteQty ?? '0');
}

/** Self-trade prevention: the sim has none (exchangeInfo advertises NONE only). */
export const STP_MODE = 'NONE';

function result(o: SimOrder): Record<string, unknown> {
  return {
    price: binancePrice(o),
    origQty: f8(o.qty),
    executedQty: f8(o.filledQty),
    cummulativeQuoteQty: f8(o.filledQuote),
    status: binanceStatus(o),
    timeInForce: binanceTif(o),
    type: binanceType(o),
    side: o.side === 'buy' ? 'BUY' : 'SELL',
  };
}

/** POST /api/v3/order answer for newOrderRespType ACK | RESULT | FULL. */
export function newOrderJson(o: SimOrder, respType: 'ACK' | 'RESULT' | 'FULL'): Record<string, unknown> {
  const ack = { ...common(o), transactTime: o.updatedTs };
  if (respType === 'ACK') return ack;
  const res = { ...ack, ...result(o), origQuoteOrderQty: origQuoteQty(o), workingTime: o.createdTs, selfTradePreventionMode: STP_MODE };
  if (respType === 'RESULT') return res;
  return {
    ...res,
    fills: o.fills.map((f) => ({ price: f8(f.price), qty: f8(f.qty), commission: f8(f.fee), commissionAsset: f.feeAsset, tradeId: f.tradeId })),
  };
}

/** GET /api/v3/order answer. */
export function queryOrderJson(o: SimOrder): Record<string, unknown> {
  return {
    ...common(o),
    ...result(o),
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: o.createdTs,
    updateTime: o.updatedTs,
    isWorking: o.status === 'pending' || o.status === 'open',
    workingTime: o.createdTs,
    origQuoteOrderQty: origQuoteQty(o),
    selfTradePreventionMode: STP_MODE,
  };
}

/** DELETE /api/v3/order answer. */
export function cancelOrderJson(o: SimOrder, cancelClientOrderId: string): Record<string, unknown> {
  return {
    symbol: binanceSymbol(o.symbol),
    origClientOrderId: o.clientOrderId,
    orderId: Number(o.orderId),
    orderListId: -1,
    clientOrderId: cancelClientOrderId,
    transactTime: o.updatedTs,
    ...result(o),
    origQuoteOrderQty: origQuoteQty(o),
    selfTradePreventionMode: STP_MODE,
  };
}

/** GET /api/v3/account answer. */
export function accountJson(account: Account, takerFee: Big, makerFee: Big, omitZero: boolean): Record<string, unknown> {
  const bps = (r: Big): number => Number(r.times(10000).toFixed(0));
  const balances = account
    .balances()
    .filter((b) => !omitZero || !new Big(b.free).eq(0) || !new Big(b.locked).eq(0))
    .map((b) => ({ asset: b.asset, free: f8(b.free), locked: f8(b.locked) }));
  return {
    makerCommission: bps(makerFee),
    takerCommission: bps(takerFee),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: f8(makerFee), taker: f8(takerFee), buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: account.updatedTs,
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: Number.parseInt(account.uuid.replace(/-/g, '').slice(0, 8), 16),
  };
}
