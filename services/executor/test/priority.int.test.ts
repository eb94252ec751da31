import type { Opportunity } from '@arb/contracts';
import { startNats, startRedis, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { tradeKey } from '../src/ids';
import { awayLimits, BookFeed, control, makeOpportunity, publishOpp, simOrders, startTradingExecutor, startSim, tops, until, waitForReports, type SimProcess } from './stack';

const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT'];
const PRICES: Record<string, string> = { 'BTC-USDT': '65000', 'ETH-USDT': '3500', 'SOL-USDT': '150', 'XRP-USDT': '0.5' };
const SIZES: Record<string, string> = { 'BTC-USDT': '0.001', 'ETH-USDT': '0.01', 'SOL-USDT': '0.1', 'XRP-USDT': '20' };
const SLOW_ACK_MS = 150;

/**
 * When opportunities compete for trade slots, the most profitable goes first (within one executor process). One slot
 * (the test's setting: with the default 5 the waiters would not queue), orders held SLOW_ACK_MS by the sim so each
 * trade holds the slot a while, waitMs raised so every waiter is served (default 200 ms): while a first trade holds the
 * slot, five opportunities on distinct routes arrive in an order unrelated to their expected profit.
 */
describe('slot order by expected profit', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let sim: SimProcess;
  let exec: ServiceProcess;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let feed: BookFeed | undefined;

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    sim = await startSim({ ARB__SIM__SYMBOLS: `[${SYMBOLS.map((s) => `{symbol: ${s}, startPrice: '${PRICES[s]}', volatilityBps: 1}`).join(', ')}]` });
    for (const venue of ['binance', 'coinbase']) {
      await control(sim, '/control/accounts', { venue, balances: { BTC: '100', ETH: '1000', SOL: '100000', XRP: '10000000', USDT: '100000000' } });
      await control(sim, '/control/trading-faults', { venue, faults: { slowAckMs: SLOW_ACK_MS } });
    }
    process.stdout.write('priority test: maxConcurrentTrades 1 and waitMs 3000 (defaults 5 and 200) so that waiters queue and are all served\n');
    exec = await startTradingExecutor(nats.url, redis.url, sim, {
      ARB__SYMBOLS: `[${SYMBOLS.join(', ')}]`,
      ARB__EXECUTOR__CONCURRENCY__MAX_CONCURRENT_TRADES: '1',
      ARB__EXECUTOR__CONCURRENCY__WAIT_MS: '3000',
    });
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    feed = await BookFeed.start(nc, sim, SYMBOLS);
  }, 60_000);

  afterAll(async () => {
    feed?.stop();
    await nc?.close();
    await exec?.stop();
    await sim?.proc.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  it('waiting opportunities take the slot in order of expected profit, not of arrival', async () => {
    const t = await tops(sim, SYMBOLS);
    const routes = SYMBOLS.flatMap((s) => [[s, 'binance', 'coinbase'], [s, 'coinbase', 'binance']] as const);
    const opp = (i: number, profitUsd: string): Opportunity => {
      const [symbol, buyVenue, sellVenue] = routes[i] as (typeof routes)[number];
      return { ...makeOpportunity({ symbol, buyVenue, sellVenue, size: SIZES[symbol] as string, ...awayLimits(t, symbol, buyVenue, sellVenue), ttlMs: 10_000 }), profitUsd, profitQuote: profitUsd };
    };
    const first = opp(0, '1');
    await publishOpp(js, first);
    await until('the first trade holds the slot', async () => ((await simOrders(sim, tradeKey(first.id))).length > 0 ? true : undefined), 10_000, 10);
    const profits = ['1.5', '9', '3', '7', '0.2'];
    const waiting = profits.map((p, i) => opp(i + 1, p));
    await Promise.all(waiting.map((o) => publishOpp(js, o)));
    const ids = new Set(waiting.map((o) => o.id));
    const reports = (await waitForReports(nc, (rs) => rs.filter((r) => ids.has(r.oppId)).length === waiting.length, 30_000)).filter((r) => ids.has(r.oppId));
    expect(reports.every((r) => r.legs.length === 2)).toBe(true);
    const bySent = [...reports].sort((a, b) => (a.timings.ordersSentTs ?? 0) - (b.timings.ordersSentTs ?? 0));
    const profitOf = (oppId: string): string => waiting.find((o) => o.id === oppId)?.profitUsd ?? '?';
    expect(bySent.map((r) => profitOf(r.oppId))).toEqual(['9', '7', '3', '1.5', '0.2']);
  }, 60_000);
});
