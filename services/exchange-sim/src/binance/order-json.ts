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

function result(o: SimOrder): Record<string, unknown> {
  return {
    price: f8(o.price),
    origQty: f8(o.qty),
    executedQty: f8(o.filledQty),
    cummulativeQuoteQty: f8(o.filledQuote),
    status: binanceStatus(o),
    timeInForce: 'IOC',
    type: 'LIMIT',
    side: o.side === 'buy' ? 'BUY' : 'SELL',
  };
}

/** POST /api/v3/order answer for newOrderRespType ACK | RESULT | FULL. */
export function newOrderJson(o: SimOrder, respType: 'ACK' | 'RESULT' | 'FULL'): Record<string, unknown> {
  const ack = { ...common(o), transactTime: o.updatedTs };
  if (respType === 'ACK') return ack;
  const res = { ...ack, ...result(o), origQuoteOrderQty: '0.00000000', workingTime: o.createdTs, selfTradePreventionMode: 'EXPIRE_MAKER' };
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
    isWorking: o.status === 'pending',
    workingTime: o.createdTs,
    origQuoteOrderQty: '0.00000000',
    selfTradePreventionMode: 'EXPIRE_MAKER',
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
    origQuoteOrderQty: '0.00000000',
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/** GET /api/v3/account answer. */
export function accountJson(account: Account, takerFee: Big, omitZero: boolean): Record<string, unknown> {
  const bps = Number(takerFee.times(10000).toFixed(0));
  const rate = f8(takerFee);
  const balances = account
    .balances()
    .filter((b) => !omitZero || !new Big(b.free).eq(0) || !new Big(b.locked).eq(0))
    .map((b) => ({ asset: b.asset, free: f8(b.free), locked: f8(b.locked) }));
  return {
    makerCommission: bps,
    takerCommission: bps,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: rate, taker: rate, buyer: '0.00000000', seller: '0.00000000' },
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
