/**
 * The venue trading interface shared by the real venue clients (Binance, Coinbase), the exchange-sim tests, the
 * executor and paper mode. Fixed by /work/notes/TRADING-CONTRACT.md: change only together with every implementer.
 * All sizes, prices and fees are exact decimal strings.
 */
import type { InstrumentInfo } from './instrument';

export type { InstrumentInfo };

export type OrderSide = 'buy' | 'sell';
export type OrderStatus = 'new' | 'partially_filled' | 'filled' | 'canceled' | 'expired' | 'rejected';

export interface PlaceIocRequest {
  /** Normalized symbol `BTC-USDT`. */
  symbol: string;
  side: OrderSide;
  /** Base quantity (decimal string). */
  qty: string;
  /** Limit price in quote per base (decimal string). */
  limitPrice: string;
  /** `<tradeKey>-<leg>`, venue-safe (`^[.A-Z:/a-z0-9_-]{1,36}$`). */
  clientOrderId: string;
}

export interface OrderFill {
  price: string;
  qty: string;
  fee: string;
  feeAsset: string;
  tradeId?: string;
}

export interface OrderState {
  venue: string;
  symbol: string;
  clientOrderId: string;
  venueOrderId: string | null;
  side: OrderSide;
  status: OrderStatus;
  /** true when nothing more can fill (filled/canceled/expired/rejected) */
  final: boolean;
  requestedQty: string;
  filledQty: string;
  avgPrice: string | null;
  /** cumulative quote spent/received */
  filledQuote: string;
  fee: string;
  feeAsset: string;
  fills: OrderFill[];
  updatedTs: number;
  rejectReason?: string;
}

export interface Balance {
  asset: string;
  free: string;
  locked: string;
}

export interface VenueTradingClient {
  readonly venue: string;
  /** IOC limit order. Resolves with the venue's ack (Binance FULL response is usually final). Throws VenueError subclasses;
   *  VenueTimeoutError / network failure = OUTCOME UNKNOWN: the caller must query by clientOrderId. */
  placeIocLimit(req: PlaceIocRequest): Promise<OrderState>;
  /** null when the venue does not know the order (never arrived). */
  getOrder(symbol: string, clientOrderId: string): Promise<OrderState | null>;
  /** Cancel what is still open; resolves with the final state (an already-final order is returned as is). */
  cancelOrder(symbol: string, clientOrderId: string): Promise<OrderState>;
  balances(): Promise<Balance[]>;
  /** Trading rules (tick, step, min/max qty, min notional) from exchangeInfo / products. */
  instruments(symbols: readonly string[]): Promise<InstrumentInfo[]>;
  /** Private order updates (Binance WS API user data stream / Coinbase `user` channel). Returns unsubscribe. */
  onOrderUpdate(listener: (o: OrderState) => void): () => void;
  /** Opens the private stream. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['filled', 'canceled', 'expired', 'rejected']);

/** True when an order in this status can fill no more. */
export function isFinalStatus(status: OrderStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/** Client order ids every venue accepts (Binance's rule is the strictest). */
export const CLIENT_ORDER_ID_PATTERN = /^[.A-Z:/a-z0-9_-]{1,36}$/;
