/**
 * The slice of ccxt's API the suite calls, typed here (ccxt's own declarations are very large; the suite loads the
 * library at run time, as a user's bot would, and never changes its behaviour).
 */

export interface CcxtFee {
  cost?: number;
  currency?: string;
}

export interface CcxtOrder {
  id: string;
  clientOrderId?: string;
  symbol?: string;
  status?: string;
  type?: string;
  side?: string;
  price?: number;
  average?: number;
  amount?: number;
  filled?: number;
  remaining?: number;
  cost?: number;
  fee?: CcxtFee;
  postOnly?: boolean;
  timeInForce?: string;
  info: unknown;
}

export interface CcxtTrade {
  id: string;
  order?: string;
  symbol?: string;
  side?: string;
  price: number;
  amount: number;
  cost?: number;
  fee?: CcxtFee;
  takerOrMaker?: string;
}

export interface CcxtBalanceEntry {
  free?: number;
  used?: number;
  total?: number;
}

export type CcxtBalance = Record<string, CcxtBalanceEntry | unknown>;

export interface CcxtBook {
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
  nonce?: number;
}

export type Params = Record<string, unknown>;

export interface CcxtExchange {
  urls: { api: unknown };
  options: Record<string, unknown>;
  loadMarkets(reload?: boolean): Promise<Record<string, unknown>>;
  fetchBalance(params?: Params): Promise<CcxtBalance>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Params): Promise<CcxtOrder>;
  fetchOrder(id: string, symbol?: string, params?: Params): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtOrder[]>;
  cancelOrder(id: string, symbol?: string, params?: Params): Promise<CcxtOrder>;
  fetchMyTrades(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtTrade[]>;
  fetchOrderBook(symbol: string, limit?: number): Promise<CcxtBook>;
  watchOrderBook(symbol: string, limit?: number, params?: Params): Promise<CcxtBook>;
  watchOrders(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtOrder[]>;
  close(): Promise<void>;
}

export type CcxtVenue = 'binance' | 'coinbase';
type ExchangeClass = new (config: Record<string, unknown>) => CcxtExchange;

export interface CcxtModule {
  version: string;
  pro: Record<CcxtVenue, ExchangeClass>;
  /** ccxt's error classes by name (AuthenticationError, InvalidNonce, OrderNotFound, ...). */
  errors: Record<string, new (...args: never[]) => Error>;
}

/** Loads ccxt (ESM or CommonJS build, whichever the runtime resolves). */
export async function loadCcxt(): Promise<CcxtModule> {
  const mod = (await import('ccxt')) as unknown as CcxtModule & { default?: CcxtModule };
  return mod.pro !== undefined ? mod : (mod.default as CcxtModule);
}

/** ccxt's most specific error class name of `e` (its `name`, e.g. `InsufficientFunds`), or the JS error's name. */
export function errorClass(e: unknown): string {
  return e instanceof Error ? e.name || e.constructor.name : typeof e;
}
