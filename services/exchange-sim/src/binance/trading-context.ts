import type { MarketBook } from '../model/market';
import type { VenueStats } from '../net/stats';
import type { VenueTrading } from '../trading/venue-trading';
import type { BinanceKey } from './auth';
import type { OrderCountLimiter } from './order-count';
import type { WeightLimiter } from './weight-limiter';

/** What the Binance trading routes work on (built by the venue; read by trading-rest.ts and order-routes.ts). */
export interface BinanceTradingContext {
  readonly trading: VenueTrading;
  /** How each API key signs (HMAC secret, Ed25519 or RSA public key). */
  readonly keys: ReadonlyMap<string, BinanceKey>;
  /** Books by Binance symbol (BTCUSDT). */
  readonly books: ReadonlyMap<string, MarketBook>;
  readonly limiter: WeightLimiter;
  /** Unfilled order count per account (429 -1015, `x-mbx-order-count-*` headers). */
  readonly orderCounts: OrderCountLimiter;
  readonly stats: VenueStats;
  readonly badInput: (kind: string) => void;
  nextOrderId(): number;
  /** The venue's clock (epoch ms; host time + the clock-skew fault). */
  now(): number;
}
