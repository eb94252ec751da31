import type { MarketBook } from '../model/market';
import { decimalsOf } from '../model/scaled';
import { checkOrder, type RuleFailure } from '../trading/rules';
import type { Side } from '../trading/order';
import type Big from 'big.js';
import { illegal, mandatory, type BinanceError } from './auth';

export interface ParsedBinanceOrder {
  mb: MarketBook;
  side: Side;
  qty: string;
  price: string;
  lots: number;
  limitTick: number;
  notional: Big;
  clientOrderId: string | null;
  respType: 'ACK' | 'RESULT' | 'FULL';
}

export const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';

const bad = (code: number, msg: string): BinanceError => ({ status: 400, code, msg });
export const BAD_SYMBOL = bad(-1121, 'Invalid symbol.');

const FILTER: Record<Exclude<RuleFailure, 'bad_decimal'>, string> = {
  price_precision: 'PRICE_FILTER',
  price_range: 'PRICE_FILTER',
  qty_precision: 'LOT_SIZE',
  qty_min: 'LOT_SIZE',
  qty_max: 'LOT_SIZE',
  notional_min: 'NOTIONAL',
  notional_max: 'NOTIONAL',
};

/**
 * Validates POST /api/v3/order parameters as Binance does (the sim supports LIMIT + IOC only):
 * mandatory parameters, enums, client order id, decimals (at most 8 decimals), then the symbol's
 * filters (PRICE_FILTER, LOT_SIZE, NOTIONAL) → -1013 "Filter failure: …".
 */
export function parseNewOrder(p: Map<string, string>, books: ReadonlyMap<string, MarketBook>): ParsedBinanceOrder | BinanceError {
  for (const name of ['symbol', 'side', 'type']) if (!p.get(name)) return mandatory(name);
  const mb = books.get(p.get('symbol') as string);
  if (!mb) return BAD_SYMBOL;
  const side = p.get('side');
  if (side !== 'BUY' && side !== 'SELL') return bad(-1117, 'Invalid side.');
  const type = p.get('type') as string;
  if (!['LIMIT', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER'].includes(type)) return bad(-1116, 'Invalid orderType.');
  const tif = p.get('timeInForce');
  if (type === 'LIMIT' && !tif) return mandatory('timeInForce');
  if (tif !== undefined && !['GTC', 'IOC', 'FOK'].includes(tif)) return bad(-1115, 'Invalid timeInForce.');
  if (type !== 'LIMIT' || tif !== 'IOC') return bad(-1014, 'Unsupported order combination.');
  const qty = p.get('quantity');
  if (!qty) return mandatory('quantity');
  const price = p.get('price');
  if (!price) return mandatory('price');
  for (const [name, v] of [['quantity', qty], ['price', price]] as const) {
    if (!/^[0-9]{1,20}(\.[0-9]{1,20})?$/.test(v)) return illegal(name, DECIMAL_RANGE);
    if (decimalsOf(v) > 8) return bad(-1111, `Parameter '${name}' has too much precision.`);
  }
  const cid = p.get('newClientOrderId');
  if (cid !== undefined && !CLIENT_ORDER_ID.test(cid)) return illegal('newClientOrderId', '^[\\.A-Z\\:/a-z0-9_-]{1,36}$');
  const rt = p.get('newOrderRespType') ?? 'FULL';
  if (rt !== 'ACK' && rt !== 'RESULT' && rt !== 'FULL') return bad(-1100, "Illegal characters found in parameter 'newOrderRespType'; legal range is 'ACK, RESULT, FULL'.");
  const c = checkOrder(mb.inst, qty, price);
  if (!c.ok) return c.failure === 'bad_decimal' ? illegal('quantity', DECIMAL_RANGE) : bad(-1013, `Filter failure: ${FILTER[c.failure]}`);
  return {
    mb,
    side: side === 'BUY' ? 'buy' : 'sell',
    qty: c.qty,
    price: c.price,
    lots: c.lots,
    limitTick: c.limitTick,
    notional: c.notional,
    clientOrderId: cid ?? null,
    respType: rt,
  };
}

export function isBinanceError(v: unknown): v is BinanceError {
  return typeof v === 'object' && v !== null && 'code' in v && 'msg' in v && 'status' in v;
}
