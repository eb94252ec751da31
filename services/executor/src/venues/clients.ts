import {
  BINANCE_TRADING_LIVE,
  BinanceTradingClient,
  binanceCredentials,
  binanceCredentialsFromEnv,
  COINBASE_TRADING_LIVE,
  CoinbaseTradingClient,
  coinbaseCredentials,
  coinbaseCredentialsFromEnv,
  type Env,
  type VenueTradingClient,
} from '@arb/venues';
import type { ExecutorConfig } from '../config';
import { PaperTradingClient } from '../paper/paper-client';
import type { BookSource } from '../paper/book-source';
import { paperInstrument } from '../paper/rules';
import { FeeTable } from './instruments';

/** A venue named in config that no trading client exists for. */
export class UnsupportedVenueError extends Error {
  override readonly name = 'UnsupportedVenueError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface ClientFactoryDeps {
  env: Env;
  /** Paper mode: the latest books (fed from md.book.<venue>.<symbol>). */
  books?: BookSource;
  now(): number;
  sleep(ms: number): Promise<void>;
  onError(venue: string, err: Error): void;
}

/**
 * One trading client per venue in `executor.venues` (default: every venue under `venues`). sim: the real venue
 * clients pointed at exchange-sim with the sim credentials from config (`credentials:`); live: the real venues with
 * credentials from the environment (`BINANCE_API_KEY[_FILE]`, `BINANCE_API_SECRET[_FILE]`,
 * `COINBASE_API_KEY_NAME[_FILE]`, `COINBASE_API_PRIVATE_KEY[_FILE]`); paper: PaperTradingClient on live books.
 */
export function createTradingClients(cfg: ExecutorConfig, d: ClientFactoryDeps): Map<string, VenueTradingClient> {
  const venues = cfg.executor.venues.length > 0 ? cfg.executor.venues : Object.keys(cfg.venues);
  const out = new Map<string, VenueTradingClient>();
  for (const venue of venues) out.set(venue, createClient(cfg, venue, d));
  return out;
}

function createClient(cfg: ExecutorConfig, venue: string, d: ClientFactoryDeps): VenueTradingClient {
  const x = cfg.executor;
  if (cfg.mode === 'paper') {
    if (d.books === undefined) throw new UnsupportedVenueError('paper mode needs a book source');
    const fees = new FeeTable(cfg.markets.venues);
    return new PaperTradingClient({
      venue,
      books: d.books,
      instruments: cfg.symbols.map((s) => paperInstrument(cfg.markets.venues[venue], s)),
      takerFee: (symbol) => fees.takerFee(venue, symbol),
      balances: x.paper.balances[venue] ?? {},
      latencyMs: x.paper.latencyMs,
      maxBookAgeMs: x.paper.maxBookAgeMs,
      now: d.now,
      sleep: d.sleep,
    });
  }
  const live = cfg.mode === 'live';
  const ep = cfg.venues[venue];
  const rateLimits = x.rateLimits[venue];
  const common = { requestTimeoutMs: x.requestTimeoutMs, priceRounding: 'conservative' as const, ...(rateLimits !== undefined ? { rateLimits } : {}) };
  const hooks = { onError: (e: Error) => d.onError(venue, e) };
  switch (venue) {
    case 'binance': {
      const c = cfg.credentials.binance;
      const credentials = live || c === undefined ? binanceCredentialsFromEnv(d.env) : binanceCredentials(c.apiKey, c.secretKey);
      const endpoints = live || ep === undefined ? BINANCE_TRADING_LIVE : { restBaseUrl: ep.restUrl, wsApiUrl: `${ep.wsUrl.replace(/\/+$/, '')}/ws-api/v3` };
      return new BinanceTradingClient({ ...endpoints, ...common, credentials }, hooks);
    }
    case 'coinbase': {
      const c = cfg.credentials.coinbase;
      const credentials = live || c === undefined ? coinbaseCredentialsFromEnv(d.env) : coinbaseCredentials(c.keyName, c.privateKey);
      const endpoints = live || ep === undefined ? COINBASE_TRADING_LIVE : { restBaseUrl: ep.restUrl, userWsUrl: `${ep.wsUrl.replace(/\/+$/, '')}/user` };
      return new CoinbaseTradingClient({ ...endpoints, ...common, credentials, settleTimeoutMs: Math.min(2_000, x.orderTimeoutMs) }, hooks);
    }
    default:
      throw new UnsupportedVenueError(`no trading client for venue ${venue}`);
  }
}
