import { configKeys, buckets, streams, subjects, validators, type ExecutionReport, type Opportunity, type RuntimeConfig } from '@arb/contracts';
import { normalizeDecimal } from '@arb/domain';
import { REPO_ROOT, simVenueEnv, startBuiltService, startSimProcess, type NatsHandle, type ServiceProcess, type SimProcess } from '@arb/testkit';
import { readStream } from '@arb/service-kit';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import Big from 'big.js';

export const ROOT = REPO_ROOT;
const EXECUTOR_ENTRY = 'services/executor/dist/main.js';
export type { SimProcess };

/**
 * The built exchange-sim on ephemeral ports, price jumps and rival takers off; `env` adds ARB__SIM__... overrides.
 * These tests hand the executor opportunities built from the sim's current books and check fills, fees and balances
 * to the unit: a rival sweeping the level between the read and the order would turn them into races. The executor
 * meets the rivals (sim default) in the whole-stack tests, the fault suite and the capture benchmark.
 */
export function startSim(env: Record<string, string> = {}): Promise<SimProcess> {
  return startSimProcess({ ARB__SIM__JUMPS__PER_MINUTE: '0', ARB__SIM__RIVALS__ENABLED: 'false', ...env });
}

/** Executor env for the sim: NATS, Redis, venue endpoints, sim-sized client rate limits, quick reconciliation. */
export function executorEnv(natsUrl: string, redisUrl: string, sim: SimProcess, env: Record<string, string> = {}): Record<string, string> {
  return {
    ARB_MODE: 'sim',
    ARB__NATS__URL: natsUrl,
    ARB__REDIS__URL: redisUrl,
    ARB__HTTP__PORT: '0',
    ARB__LOG__LEVEL: 'info',
    ...simVenueEnv(sim),
    // exchange-sim is not Binance: lift the client-side order limits (50 / 10 s) for load tests.
    ARB__EXECUTOR__RATE_LIMITS: '{binance: [{name: weight, limit: 1000000, intervalMs: 60000}, {name: orders10s, limit: 1000000, intervalMs: 10000}], coinbase: [{name: private, limit: 100000, intervalMs: 1000}, {name: public, limit: 100000, intervalMs: 1000}]}',
    ARB__EXECUTOR__INFLIGHT__HEARTBEAT_MS: '300',
    ARB__EXECUTOR__INFLIGHT__HEARTBEAT_TTL_MS: '2000',
    ARB__EXECUTOR__INFLIGHT__SWEEP_INTERVAL_MS: '500',
    ...env,
  };
}

/** The built executor; resolves once it logged `executor started` (needs log level info). Killed if it never does. */
export function startExecutor(natsUrl: string, redisUrl: string, sim: SimProcess, env: Record<string, string> = {}, name = 'executor'): Promise<ServiceProcess> {
  return startBuiltService({
    name,
    entry: EXECUTOR_ENTRY,
    env: executorEnv(natsUrl, redisUrl, sim, env),
    readyLine: /"msg":"executor started"/,
    readyTimeoutMs: 30_000,
  });
}

/**
 * Resolves once the executor's risk figures are current (`executor_risk_feed_current` 1). Ready is not yet trading:
 * until its journal follower reached the stream's end, the admission gate skips every opportunity as risk-stale.
 */
export async function tradingReady(p: ServiceProcess, timeoutMs = 15_000): Promise<void> {
  await until("the executor's risk figures current", async () => ((await metricOf(p, 'executor_risk_feed_current')) === 1 ? true : undefined), timeoutMs);
}

/** `startExecutor`, then `tradingReady`: for tests that publish opportunities as soon as the executor is up. */
export async function startTradingExecutor(natsUrl: string, redisUrl: string, sim: SimProcess, env: Record<string, string> = {}, name = 'executor'): Promise<ServiceProcess> {
  const p = await startExecutor(natsUrl, redisUrl, sim, env, name);
  try {
    await tradingReady(p);
  } catch (err) {
    await p.stop();
    throw err;
  }
  return p;
}

/** The executor's HTTP base URL (from its `http server listening` line). */
export function httpUrlOf(p: ServiceProcess): string {
  const url = /"url":"(http:[^"]+)","msg":"http server listening"/.exec(p.lines().join('\n'))?.[1];
  if (url === undefined) throw new Error('the process printed no http server line');
  return url;
}

/** A sample of the executor's Prometheus metrics (labels as written, e.g. `reason="venue-unavailable"`); 0 if absent. */
export async function metricOf(p: ServiceProcess, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${httpUrlOf(p)}/metrics`)).text();
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labels));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

export async function control<T>(sim: SimProcess, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.control}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface SimOrder {
  venue: string;
  clientOrderId: string;
  side: 'buy' | 'sell';
  status: string;
  final: boolean;
  filledQty: string;
  filledQuote: string;
  fee: string;
  feeAsset: string;
  tradeKey: string;
}

export async function simOrders(sim: SimProcess, prefix = ''): Promise<SimOrder[]> {
  return (await control<{ orders: SimOrder[] }>(sim, `/control/orders?clientOrderIdPrefix=${encodeURIComponent(prefix)}`)).orders;
}

/** asset → total (free + locked) of the venue's first account. */
export async function balances(sim: SimProcess, venue: string): Promise<Map<string, Big>> {
  const all = await control<Record<string, { balances: { asset: string; free: string; locked: string }[] }[]>>(sim, `/control/accounts?venue=${venue}`);
  const out = new Map<string, Big>();
  for (const b of all[venue]?.[0]?.balances ?? []) out.set(b.asset, new Big(b.free).plus(b.locked));
  return out;
}

/** Best bid/ask (normalized decimals) of the sim's true book. */
export async function top(sim: SimProcess, venue: string, symbol: string): Promise<{ bid: [string, string]; ask: [string, string] }> {
  const b = await control<{ bids: [string, string][]; asks: [string, string][] }>(sim, `/control/book?venue=${venue}&symbol=${symbol}&depth=1`);
  const n = (l: [string, string] | undefined): [string, string] => [normalizeDecimal(l?.[0] ?? '0'), normalizeDecimal(l?.[1] ?? '0')];
  return { bid: n(b.bids[0]), ask: n(b.asks[0]) };
}

let seq = 0;

/** Best bid/ask of both venues for each symbol (sim truth), keyed `<venue>|<symbol>`. */
export async function tops(sim: SimProcess, symbols: readonly string[], venues: readonly string[] = ['binance', 'coinbase']): Promise<Map<string, { bid: string; ask: string }>> {
  const out = new Map<string, { bid: string; ask: string }>();
  for (const v of venues) for (const s of symbols) {
    const t = await top(sim, v, s);
    out.set(`${v}|${s}`, { bid: t.bid[0], ask: t.ask[0] });
  }
  return out;
}

/**
 * IOC limits `awayBps` away from the market on the side that cannot fill (buy under the ask, sell over the bid): the
 * orders expire unfilled, yet the limits are within the executor's book-deviation tolerance (100 bps by default).
 */
export function awayLimits(t: Map<string, { bid: string; ask: string }>, symbol: string, buyVenue: string, sellVenue: string, awayBps = 50): { buyLimit: string; sellLimit: string } {
  const ask = new Big(t.get(`${buyVenue}|${symbol}`)?.ask ?? '0');
  const bid = new Big(t.get(`${sellVenue}|${symbol}`)?.bid ?? '0');
  const dp = ask.lt(10) ? 4 : 2;
  const m = new Big(awayBps).div(10_000);
  return { buyLimit: ask.times(new Big(1).minus(m)).round(dp, 0).toFixed(dp), sellLimit: bid.times(new Big(1).plus(m)).round(dp, 3).toFixed(dp) };
}

/** An opportunity whose IOC limits cross both venues' books by `marginBps` (so both legs fill up to top size). */
export async function crossingOpp(
  sim: SimProcess,
  o: { symbol?: string; buyVenue?: string; sellVenue?: string; size: string; marginBps?: number; ttlMs?: number; tick?: string },
): Promise<Opportunity> {
  const symbol = o.symbol ?? 'BTC-USDT';
  const buyVenue = o.buyVenue ?? 'binance';
  const sellVenue = o.sellVenue ?? 'coinbase';
  const tick = new Big(o.tick ?? '0.01');
  const m = new Big(o.marginBps ?? 20).div(10_000);
  const [b, s] = await Promise.all([top(sim, buyVenue, symbol), top(sim, sellVenue, symbol)]);
  const buyLimit = new Big(b.ask[0]).times(new Big(1).plus(m)).div(tick).round(0, 0).times(tick);
  const sellLimit = new Big(s.bid[0]).times(new Big(1).minus(m)).div(tick).round(0, 3).times(tick);
  return makeOpportunity({ symbol, buyVenue, sellVenue, size: o.size, buyLimit: buyLimit.toFixed(), sellLimit: sellLimit.toFixed(), ttlMs: o.ttlMs ?? 10_000 });
}

export function makeOpportunity(o: { symbol: string; buyVenue: string; sellVenue: string; size: string; buyLimit: string; sellLimit: string; ttlMs: number; id?: string }): Opportunity {
  const now = performance.timeOrigin + performance.now();
  seq++;
  return validators.Opportunity.assert({
    v: 1,
    id: o.id ?? `opp_t${process.pid}_${Date.now().toString(36)}_${seq}`,
    symbol: o.symbol,
    buy: { venue: o.buyVenue, limitPrice: o.buyLimit, vwap: o.buyLimit, size: o.size },
    sell: { venue: o.sellVenue, limitPrice: o.sellLimit, vwap: o.sellLimit, size: o.size },
    size: o.size,
    grossEdgeBps: '0',
    netEdgeBps: '0',
    profitQuote: '0',
    profitUsd: '0',
    confidence: 0.9,
    detectedTs: now,
    expiresTs: now + o.ttlMs,
    books: { buy: { recvTs: now, seq: 1, venueSeq: 1 }, sell: { recvTs: now, seq: 1, venueSeq: 1 } },
    variant: 'default',
  });
}

export async function publishOpp(js: JetStreamClient, opp: Opportunity, msgId = opp.id): Promise<void> {
  await js.publish(subjects.opportunity(opp.symbol), JSON.stringify(opp), { msgID: msgId });
}

/** Every report stored in ARB_EXECS (the journal itself, not core-NATS copies). */
export function journal(nc: NatsConnection): Promise<ExecutionReport[]> {
  return readStream(nc, streams.executions.name, (d) => validators.ExecutionReport.decode(d));
}

/** Polls the journal until `pred(reports)` holds. */
export async function waitForReports(nc: NatsConnection, pred: (r: ExecutionReport[]) => boolean, timeoutMs = 20_000): Promise<ExecutionReport[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await journal(nc);
    if (pred(r)) return r;
    if (Date.now() > end) throw new Error(`journal condition not met after ${timeoutMs} ms (${r.length} reports: ${r.map((x) => `${x.oppId}:${x.status}`).join(', ')})`);
    await sleep(200);
  }
}

export async function setRuntime(nc: NatsConnection, patch: Partial<RuntimeConfig>): Promise<void> {
  const kv = await new Kvm(nc).open(buckets.config);
  const doc: RuntimeConfig = validators.RuntimeConfig.assert({ v: 1, killSwitch: false, params: {}, variants: [], updatedTs: Date.now(), updatedBy: 'test', ...patch });
  await kv.put(configKeys.runtime, JSON.stringify(doc));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value (not undefined); fails after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** nats-server down for `downMs` (SIGTERM, then started again on its port with its JetStream store). */
export async function natsOutage(nats: NatsHandle, downMs: number): Promise<void> {
  const pid = nats.pid;
  if (pid === undefined) throw new Error('nats-server is not running');
  process.kill(pid, 'SIGTERM');
  await until('nats-server stopped', async () => (nats.pid === undefined ? true : undefined), 10_000, 20);
  await sleep(downMs);
  await nats.restart();
}

/**
 * The market data the executor checks opportunities against (`md.book.<venue>.<symbol>`), published from the sim's
 * true books every `intervalMs` (what the feed-ingestors publish in the full stack, without running them here).
 */
export class BookFeed {
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private busy = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly sim: SimProcess,
    private readonly pairs: readonly (readonly [string, string])[],
  ) {}

  /** Publishes once (so the books are there when this resolves), then every `intervalMs`. */
  static async start(nc: NatsConnection, sim: SimProcess, symbols: readonly string[] = ['BTC-USDT', 'ETH-USDT'], venues: readonly string[] = ['binance', 'coinbase'], intervalMs = 100): Promise<BookFeed> {
    const feed = new BookFeed(nc, sim, venues.flatMap((v) => symbols.map((s) => [v, s] as const)));
    await feed.publish();
    feed.timer = setInterval(() => void feed.publish(), intervalMs);
    return feed;
  }

  private async publish(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await Promise.all(
        this.pairs.map(async ([venue, symbol]) => {
          const b = await control<{ bids: [string, string][]; asks: [string, string][] }>(this.sim, `/control/book?venue=${venue}&symbol=${symbol}&depth=5`);
          const now = performance.timeOrigin + performance.now();
          this.seq++;
          const snap = validators.BookSnapshot.assert({ v: 1, venue, symbol, seq: this.seq, venueSeq: this.seq, venueTs: null, recvTs: now, pubTs: now, bids: b.bids, asks: b.asks });
          if (!this.nc.isClosed()) this.nc.publish(subjects.book(venue, symbol), JSON.stringify(snap));
        }),
      );
    } catch {
      // the sim is stopping: the next tick tries again
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
