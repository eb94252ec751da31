import { consumers, redisKeys, streams } from '@arb/contracts';
import { createLogger, createRedis, quitRedis, type Redis } from '@arb/service-kit';
import { startNats, startRedis, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { tradeKey } from '../src/ids';
import { HEARTBEAT_FIELD, STAMP_PREFIX } from '../src/inflight/store';
import Big from 'big.js';
import { BookFeed, control, crossingOpp, journal, makeOpportunity, publishOpp, simOrders, sleep, startExecutor, startSim, top, tradingReady, waitForReports, type SimProcess } from './stack';

const SLOW_ACK_MS = 1500;

describe('executor killed between sending orders and journaling', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let sim: SimProcess;
  const procs: ServiceProcess[] = [];
  let nc: NatsConnection;
  let js: JetStreamClient;
  let probe: Redis;
  let feed: BookFeed | undefined;
  const env = {
    ARB__EXECUTOR__ORDER_TIMEOUT_MS: '2500',
    ARB__EXECUTOR__LEG_RISK__MAX_ATTEMPTS: '1',
    ARB__EXECUTOR__CONSUMER__ACK_WAIT_MS: '5000',
  };

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    sim = await startSim();
    for (const venue of ['binance', 'coinbase']) await control(sim, '/control/trading-faults', { venue, faults: { slowAckMs: SLOW_ACK_MS } });
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    feed = await BookFeed.start(nc, sim);
    probe = createRedis({ url: redis.url, name: 'probe', logger: createLogger({ name: 'probe', level: 'silent' }) });
  });

  afterAll(async () => {
    feed?.stop();
    await nc?.close();
    if (probe !== undefined) await quitRedis(probe);
    await Promise.all(procs.map((p) => p.stop()));
    await sim?.proc.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  it('a new executor reconciles from the venues: exactly one report per opportunity, matching the sim', async () => {
    const first = await startExecutor(nats.url, redis.url, sim, env, 'executor-a');
    procs.push(first);
    // Ready is not yet trading: the admission gate skips (risk-stale) until the risk figures reached the journal's end.
    await tradingReady(first);
    const opps = [
      await crossingOpp(sim, { symbol: 'BTC-USDT', buyVenue: 'binance', sellVenue: 'coinbase', size: '0.003', marginBps: 40, ttlMs: 60_000 }),
      await crossingOpp(sim, { symbol: 'BTC-USDT', buyVenue: 'coinbase', sellVenue: 'binance', size: '0.003', marginBps: 40, ttlMs: 60_000 }),
      await crossingOpp(sim, { symbol: 'ETH-USDT', buyVenue: 'binance', sellVenue: 'coinbase', size: '0.05', marginBps: 40, ttlMs: 60_000 }),
    ];
    const keys = opps.map((o) => tradeKey(o.id));
    for (const o of opps) await publishOpp(js, o);

    // Orders are at the venues (held by slowAck), no report yet: crash now.
    const end = Date.now() + 10_000;
    for (;;) {
      const seen = (await Promise.all(keys.map((k) => simOrders(sim, k)))).flat();
      if (seen.length === 2 * opps.length) break;
      if (Date.now() > end) {
        // Say why: what the executor journaled for them (a skip names its reason) and what it logged last.
        const ids = new Set(opps.map((o) => o.id));
        const reports = (await journal(nc)).filter((r) => ids.has(r.oppId)).map((r) => `${r.status} ${r.reason ?? ''}`);
        throw new Error(`sim saw ${seen.length} orders; journal for them: [${reports.join('; ')}]; executor log tail:\n${first.lines().slice(-15).join('\n')}`);
      }
      await sleep(20);
    }
    const ids = new Set(opps.map((o) => o.id));
    expect((await journal(nc)).filter((r) => ids.has(r.oppId))).toEqual([]);
    const fields = await probe.hkeys(redisKeys.inflight(executorIdOf(first)));
    // three records, each with its owner stamp, + the heartbeat
    expect(fields.filter((f) => !f.startsWith('~')).sort()).toEqual(opps.map((o) => o.id).sort());
    expect(fields.filter((f) => f.startsWith(STAMP_PREFIX))).toHaveLength(opps.length);
    expect(fields).toContain(HEARTBEAT_FIELD);
    const routeLocks = opps.map((o) => redisKeys.routeLock(o.symbol, o.buy.venue, o.sell.venue));
    const leases = redisKeys.semaphore('trades');
    expect(await probe.exists(...routeLocks)).toBe(opps.length);
    expect(await probe.zcard(leases)).toBe(opps.length);
    await first.kill();

    const second = await startExecutor(nats.url, redis.url, sim, env, 'executor-b');
    procs.push(second);
    const reports = (await waitForReports(nc, (rs) => rs.filter((r) => ids.has(r.oppId)).length >= opps.length, 30_000)).filter((r) => ids.has(r.oppId));
    // The dead executor's route locks (TTL 30 s) and semaphore leases (10 s) are freed with its reconciled trades,
    // not left to block those routes and slots until they expire.
    const freed = Date.now() + 3000;
    while ((await probe.exists(...routeLocks)) + (await probe.zcard(leases)) > 0 && Date.now() < freed) await sleep(50);
    expect(await probe.exists(...routeLocks)).toBe(0);
    expect(await probe.zcard(leases)).toBe(0);

    // Let the crashed executor's unacked messages come back (ack wait) and be recognised as handled.
    const jsm = await jetstreamManager(nc);
    const settled = Date.now() + 40_000;
    for (;;) {
      const info = await jsm.consumers.info(streams.opportunities.name, consumers.executor());
      if (info.num_ack_pending === 0 && info.num_pending === 0) break;
      if (Date.now() > settled) throw new Error(`consumer still has ${info.num_ack_pending} unacked`);
      await sleep(250);
    }
    await sleep(500);

    const final = (await journal(nc)).filter((r) => ids.has(r.oppId));
    expect(final).toHaveLength(opps.length);
    expect(new Set(final.map((r) => r.oppId)).size).toBe(opps.length);
    expect(final.map((r) => r.id).sort()).toEqual(reports.map((r) => r.id).sort());
    for (const [i, o] of opps.entries()) {
      const r = final.find((x) => x.oppId === o.id);
      const orders = await simOrders(sim, keys[i]);
      // No order was sent twice; the report holds every order the venue knows, with its true fills and fees.
      expect(orders.map((x) => x.clientOrderId).sort()).toEqual([`${keys[i]}-b`, `${keys[i]}-s`]);
      expect(r?.legs.map((l) => l.clientOrderId).sort()).toEqual(orders.map((x) => x.clientOrderId).sort());
      for (const l of r?.legs ?? []) {
        const truth = orders.find((x) => x.clientOrderId === l.clientOrderId);
        expect([l.filledQty, l.fee, l.feeAsset]).toEqual([truth?.filledQty, truth?.fee, truth?.feeAsset]);
      }
      expect(r?.reason).toMatch(/^reconciled/);
      expect(r?.executorId).toBe(executorIdOf(second));
    }
    // The held orders executed after the crash: the reports carry real fills, not an assumed nothing.
    expect(final.every((r) => r.status === 'filled')).toBe(true);
    // Nothing is left in flight: the dead executor's key is gone, the new one holds only its heartbeat.
    expect(await probe.exists(redisKeys.inflight(executorIdOf(first)))).toBe(0);
    expect(await probe.hkeys(redisKeys.inflight(executorIdOf(second)))).toEqual([HEARTBEAT_FIELD]);
  }, 120_000);

  it('a one-legged trade left by a dead executor is closed by its replacement (hedge, then unwind) and journaled whole', async () => {
    for (const p of procs) await p.stop();
    const first = await startExecutor(nats.url, redis.url, sim, env, 'executor-c');
    procs.push(first);
    await tradingReady(first);
    const cross = await crossingOpp(sim, { symbol: 'BTC-USDT', buyVenue: 'binance', sellVenue: 'coinbase', size: '0.003', marginBps: 40, ttlMs: 60_000 });
    // The sell limit 0.8 % above Coinbase's bid (within the executor's 1 % book tolerance): that IOC expires unfilled
    // while the buy fills, so the trade is long at the crash.
    const bid = (await top(sim, 'coinbase', 'BTC-USDT')).bid[0];
    const opp = makeOpportunity({ symbol: 'BTC-USDT', buyVenue: 'binance', sellVenue: 'coinbase', size: '0.003', buyLimit: cross.buy.limitPrice, sellLimit: new Big(bid).times('1.008').round(2, 0).toFixed(2), ttlMs: 60_000 });
    const key = tradeKey(opp.id);
    await publishOpp(js, opp);
    const end = Date.now() + 10_000;
    while ((await simOrders(sim, key)).length < 2) {
      if (Date.now() > end) {
        const reports = (await journal(nc)).filter((r) => r.oppId === opp.id).map((r) => `${r.status} ${r.reason ?? ''}`);
        throw new Error(`the orders never reached the sim; journal for it: [${reports.join('; ')}]; executor log tail:\n${first.lines().slice(-15).join('\n')}`);
      }
      await sleep(20);
    }
    await first.kill();
    procs.push(await startExecutor(nats.url, redis.url, sim, env, 'executor-d'));
    const report = (await waitForReports(nc, (rs) => rs.some((r) => r.oppId === opp.id), 40_000)).find((r) => r.oppId === opp.id);

    expect(report?.reason).toMatch(/^reconciled/);
    // maxAttempts 1: one hedge (sell on coinbase near the unfillable limit: unfilled), then one unwind on binance.
    expect(report?.legs.map((l) => [l.role, l.clientOrderId])).toEqual([
      ['buy', `${key}-b`],
      ['sell', `${key}-s`],
      ['hedge', `${key}-h1`],
      ['unwind', `${key}-u1`],
    ]);
    expect(report?.status).toBe('unwound');
    const orders = await simOrders(sim, key);
    expect(orders.map((o) => o.clientOrderId).sort()).toEqual(report?.legs.map((l) => l.clientOrderId).sort());
    for (const l of report?.legs ?? []) {
      const truth = orders.find((o) => o.clientOrderId === l.clientOrderId);
      expect([l.filledQty, l.fee]).toEqual([truth?.filledQty, truth?.fee]);
    }
    expect(new Big(report?.legs[0]?.filledQty ?? '0').gt(0)).toBe(true);
    // What is left is below Binance's lot step (the buy's fee was charged in BTC): nothing a venue could trade.
    expect(new Big(report?.residualBase ?? '1').abs().lt('0.00001')).toBe(true);
  }, 120_000);
});

/** The executor id from the process's first log line that carries one. */
function executorIdOf(p: ServiceProcess): string {
  for (const line of p.lines()) {
    const m = /"executorId":"([^"]+)"/.exec(line);
    if (m?.[1] !== undefined) return m[1];
  }
  throw new Error('no executorId in the output');
}
