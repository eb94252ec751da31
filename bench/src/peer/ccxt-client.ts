/**
 * Worker entry (forked by the peer.ccxt benchmark): ccxt's websocket order-book client (`ccxt.pro.binance`,
 * `watchOrderBook`) pointed at the replay server (REST and WebSocket URLs overridden), in a loop as a ccxt bot
 * runs it, until the book reaches the last update id. Reports its own CPU time when synced and when done.
 */
import { reply } from '../lib/forked';
import { isCcxtStart, type CcxtProgress, type CcxtStart } from './ccxt-protocol';

interface CcxtBook {
  nonce?: number;
  bids: [number, number][];
  asks: [number, number][];
}

interface CcxtExchange {
  urls: { api: Record<string, unknown> & { ws: Record<string, unknown> } };
  options: Record<string, unknown>;
  loadMarkets(): Promise<unknown>;
  /** ccxt needs its plain-http agent loaded once before it opens a ws:// (not wss://) connection. */
  loadHttpProxyAgent(): Promise<unknown>;
  watchOrderBook(symbol: string, limit?: number, params?: Record<string, unknown>): Promise<CcxtBook>;
  close(): Promise<void>;
}

type CcxtModule = { pro: { binance: new (config: Record<string, unknown>) => CcxtExchange } };

const SYMBOL = 'BTC/USDT';

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function progress(type: 'synced' | 'done', nonce: number, wakeups: number, book?: CcxtBook): CcxtProgress {
  return {
    type,
    nonce,
    cpuSeconds: cpu(),
    at: performance.timeOrigin + performance.now(),
    wakeups,
    ...(book !== undefined ? { bids: book.bids.slice(0, 20), asks: book.asks.slice(0, 20) } : {}),
  };
}

async function run(cmd: CcxtStart): Promise<void> {
  const mod = (await import('ccxt')) as unknown as CcxtModule & { default?: CcxtModule };
  const ccxt = mod.pro !== undefined ? mod : (mod.default as CcxtModule);
  const ex = new ccxt.pro.binance({ enableRateLimit: false, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false } });
  // Point every URL it uses at the replay server: '/stream' keeps ccxt's spot handling (it decides by the URL).
  ex.urls.api.ws = { ...ex.urls.api.ws, spot: `${cmd.wsUrl}/stream` };
  ex.urls.api.public = `${cmd.restUrl}/api/v3`;
  await ex.loadHttpProxyAgent();
  await ex.loadMarkets();
  let wakeups = 0;
  let synced = false;
  let book: CcxtBook;
  do {
    book = await ex.watchOrderBook(SYMBOL, undefined, { watchOrderBookRate: '0' });
    wakeups++;
    if (!synced) {
      synced = true;
      reply({ ...progress('synced', book.nonce ?? -1, wakeups) });
    }
  } while ((book.nonce ?? -1) < cmd.lastId);
  reply({ ...progress('done', book.nonce ?? -1, wakeups, book) });
  await ex.close().catch(() => undefined);
  process.disconnect?.();
}

process.on('message', (m: unknown) => {
  if (!isCcxtStart(m)) return;
  run(m).catch((error: unknown) => {
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exitCode = 1;
    process.disconnect?.();
  });
});
process.on('disconnect', () => setTimeout(() => process.exit(), 200).unref());
