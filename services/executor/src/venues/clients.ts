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

/** Trading endpoints that contradict each other (live mode pointed elsewhere with one URL left on production). */
export class EndpointConfigError extends Error {
  override readonly name = 'EndpointConfigError';
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
  /** The private order stream's state changed (`live` when subscribed). */
  onStreamState?(venue: string, state: string): void;
}

/**
 * One trading client per venue in `executor.venues` (default: every venue under `venues`), on the configured
 * endpoints in every mode: REST `venues.<v>.restUrl`, private WebSocket `venues.<v>.tradingWsUrl` ('' = derived from
 * `wsUrl` as exchange-sim serves it). sim: credentials from config (`credentials:`); live: from the environment
 * (`BINANCE_API_KEY[_FILE]`, `BINANCE_API_SECRET[_FILE]`, `COINBASE_API_KEY_NAME[_FILE]`,
 * `COINBASE_API_PRIVATE_KEY[_FILE]`); paper: PaperTradingClient on live books.
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
  const rateLimits = x.rateLimits[venue];
  const common = { requestTimeoutMs: x.requestTimeoutMs, priceRounding: 'conservative' as const, ...(rateLimits !== undefined ? { rateLimits } : {}) };
  const hooks = { onError: (e: Error) => d.onError(venue, e), onStreamState: (s: string) => d.onStreamState?.(venue, s) };
  switch (venue) {
    case 'binance': {
      const c = cfg.credentials.binance;
      const credentials = live || c === undefined ? binanceCredentialsFromEnv(d.env) : binanceCredentials(c.apiKey, c.secretKey);
      const ep = tradingEndpoints(cfg, venue, '/ws-api/v3', BINANCE_TRADING_LIVE.restBaseUrl, BINANCE_TRADING_LIVE.wsApiUrl);
      return new BinanceTradingClient({ restBaseUrl: ep.rest, wsApiUrl: ep.ws, ...common, credentials }, hooks);
    }
    case 'coinbase': {
      const c = cfg.credentials.coinbase;
      const credentials = live || c === undefined ? coinbaseCredentialsFromEnv(d.env) : coinbaseCredentials(c.keyName, c.privateKey);
      const ep = tradingEndpoints(cfg, venue, '/user', COINBASE_TRADING_LIVE.restBaseUrl, COINBASE_TRADING_LIVE.userWsUrl);
      return new CoinbaseTradingClient({ restBaseUrl: ep.rest, userWsUrl: ep.ws, ...common, credentials, settleTimeoutMs: Math.min(2_000, x.orderTimeoutMs) }, hooks);
    }
    default:
      throw new UnsupportedVenueError(`no trading client for venue ${venue}`);
  }
}

/**
 * A venue's trading endpoints from `venues.<venue>`: REST = restUrl, private WebSocket = tradingWsUrl or, when that
 * is empty, `<wsUrl><simPath>` (exchange-sim's layout). In live mode a REST URL pointed away from production while the
 * trading WebSocket still names the production host is refused: orders would go one place and their updates come
 * from another.
 */
export function tradingEndpoints(cfg: Pick<ExecutorConfig, 'mode' | 'venues'>, venue: string, simPath: string, liveRest: string, liveWs: string): { rest: string; ws: string } {
  const ep = cfg.venues[venue];
  if (ep === undefined) throw new EndpointConfigError(`venues.${venue}.restUrl / wsUrl are not configured`);
  const tradingWs = ep.tradingWsUrl ?? '';
  const ws = tradingWs !== '' ? tradingWs : `${ep.wsUrl.replace(/\/+$/, '')}${simPath}`;
  if (cfg.mode === 'live' && hostOf(ep.restUrl) !== hostOf(liveRest) && hostOf(ws) === hostOf(liveWs)) {
    throw new EndpointConfigError(
      `venues.${venue}.restUrl points to ${hostOf(ep.restUrl)} but the trading WebSocket is still ${hostOf(liveWs)}: set venues.${venue}.tradingWsUrl too ('' = <wsUrl>${simPath})`,
    );
  }
  return { rest: ep.restUrl.replace(/\/+$/, ''), ws };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch (cause) {
    throw new EndpointConfigError(`not a URL: ${url}`, { cause });
  }
}
