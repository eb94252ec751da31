import { redisKeys, type ExecutionReport, type Opportunity } from '@arb/contracts';
import { createLogger, createRedis, quitRedis, type Redis } from '@arb/service-kit';
import { startNats, startRedis, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { awayLimits, BookFeed, control, makeOpportunity, publishOpp, sleep, startTradingExecutor, startSim, tops, waitForReports, type SimProcess } from './stack';

const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT'];
const PRICES: Record<string, string> = { 'BTC-USDT': '65000', 'ETH-USDT': '3500', 'SOL-USDT': '150', 'XRP-USDT': '0.5' };
const SIZES: Record<string, string> = { 'BTC-USDT': '0.001', 'ETH-USDT': '0.01', 'SOL-USDT': '0.1', 'XRP-USDT': '20' };
const LIMIT = 5;
const SLOW_ACK_MS = 60;

interface Stats {
  maxConcurrentTrades: number;
  inFlightTrades: number;
  orders: number;
}

/**
 * Off-market IOC limits (50 bps on the side that cannot fill) on 8 routes (4 symbols × both directions): every trade
 * sends two orders that the sim holds for SLOW_ACK_MS and then expires unfilled, so trades overlap without moving
 * balances. Route locks allow 8 trades at once; only the cluster-wide semaphore keeps it at 5. Published in waves of
 * WAVE at once, WAVE_EVERY_MS apart, each stamped when published: an opportunity is refused once older than the
 * executor's maxOpportunityAgeMs (2 s), so a single wave of 1,000 would mostly expire in the queue on a slow machine
 * (journaled expired) instead of contending for slots.
 */
const WAVE = 50;
const WAVE_EVERY_MS = 250;

async function burst(sim: SimProcess, js: JetStreamClient, n: number, tag: string, onWave?: (k: number) => Promise<void>): Promise<Opportunity[]> {
  const t = await tops(sim, SYMBOLS);
  const all: Opportunity[] = [];
  for (let w = 0; w * WAVE < n; w++) {
    const wave = Array.from({ length: Math.min(WAVE, n - w * WAVE) }, (_, j) => {
      const i = w * WAVE + j;
      const symbol = SYMBOLS[i % SYMBOLS.length] as string;
      const flip = Math.floor(i / SYMBOLS.length) % 2 === 1;
      return makeOpportunity({
        id: `opp_sem_${tag}_${process.pid}_${i}`,
        symbol,
        buyVenue: flip ? 'coinbase' : 'binance',
        sellVenue: flip ? 'binance' : 'coinbase',
        size: SIZES[symbol] as string,
        ...awayLimits(t, symbol, flip ? 'coinbase' : 'binance', flip ? 'binance' : 'coinbase'),
        ttlMs: 120_000,
      });
    });
    await Promise.all(wave.map((o) => publishOpp(js, o)));
    all.push(...wave);
    await onWave?.(w);
    if ((w + 1) * WAVE < n) await sleep(WAVE_EVERY_MS);
  }
  return all;
}

describe('4 executors, 1,000 opportunities in waves of 50, cluster-wide limit 5', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let sim: SimProcess;
  const executors: ServiceProcess[] = [];
  let nc: NatsConnection;
  let js: JetStreamClient;
  let probe: Redis;
  let feed: BookFeed | undefined;

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    sim = await startSim({
      ARB__SIM__SYMBOLS: `[${SYMBOLS.map((s) => `{symbol: ${s}, startPrice: '${PRICES[s]}', volatilityBps: 1}`).join(', ')}]`,
      ARB__SIM__VENUES__BINANCE__WEIGHT_LIMIT_PER_MINUTE: '10000000',
      ARB__SIM__RATE__LEVEL_UPDATES_PER_SEC: '200',
    });
    for (const venue of ['binance', 'coinbase']) {
      await control(sim, '/control/accounts', { venue, balances: { BTC: '100', ETH: '1000', SOL: '100000', XRP: '10000000', USDT: '100000000' } });
      await control(sim, '/control/trading-faults', { venue, faults: { slowAckMs: SLOW_ACK_MS } });
    }
    const env = {
      ARB__SYMBOLS: `[${SYMBOLS.join(', ')}]`,
      ARB__EXECUTOR__CONCURRENCY__MAX_CONCURRENT_TRADES: String(LIMIT),
      ARB__EXECUTOR__CONCURRENCY__WAIT_MS: '1500',
      ARB__EXECUTOR__CONCURRENCY__LEASE_MS: '3000',
      ARB__EXECUTOR__CONCURRENCY__RENEW_INTERVAL_MS: '500',
      ARB__EXECUTOR__LEG_RISK__RETRY_DELAY_MS: '0',
    };
    for (const i of [0, 1, 2, 3]) executors.push(await startTradingExecutor(nats.url, redis.url, sim, env, `executor-${i}`));
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    feed = await BookFeed.start(nc, sim, SYMBOLS);
    probe = createRedis({ url: redis.url, name: 'probe', logger: createLogger({ name: 'probe', level: 'silent' }), maxRetryDelayMs: 100 });
  }, 90_000);

  afterAll(async () => {
    feed?.stop();
    await nc?.close();
    if (probe !== undefined) await quitRedis(probe);
    await Promise.all(executors.map((e) => e.stop()));
    await sim?.proc.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  const reportsOf = (all: ExecutionReport[], ids: Set<string>): ExecutionReport[] => all.filter((r) => ids.has(r.oppId));

  it('never more than 5 trades at once on the venues, every opportunity journaled once, no lease left behind', async () => {
    await control(sim, '/control/trading-stats/reset', {});
    const opps = await burst(sim, js, 1000, 'a');
    const ids = new Set(opps.map((o) => o.id));
    const all = await waitForReports(nc, (rs) => reportsOf(rs, ids).length >= opps.length, 120_000);
    const mine = reportsOf(all, ids);
    expect(new Set(mine.map((r) => r.oppId)).size).toBe(opps.length);
    expect(mine).toHaveLength(opps.length);

    const stats = await control<Stats>(sim, '/control/trading-stats');
    const traded = mine.filter((r) => r.legs.length > 0);
    const byStatus = mine.reduce<Record<string, number>>((m, r) => {
      const k = `${r.status}:${(r.reason ?? '').split(':')[0]}`;
      return { ...m, [k]: (m[k] ?? 0) + 1 };
    }, {});
    const byExecutor = new Set(traded.map((r) => r.executorId));
    console.log('semaphore run', { stats, byStatus, executors: byExecutor.size });
    expect(stats.maxConcurrentTrades).toBeLessThanOrEqual(LIMIT);
    expect(stats.maxConcurrentTrades).toBeGreaterThanOrEqual(3); // trades really overlapped
    expect(traded.length).toBeGreaterThanOrEqual(20);
    expect(stats.orders).toBe(traded.reduce((n, r) => n + r.legs.length, 0));
    expect(byExecutor.size).toBe(4);
    // Fencing tokens are unique per lease.
    const tokens = traded.map((r) => r.fencingToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    // No lease leaks: the semaphore zset is empty once the work is done.
    expect(await probe.zcard(redisKeys.semaphore('trades'))).toBe(0);
  }, 180_000);

  it('a Redis restart in the middle: no deadlock, leases recover, work continues', async () => {
    let restartedAt = 0;
    // Redis restarts after the second wave; the later waves find it back.
    const opps = await burst(sim, js, 400, 'b', async (w) => {
      if (w !== 1) return;
      restartedAt = performance.timeOrigin + performance.now();
      await redis.restart();
    });
    const ids = new Set(opps.map((o) => o.id));
    const all = await waitForReports(nc, (rs) => reportsOf(rs, ids).length >= opps.length, 120_000);
    const mine = reportsOf(all, ids);
    expect(mine).toHaveLength(opps.length);
    const tradedAfter = mine.filter((r) => r.legs.length > 0 && (r.timings.ordersSentTs ?? 0) > restartedAt + 100);
    const outcomes = mine.reduce<Record<string, number>>((m, r) => {
      const k = `${r.status}:${(r.reason ?? '').split(':')[0]}`;
      return { ...m, [k]: (m[k] ?? 0) + 1 };
    }, {});
    console.log('redis restart run', { outcomes, tradedAfterRestart: tradedAfter.length });
    expect(tradedAfter.length).toBeGreaterThan(0);

    // And later work is not blocked by anything the restart left behind.
    const later = await burst(sim, js, 10, 'c');
    const laterIds = new Set(later.map((o) => o.id));
    const after = reportsOf(await waitForReports(nc, (rs) => reportsOf(rs, laterIds).length >= later.length, 60_000), laterIds);
    expect(after.filter((r) => r.legs.length > 0).length).toBeGreaterThanOrEqual(5);
    expect(await probe.zcard(redisKeys.semaphore('trades'))).toBe(0);
    for (const e of executors) expect(e.exit).toBeUndefined();
  }, 180_000);
});
