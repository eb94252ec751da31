import type { CcxtModule, CcxtVenue } from './ccxt';
import { loadCcxt } from './ccxt';
import { compareBooks, type BookRun } from './checks/books';
import * as errors from './checks/errors';
import type { VenueSession } from './checks/session';
import * as trading from './checks/trading';
import { loadSuiteConfig } from './config';
import type { SimControl } from './control';
import { SIM_OVERRIDES, startStack, type Stack } from './stack';
import type { CheckResult, Form, SuiteReport } from './types';
import { ccxtKeys, simExchange } from './venue-client';

/** How long the book comparison runs per form (the short form is what `npm test` runs). */
export const BOOK_RUNS: Record<Form, BookRun & { symbols: readonly string[] }> = {
  short: { durationMs: 20_000, enough: 100, truthSamples: 20, symbols: ['BTC/USDT'] },
  full: { durationMs: 60_000, enough: 1500, truthSamples: 300, symbols: ['BTC/USDT', 'ETH/USDT'] },
};

type Row = { call: string; run: (s: VenueSession) => Promise<string> };

/** The table's rows, in the order they run (later trading rows use orders earlier rows placed). */
export function rows(form: Form, stack: Pick<Stack, 'nc' | 'control'>): Row[] {
  const books = BOOK_RUNS[form];
  return [
    { call: 'loadMarkets (start-up calls)', run: trading.loadMarkets },
    { call: 'fetchOrderBook', run: trading.fetchOrderBook },
    ...books.symbols.map(
      (symbol): Row => ({
        call: `watchOrderBook = feed-ingestor ${symbol}`,
        run: (s) => compareBooks(s.venue, symbol, symbol.replace('/', '-'), s.client, stack.nc, stack.control, books),
      }),
    ),
    { call: 'fetchBalance', run: trading.fetchBalance },
    { call: 'createOrder market', run: trading.marketOrder },
    { call: 'createOrder limit IOC', run: trading.iocOrder },
    { call: 'createOrder limit GTC (rests, in the book)', run: trading.gtcOrder },
    { call: 'createOrder post-only', run: trading.postOnlyOrder },
    { call: 'fetchOrder', run: trading.fetchOrder },
    { call: 'fetchOpenOrders', run: trading.fetchOpenOrders },
    { call: 'cancelOrder', run: trading.cancelOrder },
    { call: 'resting order filled by a taker', run: trading.takerFillsResting },
    { call: "resting order filled by the model's flow", run: trading.flowFillsResting },
    { call: 'fetchMyTrades', run: trading.fetchMyTrades },
    { call: 'watchOrders (user stream)', run: trading.watchOrders },
    { call: 'fetchBalance after trading', run: trading.fetchBalance },
    { call: 'error: bad signature', run: errors.badSignature },
    { call: 'error: skewed clock', run: errors.skewedClock },
    { call: 'error: unknown order', run: errors.unknownOrder },
    { call: 'error: insufficient balance', run: errors.insufficientBalance },
    { call: 'error: post-only would take', run: errors.postOnlyWouldTake },
  ];
}

async function runVenue(venue: CcxtVenue, form: Form, ccxt: CcxtModule, stack: Stack, keys: { apiKey: string; secret: string }, log: (l: string) => void): Promise<CheckResult[]> {
  const hostPort = stack.hostPort(venue);
  const clients = [await simExchange(ccxt, venue, hostPort, keys)];
  const session: VenueSession = {
    venue,
    symbol: 'BTC/USDT',
    simSymbol: 'BTC-USDT',
    ccxt,
    client: clients[0] as (typeof clients)[number],
    control: stack.control,
    keys,
    newClient: async (k) => {
      const c = await simExchange(ccxt, venue, hostPort, k);
      clients.push(c);
      return c;
    },
    placed: new Map(),
  };
  const out: CheckResult[] = [];
  try {
    for (const row of rows(form, stack)) {
      const t0 = Date.now();
      let ok = true;
      let detail: string;
      try {
        detail = await row.run(session);
      } catch (e) {
        if (!lateRequest(e) || row.call === 'error: skewed clock') {
          ok = false;
          detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        } else {
          // A signed request that reached the venue after ccxt's recvWindow (10 s): what the real venue refuses too,
          // and here the symptom of a starved machine. Once the simulator answers promptly again the row runs again.
          const waited = await responsive(stack.control);
          log(`${venue} ${row.call}: a request arrived after its recvWindow; the simulator answered again after ${waited} ms, running the row again`);
          try {
            detail = `${await row.run(session)} (run twice: the first time a request arrived after ccxt's recvWindow on a loaded machine)`;
          } catch (e2) {
            ok = false;
            detail = e2 instanceof Error ? `${e2.name}: ${e2.message}` : String(e2);
          }
        }
      }
      const r: CheckResult = { call: row.call, venue, ok, detail, ms: Date.now() - t0 };
      out.push(r);
      log(`${ok ? 'pass' : 'FAIL'} ${venue} ${row.call}: ${detail}`);
    }
  } finally {
    for (const c of clients) await c.ex.close().catch(() => undefined);
  }
  return out;
}

/** Binance's -1021 for a request older than its recvWindow (not the clock-skew check's "ahead of the server"). */
function lateRequest(e: unknown): boolean {
  return e instanceof Error && e.name === 'InvalidNonce' && e.message.includes('outside of the recvWindow');
}

/** Waits (up to 60 s) until the simulator answers its health check within 500 ms; returns how long that took. */
async function responsive(control: SimControl): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < 60_000) {
    const t = Date.now();
    const ok = await control.call('/control/healthz').then(
      () => true,
      () => false,
    );
    if (ok && Date.now() - t < 500) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return Date.now() - t0;
}

export interface SuiteOptions {
  form: Form;
  venues: readonly CcxtVenue[];
  command: string;
  log: (line: string) => void;
}

/**
 * The conformance suite: the real stack (nats-server, exchange-sim, one feed-ingestor per venue, all built
 * processes), then per venue an unmodified ccxt.pro client (URLs and keys only) through every row of `rows()`.
 */
export async function runSuite(o: SuiteOptions): Promise<SuiteReport> {
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  const ccxt = await loadCcxt();
  const { config, files } = loadSuiteConfig();
  o.log(`ccxt ${ccxt.version}; credentials from ${files.join(' + ')}`);
  const stack = await startStack(o.venues, o.log);
  const results: CheckResult[] = [];
  try {
    for (const venue of o.venues) results.push(...(await runVenue(venue, o.form, ccxt, stack, ccxtKeys(venue, config.credentials), o.log)));
  } finally {
    await stack.stop();
  }
  return {
    form: o.form,
    ok: results.length > 0 && results.every((r) => r.ok),
    command: o.command,
    startedAt,
    durationMs: Date.now() - t0,
    ccxtVersion: ccxt.version,
    overrides: Object.fromEntries(Object.entries(SIM_OVERRIDES).map(([k, v]) => [k, `${v.value} (${v.why})`])),
    venues: o.venues,
    results,
  };
}
