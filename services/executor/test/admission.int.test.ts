import { redisKeys, streams, type ExecutionReport, type Opportunity } from '@arb/contracts';
import { createLogger, createRedis, quitRedis, type Redis } from '@arb/service-kit';
import { startNats, startRedis, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { tradeKey } from '../src/ids';
import { BookFeed, control, crossingOpp, makeOpportunity, metricOf, publishOpp, simOrders, sleep, startTradingExecutor, startSim, top, until, waitForReports, type SimProcess } from './stack';

/**
 * What the executor refuses before anything is sent, through the real process against exchange-sim (books fed from
 * the sim's true books): a venue that bans / rate-limits us, an opportunity whose prices are forged, a replay of an old
 * opportunity with a rewritten expiry. Shipped defaults throughout.
 */
describe('executor admission against exchange-sim', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let sim: SimProcess;
  let exec: ServiceProcess;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let feed: BookFeed | undefined;
  let probe: Redis;

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    sim = await startSim();
    exec = await startTradingExecutor(nats.url, redis.url, sim);
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    feed = await BookFeed.start(nc, sim);
    probe = createRedis({ url: redis.url, name: 'probe', logger: createLogger({ name: 'probe', level: 'silent' }) });
  });

  afterAll(async () => {
    feed?.stop();
    if (probe !== undefined) await quitRedis(probe);
    await nc?.close();
    await exec?.stop();
    await sim?.proc.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  afterEach(async () => {
    for (const venue of ['binance', 'coinbase']) await control(sim, '/control/trading-faults', { venue, reset: true });
  });

  const reportOf = async (oppId: string): Promise<ExecutionReport> => (await waitForReports(nc, (rs) => rs.some((r) => r.oppId === oppId))).find((r) => r.oppId === oppId) as ExecutionReport;
  const ordersOf = async (opps: readonly Opportunity[]): Promise<number> => (await Promise.all(opps.map((o) => simOrders(sim, tradeKey(o.id))))).flat().length;

  it.each([
    ['binance', 418, 3],
    ['coinbase', 429, 2],
  ] as const)('while %s refuses us (%i, Retry-After %i s) no trade is sent there; trading resumes once it answers again', async (venue, status, retryAfterS) => {
    await control(sim, '/control/trading-faults', { venue, faults: { refuseStatus: status, refuseRetryAfterS: retryAfterS } });
    const opps: Opportunity[] = [];
    for (let i = 0; i < 8; i++) {
      const o = await crossingOpp(sim, { buyVenue: i % 2 === 0 ? 'binance' : 'coinbase', sellVenue: i % 2 === 0 ? 'coinbase' : 'binance', size: '0.002', marginBps: 20 });
      opps.push(o);
      await publishOpp(js, o);
      await sleep(150);
    }
    const reports = await waitForReports(nc, (rs) => opps.every((o) => rs.some((r) => r.oppId === o.id)));
    const mine = reports.filter((r) => opps.some((o) => o.id === r.oppId));
    const traded = mine.filter((r) => r.legs.length > 0);
    // The first trade learns of the refusal (its leg there is refused, the other is unwound); the rest are skipped.
    expect(traded.length).toBeLessThanOrEqual(1);
    expect(mine.filter((r) => r.status === 'skipped' && r.reason?.startsWith(`venue-unavailable: ${venue} ${status === 418 ? 'banned' : 'rate-limited'}`)).length).toBeGreaterThanOrEqual(opps.length - 1);
    for (const r of traded) expect(Math.abs(Number(r.residualBase))).toBeLessThan(0.0001);
    expect(await metricOf(exec, 'executor_venue_available', `venue="${venue}"`)).toBe(0);

    // The venue answers again: after its Retry-After and a successful authenticated read, trading resumes.
    await control(sim, '/control/trading-faults', { venue, reset: true });
    await until(`${venue} available again`, async () => ((await metricOf(exec, 'executor_venue_available', `venue="${venue}"`)) === 1 ? true : undefined), (retryAfterS + 10) * 1000);
    const after = await crossingOpp(sim, { size: '0.002', marginBps: 20 });
    await publishOpp(js, after);
    expect((await reportOf(after.id)).legs.length).toBe(2);
  }, 60_000);

  it('an opportunity whose limits are off the book is refused: a forged buy limit cannot hide a 2 BTC sale', async () => {
    const { bid } = await top(sim, 'coinbase', 'BTC-USDT');
    const forged = makeOpportunity({ symbol: 'BTC-USDT', buyVenue: 'binance', sellVenue: 'coinbase', size: '2', buyLimit: '10', sellLimit: '10', ttlMs: 500 });
    await publishOpp(js, forged);
    const r = await reportOf(forged.id);
    expect(r).toMatchObject({ status: 'skipped', legs: [] });
    expect(r.reason).toMatch(/^book-deviation: buy limit 10 vs binance ask/);
    // Limits within the tolerance but a size whose notional at the book is over maxNotionalPerTrade (10,000 USD).
    const big = await crossingOpp(sim, { size: '0.2', marginBps: 20 });
    await publishOpp(js, big);
    expect((await reportOf(big.id)).reason).toMatch(/^risk-notional: notional 1\d{4}\.\d\d USD/);
    await sleep(300);
    expect(await ordersOf([forged, big])).toBe(0);
    expect(Number(bid[0])).toBeGreaterThan(1000); // (the book the forgery was checked against)
  });

  it('a replay after the de-dup marker is gone is refused by its age; the marker outlives the journal duplicate window', async () => {
    const opp = await crossingOpp(sim, { size: '0.002', marginBps: 20 });
    await publishOpp(js, opp);
    const first = await reportOf(opp.id);
    expect(first.legs.length).toBe(2);
    // By construction: the marker lives longer than ARB_EXECS would drop a second report of this trade as a duplicate.
    const dupWindowMs = ((await (await jetstreamManager(nc)).streams.info(streams.executions.name)).config.duplicate_window ?? 0) / 1e6;
    expect(await probe.pttl(redisKeys.oppDone(opp.id))).toBeGreaterThan(dupWindowMs);
    // The marker gone (as after its TTL), the same message replayed with its expiry rewritten an hour ahead.
    await probe.del(redisKeys.oppDone(opp.id));
    await sleep(2_100); // older than admission.maxOpportunityAgeMs (2 s)
    const expiredBefore = await metricOf(exec, 'executor_opportunities_expired_total');
    await publishOpp(js, { ...opp, expiresTs: Date.now() + 3_600_000 }, `${opp.id}-replay`);
    await until('the replay handled', async () => ((await metricOf(exec, 'executor_opportunities_expired_total')) > expiredBefore ? true : undefined));
    await sleep(300);
    expect(await ordersOf([opp])).toBe(2);
    const journaled = (await waitForReports(nc, () => true)).filter((r) => r.oppId === opp.id);
    expect(journaled.map((r) => r.status)).toEqual([first.status]);
  });
});
