import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { subjects, validators, type BookSnapshot, type FeedState, type FeedStatus, type Level, type Opportunity } from '@arb/contracts';
import { connectBus, createLogger, createMetricsRegistry, nowMs, type Bus, type BusSubscription } from '@arb/service-kit';
import { REPO_ROOT, startBuiltService, startServers, type ServiceProcess, type Servers } from '@arb/testkit';

export const ROOT = REPO_ROOT;

/** A venue's market rules in the detector tests: taker fee 10 bps, min size 0.001, lot 0.001, tick 0.01, min notional 10. */
export const MARKET = '{takerFee: "0.001", minSize: "0.001", maxSize: "10", lotStep: "0.001", tick: "0.01", minNotional: "10"}';

/** Thresholds of the detector tests: net edge >= 0.05 % (plus the volatility add-on), profit >= 1 USD, no per-trade cap in the way. */
export const THRESHOLDS: Readonly<Record<string, string>> = {
  ARB__DETECTOR__MIN_PROFIT_PCT: '0.05',
  ARB__DETECTOR__MIN_PROFIT_USD: '1',
  ARB__DETECTOR__RISK_LIMIT_PER_TRADE: '1000000',
};

/** Builds the detector (and what it references) so `dist/main.js` is current. */
export function buildDetector(): void {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'services/detector'], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc -b services/detector failed:\n${tsc.stdout}${tsc.stderr}`);
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Side {
  bids: Level[];
  asks: Level[];
}

/** Test stand-in for the feed ingestors: publishes books and (periodically) FeedStatus per venue. */
export class FakeFeeds {
  private readonly seqs = new Map<string, number>();
  /** venue → symbol → state; published every `statusEveryMs`. */
  readonly states = new Map<string, Map<string, FeedState>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly bus: Bus) {}

  setState(venue: string, symbol: string, state: FeedState): void {
    let m = this.states.get(venue);
    if (m === undefined) {
      m = new Map();
      this.states.set(venue, m);
    }
    m.set(symbol, state);
  }

  publishStatuses(): void {
    for (const [venue, syms] of this.states) {
      const symbols: FeedStatus['symbols'] = {};
      for (const [s, state] of syms) symbols[s] = { state, bookAgeMs: 1, venueSeq: 1 };
      const all = [...syms.values()].every((s) => s === 'live');
      const status: FeedStatus = {
        v: 1,
        venue,
        state: all ? 'live' : 'syncing',
        ts: nowMs(),
        symbols,
        counters: { updates: 0, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
      };
      this.bus.publish(subjects.status(venue), validators.FeedStatus, status);
    }
  }

  startStatuses(everyMs = 200): void {
    this.publishStatuses();
    this.timer = setInterval(() => this.publishStatuses(), everyMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** Publishes one book; `ageMs` backdates its local receive time. Returns it. */
  book(venue: string, symbol: string, side: Side, ageMs = 0): BookSnapshot {
    const key = `${venue}|${symbol}`;
    const seq = (this.seqs.get(key) ?? 0) + 1;
    this.seqs.set(key, seq);
    const now = nowMs();
    const b: BookSnapshot = {
      v: 1,
      venue,
      symbol,
      seq,
      venueSeq: 5000 + seq,
      venueTs: Math.floor(now),
      recvTs: now - ageMs,
      pubTs: now,
      bids: side.bids,
      asks: side.asks,
    };
    this.bus.publish(subjects.book(venue, symbol), validators.BookSnapshot, b);
    return b;
  }

  /** Re-publishes the given books every `everyMs` for `durationMs` (an edge that persists). Returns the last ones. */
  async pump(symbol: string, books: Record<string, Side>, opts: { durationMs: number; everyMs?: number; ageMs?: number }): Promise<Record<string, BookSnapshot>> {
    const last: Record<string, BookSnapshot> = {};
    const end = Date.now() + opts.durationMs;
    do {
      for (const [venue, side] of Object.entries(books)) last[venue] = this.book(venue, symbol, side, opts.ageMs ?? 0);
      await this.bus.flush();
      await sleep(opts.everyMs ?? 25);
    } while (Date.now() < end);
    return last;
  }
}

/** Collects every Opportunity seen on `arb.opp.>` by a core subscriber. */
export class OppCollector {
  readonly seen: Opportunity[] = [];
  private readonly sub: BusSubscription;

  constructor(bus: Bus) {
    this.sub = bus.subscribe(subjects.opportunities(), validators.Opportunity, (o) => {
      this.seen.push(o);
    });
  }

  of(symbol: string): Opportunity[] {
    return this.seen.filter((o) => o.symbol === symbol);
  }

  async close(): Promise<void> {
    await this.sub.drain();
  }
}

export function testBus(url: string, name: string): Promise<Bus> {
  return connectBus({
    url,
    name,
    logger: createLogger({ name, level: 'warn' }),
    registry: createMetricsRegistry({ service: name, defaultMetrics: false }),
  });
}

/** MARKET rules and `balances` for each venue, as `ARB__...` overrides. */
export function venuesEnv(venues: readonly string[], balances: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of venues) {
    env[`ARB__MARKETS__VENUES__${v.toUpperCase()}`] = MARKET;
    env[`ARB__INVENTORY__BALANCES__${v.toUpperCase()}`] = balances;
  }
  return env;
}

export interface TestClient {
  bus: Bus;
  opps: OppCollector;
  feeds: FakeFeeds;
}

/** A bus client collecting opportunities, with fake feeds reporting every venue × symbol `live` (statuses every 200 ms). */
export async function openTestClient(servers: Servers, name: string, venues: readonly string[], symbols: readonly string[]): Promise<TestClient> {
  const bus = await testBus(servers.nats.url, name);
  const opps = new OppCollector(bus);
  const feeds = new FakeFeeds(bus);
  for (const s of symbols) for (const v of venues) feeds.setState(v, s, 'live');
  feeds.startStatuses(200);
  return { bus, opps, feeds };
}

/** Stops the fake feeds, the collector and the bus client (whatever of them was opened). */
export async function closeTestClient(c: Partial<TestClient>): Promise<void> {
  c.feeds?.stop();
  await c.opps?.close();
  await c.bus?.drain();
}

export interface DetectorProcess {
  proc: ServiceProcess;
  /** `http://127.0.0.1:<port>` of its metrics/health server. */
  url: string;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

/** Starts `node services/detector/dist/main.js` against the servers, config via env; resolves once it is ready. */
export async function startDetectorProcess(servers: Servers, env: Record<string, string>): Promise<DetectorProcess> {
  const proc = await startBuiltService({
    name: 'detector',
    entry: 'services/detector/dist/main.js',
    env: {
      ARB_CONFIG_DIR: resolve(ROOT, 'config'),
      ARB_INSTANCE: 'detector-test',
      ARB__NATS__URL: servers.nats.url,
      ARB__REDIS__URL: servers.redis.url,
      ARB__HTTP__HOST: '127.0.0.1',
      ...env,
    },
    readyLine: /"detector started"/,
    readyTimeoutMs: 20_000,
  });
  const line = await proc.waitForLine(/"http server listening"/);
  const url = (JSON.parse(line) as { url: string }).url;
  const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    let total = 0;
    for (const l of text.split('\n')) {
      if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) continue;
      if (Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`))) total += Number(l.slice(l.lastIndexOf(' ') + 1));
    }
    return total;
  };
  return { proc, url, metric };
}

export { startServers, type Servers };
