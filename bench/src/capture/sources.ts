import {
  BinanceMarketDataClient,
  BinanceTradingClient,
  binanceCredentials,
  binanceSimEndpoints,
  binanceTradingSimEndpoints,
  CoinbaseMarketDataClient,
  CoinbaseTradingClient,
  coinbaseCredentials,
  coinbaseSimEndpoints,
  coinbaseTradingSimEndpoints,
  type VenueMarketData,
} from '@arb/venues';
import { waitUntil } from './wait';
import { RestPoller } from '../peer/rest-poller';
import type { SimProcess } from '../stack/sim-process';
import { CAPTURE_SYMBOLS, type ShippedParams } from './params';
import type { BaselineTaker } from './taker';

/** A book source feeding a taker: started, live, stopped. */
export interface BookSource {
  readonly describe: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Websocket books through our venue feed code (the same clients the feed-ingestors run: Binance `@depth@0ms` diff
 * stream + REST snapshot, Coinbase level2), each book change handed to the taker at once.
 */
export function wsSource(sim: SimProcess, taker: BaselineTaker): BookSource {
  const feeds: VenueMarketData[] = [
    new BinanceMarketDataClient({ ...binanceSimEndpoints(sim.ports.binance), symbols: CAPTURE_SYMBOLS, depthSpeed: '0ms', snapshotLimit: 100 }),
    new CoinbaseMarketDataClient({ ...coinbaseSimEndpoints(sim.ports.coinbase), symbols: CAPTURE_SYMBOLS }),
  ];
  for (const f of feeds) {
    f.onEvent((e) => {
      if (e.kind === 'book') taker.update([{ venue: e.venue, symbol: e.symbol, top: e.book.top(20) }]);
    });
  }
  return {
    describe: 'websocket books (our venue clients: Binance @depth@0ms + snapshot, Coinbase level2)',
    async start() {
      for (const f of feeds) f.start();
      await waitUntil(() => feeds.every((f) => f.state() === 'live'), 30_000, () => `websocket feeds not live: ${feeds.map((f) => `${f.venue} ${f.state()}`).join(', ')}`);
    },
    async stop() {
      for (const f of feeds) await f.stop();
    },
  };
}

/** REST polling every `intervalMs` (peer.polling's RestPoller: GET both venues' books per tick), each poll handed to the taker. */
export function pollSource(sim: SimProcess, taker: BaselineTaker, shipped: ShippedParams, intervalMs: number): BookSource {
  const poller = new RestPoller({
    binanceUrl: `http://127.0.0.1:${sim.ports.binance}`,
    coinbaseUrl: `http://127.0.0.1:${sim.ports.coinbase}`,
    symbols: CAPTURE_SYMBOLS,
    intervalMs,
    fees: { binance: Number(shipped.fees.binance), coinbase: Number(shipped.fees.coinbase) },
    minEdge: Number(shipped.minProfitPct) / 100,
    onPoll: (books, at) => taker.update(books.map((b) => ({ venue: b.venue, symbol: b.symbol, top: { bids: b.bids, asks: b.asks } })), at),
  });
  return {
    describe: `REST poll every ${intervalMs} ms (depth 5 of both venues per tick)`,
    async start() {
      poller.start();
      await waitUntil(() => poller.polls > 0, 30_000, () => 'REST poller: no complete poll');
    },
    stop: () => poller.stop(),
  };
}

/**
 * The sim accounts' trading clients (the executor's venue code), started (private streams live). Client-side order
 * rate limits lifted as for our executor (bench/src/stack/executor-env.ts): the sim is not Binance.
 */
export async function tradingClients(sim: SimProcess, shipped: ShippedParams): Promise<{ binance: BinanceTradingClient; coinbase: CoinbaseTradingClient; stop(): Promise<void> }> {
  const c = shipped.credentials;
  const binance = new BinanceTradingClient({
    ...binanceTradingSimEndpoints(sim.ports.binance),
    credentials: binanceCredentials(c.binance.apiKey, c.binance.secretKey),
    requestTimeoutMs: 2000,
    rateLimits: [
      { name: 'weight', limit: 10_000_000, intervalMs: 60_000 },
      { name: 'orders10s', limit: 10_000_000, intervalMs: 10_000 },
    ],
  });
  const coinbase = new CoinbaseTradingClient({
    ...coinbaseTradingSimEndpoints(sim.ports.coinbase),
    credentials: coinbaseCredentials(c.coinbase.keyName, c.coinbase.privateKey),
    requestTimeoutMs: 2000,
    rateLimits: [
      { name: 'private', limit: 1_000_000, intervalMs: 1000 },
      { name: 'public', limit: 1_000_000, intervalMs: 1000 },
    ],
  });
  await Promise.all([binance.start(), coinbase.start()]);
  return {
    binance,
    coinbase,
    stop: async () => {
      await Promise.allSettled([binance.stop(), coinbase.stop()]);
    },
  };
}
