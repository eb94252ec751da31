import Big from 'big.js';
import type { Instrument } from '../model/instrument';
import { STP_MODE } from './order-json';
import { BINANCE_ORDER_TYPES } from './order-params';
import { binanceSymbol } from './streams';

const f8 = (v: string): string => new Big(v).toFixed(8);

/** One `symbols[]` entry of GET /api/v3/exchangeInfo. */
export function symbolInfo(inst: Instrument): Record<string, unknown> {
  return {
    symbol: binanceSymbol(inst.symbol),
    status: 'TRADING',
    baseAsset: inst.base,
    baseAssetPrecision: 8,
    quoteAsset: inst.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    // Exactly what the sim executes: anything else is refused with the venue's errors (order-params.ts).
    orderTypes: [...BINANCE_ORDER_TYPES],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    amendAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: f8(inst.tickSize), maxPrice: '1000000.00000000', tickSize: f8(inst.tickSize) },
      { filterType: 'LOT_SIZE', minQty: f8(inst.minQty), maxQty: f8(inst.maxQty), stepSize: f8(inst.stepSize) },
      {
        filterType: 'NOTIONAL',
        minNotional: f8(inst.minNotional),
        applyMinToMarket: true,
        maxNotional: f8(inst.maxNotional),
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    // The sim lets an account's orders trade with each other (no self-trade prevention).
    defaultSelfTradePreventionMode: STP_MODE,
    allowedSelfTradePreventionModes: [STP_MODE],
  };
}

/**
 * GET /api/v3/exchangeInfo: `orderLimits` are the configured `ORDERS` rate limits (sim.trading.binance);
 * `serverTimeMs` is the venue's clock.
 */
export function exchangeInfo(insts: Instrument[], weightLimit: number, orderLimits: Array<Record<string, unknown>>, serverTimeMs: number): Record<string, unknown> {
  return {
    timezone: 'UTC',
    serverTime: serverTimeMs,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: weightLimit },
      ...orderLimits,
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: insts.map(symbolInfo),
  };
}
