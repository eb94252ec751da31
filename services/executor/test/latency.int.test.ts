import { startNats, startRedis, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { awayLimits, BookFeed, control, makeOpportunity, publishOpp, sleep, startTradingExecutor, startSim, tops, waitForReports, type SimProcess } from './stack';

const N = 300;
const MARKETS = [
  ['BTC-USDT', '65000', '0.001'],
  ['ETH-USDT', '3500', '0.01'],
  ['SOL-USDT', '150', '0.1'],
  ['XRP-USDT', '0.5', '20'],
] as const;
const ROUTES = MARKETS.flatMap(([symbol, price, size]) => [
  [symbol, 'binance', 'coinbase', price, size] as const,
  [symbol, 'coinbase', 'binance', price, size] as const,
]);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * Hot path "opportunity taken from the consumer → both orders handed to the venue clients" (report timings
 * receivedTs → ordersSentTs), excluding the exchange round trip. Opportunities are spaced over 8 routes and a busy
 * route is skipped, not waited for. Prints p50/p90/p99 and asserts no time bound (speed goals live in
 * `npm run bench -- --only executor`, measured against a baseline in the same run; test machines are shared).
 */
describe('executor hot path latency', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let sim: SimProcess;
  let exec: ServiceProcess;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let feed: BookFeed | undefined;

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    sim = await startSim({ ARB__SIM__SYMBOLS: `[${MARKETS.map(([s, p]) => `{symbol: ${s}, startPrice: '${p}', volatilityBps: 1}`).join(', ')}]` });
    for (const venue of ['binance', 'coinbase']) {
      await control(sim, '/control/accounts', { venue, balances: { BTC: '100', ETH: '1000', SOL: '100000', XRP: '10000000', USDT: '100000000' } });
    }
    // onBusy skip: an opportunity whose route is still busy is skipped, so every traded one was processed without waiting.
    exec = await startTradingExecutor(nats.url, redis.url, sim, { ARB__SYMBOLS: `[${MARKETS.map(([s]) => s).join(', ')}]`, ARB__EXECUTOR__CONCURRENCY__ON_BUSY: 'skip' }, 'executor-latency');
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    feed = await BookFeed.start(nc, sim, MARKETS.map(([s]) => s));
  }, 60_000);

  afterAll(async () => {
    feed?.stop();
    await nc?.close();
    await exec?.stop();
    await sim?.proc.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  it(`${N} opportunities: received → both orders sent`, async () => {
    const ids = new Set<string>();
    const t = await tops(sim, MARKETS.map(([s]) => s));
    for (let i = 0; i < N; i++) {
      const [symbol, buyVenue, sellVenue, , size] = ROUTES[i % ROUTES.length] as (typeof ROUTES)[number];
      // Off the market (50 bps on the side that cannot fill): each IOC expires at once (no fills, no leg risk).
      const opp = makeOpportunity({ symbol, buyVenue, sellVenue, size, ...awayLimits(t, symbol, buyVenue, sellVenue), ttlMs: 30_000 });
      ids.add(opp.id);
      await publishOpp(js, opp);
      await sleep(20);
    }
    const reports = (await waitForReports(nc, (rs) => rs.filter((r) => ids.has(r.oppId)).length >= N, 60_000)).filter((r) => ids.has(r.oppId));
    const traded = reports.filter((r) => r.timings.ordersSentTs !== null);
    const outcomes = reports.reduce<Record<string, number>>((m, r) => ({ ...m, [`${r.status}:${(r.reason ?? '').split(':')[0]}`]: (m[`${r.status}:${(r.reason ?? '').split(':')[0]}`] ?? 0) + 1 }), {});
    process.stdout.write(`outcomes: ${JSON.stringify(outcomes)}\n`);
    expect(traded.length).toBeGreaterThanOrEqual(N * 0.8);
    // The first trades warm up JIT, sockets and script caches: measure the steady state.
    const hot = traded.slice(20).map((r) => (r.timings.ordersSentTs as number) - r.timings.receivedTs).sort((a, b) => a - b);
    const p = { p50: quantile(hot, 0.5), p90: quantile(hot, 0.9), p99: quantile(hot, 0.99), max: hot[hot.length - 1] };
    process.stdout.write(`executor hot path (ms, n=${hot.length}): ${JSON.stringify(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Number(v?.toFixed(3))])))}\n`);
    // None of them waited for a busy slot or route (so receivedTs → ordersSentTs is processing time only).
    const url = /"url":"(http:[^"]+)","msg":"http server listening"/.exec(exec.lines().join('\n'))?.[1];
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(/^executor_busy_wait_ms_count\{[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? '0').toBe('0');
  }, 120_000);
});
