import { redisKeys, type ExecutionReport, type Opportunity } from '@arb/contracts';
import { startNats, startRedisSentinel, type NatsHandle, type RedisSentinelHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { tradeKey } from '../src/ids';
import { shippedRedisRules } from './coordination-helpers';
import { awayLimits, BookFeed, control, makeOpportunity, metricOf, publishOpp, simOrders, sleep, startTradingExecutor, startSim, tops, waitForReports, type SimProcess } from './stack';

const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT'];
const PRICES: Record<string, string> = { 'BTC-USDT': '65000', 'ETH-USDT': '3500', 'SOL-USDT': '150', 'XRP-USDT': '0.5' };
const SIZES: Record<string, string> = { 'BTC-USDT': '0.001', 'ETH-USDT': '0.01', 'SOL-USDT': '0.1', 'XRP-USDT': '20' };
/** Cluster-wide limit below the 8 routes: only the semaphore keeps the venues at LIMIT trades at once. */
const LIMIT = 3;
const SLOW_ACK_MS = 60;
const WAVE = 10;
const WAVE_EVERY_MS = 200;
const WAVES = 40;
/** The primary is SIGKILLed after this wave (about 2 s into the 8 s of publishing). */
const KILL_AFTER_WAVE = 10;
/**
 * Primary + 2 replicas, the topology the README asks for with ackReplicas 1: after the failover the new primary still
 * has a replica to acknowledge the coordination keys (with one replica, trading waits until a replica is back).
 * Sentinel timings of this test (testkit defaults 5000 / 60000): the failover happens within the test's seconds.
 */
const DOWN_AFTER_MS = 1_000;
const FAILOVER_TIMEOUT_MS = 3_000;

interface Stats {
  maxConcurrentTrades: number;
  orders: number;
}

const now = (): number => performance.timeOrigin + performance.now();

describe('Redis primary SIGKILLed mid-trading (Sentinel failover, primary + 2 replicas), 2 executors, cluster-wide limit 3', () => {
  let nats: NatsHandle;
  let set: RedisSentinelHandle;
  let sim: SimProcess;
  const executors: ServiceProcess[] = [];
  let nc: NatsConnection;
  let js: JetStreamClient;
  let feed: BookFeed | undefined;

  beforeAll(async () => {
    process.stdout.write(
      `redis failover test: Sentinel down-after ${DOWN_AFTER_MS} ms, failover-timeout ${FAILOVER_TIMEOUT_MS} ms (testkit defaults 5000 / 60000) for a failover within the test; ` +
        `executor maxConcurrentTrades ${LIMIT} (default 5) below the 8 routes; redis.sentinel.ackReplicas/ackTimeoutMs as shipped (1 / 250)\n`,
    );
    [nats, set] = await Promise.all([
      startNats(),
      startRedisSentinel({ replicas: 2, downAfterMs: DOWN_AFTER_MS, failoverTimeoutMs: FAILOVER_TIMEOUT_MS, users: { executor: shippedRedisRules('executor') } }),
    ]);
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
      ARB__REDIS__SENTINEL__NODES: `[${set.sentinelNodes.join(', ')}]`,
      ARB__REDIS__SENTINEL__NAME: set.name,
      ARB__REDIS__SENTINEL__PASSWORD: set.sentinelPassword,
      ARB__EXECUTOR__CONCURRENCY__MAX_CONCURRENT_TRADES: String(LIMIT),
      ARB__EXECUTOR__LEG_RISK__RETRY_DELAY_MS: '0',
    };
    executors.push(...(await Promise.all([0, 1].map((i) => startTradingExecutor(nats.url, set.url('executor'), sim, env, `executor-${i}`)))));
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    feed = await BookFeed.start(nc, sim, SYMBOLS);
  }, 90_000);

  afterAll(async () => {
    feed?.stop();
    await nc?.close();
    await Promise.all(executors.map((e) => e.stop()));
    await sim?.proc.stop();
    await Promise.all([nats?.stop(), set?.stop()]);
  });

  it('no over-commit, no opportunity traded twice, no journal entry lost or duplicated; trading resumes on the new primary', async () => {
    await control(sim, '/control/trading-stats/reset', {});
    const t = await tops(sim, SYMBOLS);
    const opps: Opportunity[] = [];
    const publishedAt = new Map<string, number>();
    const old = set.nodes[0]!;
    let killedAt = 0;
    let failover: Promise<{ promotedMs: number }> | undefined;
    for (let w = 0; w < WAVES; w++) {
      const wave = Array.from({ length: WAVE }, (_, j) => {
        const i = w * WAVE + j;
        const symbol = SYMBOLS[i % SYMBOLS.length] as string;
        const flip = Math.floor(i / SYMBOLS.length) % 2 === 1;
        const [buyVenue, sellVenue] = flip ? ['coinbase', 'binance'] : ['binance', 'coinbase'];
        return makeOpportunity({ id: `opp_fo_${process.pid}_${i}`, symbol, buyVenue, sellVenue, size: SIZES[symbol] as string, ...awayLimits(t, symbol, buyVenue, sellVenue), ttlMs: 120_000 });
      });
      const at = now();
      await Promise.all(wave.map((o) => publishOpp(js, o)));
      for (const o of wave) publishedAt.set(o.id, at);
      opps.push(...wave);
      if (w === KILL_AFTER_WAVE) {
        killedAt = now();
        await old.kill();
        failover = (async () => {
          await set.waitForPrimaryOtherThan(old, 20_000);
          return { promotedMs: now() - killedAt };
        })();
      }
      await sleep(WAVE_EVERY_MS);
    }
    const { promotedMs } = await (failover as Promise<{ promotedMs: number }>);

    const ids = new Set(opps.map((o) => o.id));
    const all = await waitForReports(nc, (rs) => rs.filter((r) => ids.has(r.oppId) && r.corrects === undefined).length >= opps.length, 60_000);
    const mine = all.filter((r) => ids.has(r.oppId) && r.corrects === undefined);
    const traded = mine.filter((r) => r.legs.length > 0);
    const [orders, stats] = await Promise.all([simOrders(sim), control<Stats>(sim, '/control/trading-stats')]);
    // Opportunities received after the kill and traded: their keys were taken on the new primary.
    const after = traded.filter((r) => r.timings.receivedTs > killedAt).sort((a, b) => (a.timings.ordersSentTs ?? 0) - (b.timings.ordersSentTs ?? 0));
    const resumedMs = after.length === 0 ? Number.NaN : (after[0]?.timings.ordersSentTs ?? 0) - killedAt;
    const resumedAt = Number.isNaN(resumedMs) ? Number.POSITIVE_INFINITY : killedAt + resumedMs;
    const outage = mine.filter((r) => {
      const p = publishedAt.get(r.oppId) ?? 0;
      return p >= killedAt - 500 && p <= resumedAt;
    });
    const outcomes = (rs: ExecutionReport[]): Record<string, number> =>
      rs.reduce<Record<string, number>>((m, r) => {
        const k = r.legs.length > 0 ? `traded:${r.status}` : `${r.status}:${(r.reason ?? '').split(':')[0]}`;
        return { ...m, [k]: (m[k] ?? 0) + 1 };
      }, {});
    const ackSkips = (await Promise.all(executors.map((e) => metricOf(e, 'executor_opportunities_skipped_total', 'reason="coordination-unavailable"')))).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `redis failover: new primary ${Math.round(promotedMs)} ms after SIGKILL, ` +
        `first trade on the new primary ${Math.round(resumedMs)} ms; opportunities ${opps.length}, traded ${traded.length} (${after.length} after the kill); ` +
        `published from 0.5 s before the kill to the resume: ${outage.length} → ${JSON.stringify(outcomes(outage))}; all: ${JSON.stringify(outcomes(mine))}; ` +
        `skipped coordination-unavailable (metric) ${ackSkips}; venues' max concurrent trades ${stats.maxConcurrentTrades} (limit ${LIMIT})\n`,
    );

    // Every opportunity journaled exactly once (nothing lost, nothing duplicated).
    expect(mine).toHaveLength(opps.length);
    expect(new Set(mine.map((r) => r.oppId)).size).toBe(opps.length);

    // No opportunity traded twice: per trade key at most one buy and one sell base order reached the venues.
    const baseOrders = new Map<string, number>();
    for (const o of orders) {
      const tag = o.clientOrderId.slice(o.clientOrderId.lastIndexOf('-') + 1);
      if (tag === 'b' || tag === 's') baseOrders.set(o.clientOrderId, (baseOrders.get(o.clientOrderId) ?? 0) + 1);
    }
    for (const r of traded) {
      const key = tradeKey(r.oppId);
      expect([baseOrders.get(`${key}-b`), baseOrders.get(`${key}-s`)]).toEqual([1, 1]);
    }
    expect(stats.orders).toBe(traded.reduce((n, r) => n + r.legs.length, 0));
    // The venues never saw more than LIMIT trades at once, failover included.
    expect(stats.maxConcurrentTrades).toBeLessThanOrEqual(LIMIT);
    expect(stats.maxConcurrentTrades).toBeGreaterThanOrEqual(2); // trades really overlapped
    // Trading resumed on the new primary.
    expect(after.length).toBeGreaterThan(0);
    // Fencing tokens stay unique across the failover (the counter was replicated with the leases).
    const tokens = traded.map((r) => r.fencingToken);
    expect(new Set(tokens).size).toBe(tokens.length);

    // No lease left behind once the work is done (expired ones of the outage included).
    const primary = await set.primary();
    expect(primary).toBeDefined();
    const deadline = Date.now() + 15_000;
    while (Number(await set.adminCall(primary!, ['ZCARD', redisKeys.semaphore('trades')])) !== 0 && Date.now() < deadline) await sleep(200);
    expect(await set.adminCall(primary!, ['ZCARD', redisKeys.semaphore('trades')])).toBe(0);
    for (const e of executors) expect(e.exit).toBeUndefined();
  }, 120_000);
});
