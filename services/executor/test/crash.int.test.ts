import { consumers, redisKeys, streams } from '@arb/contracts';
import { createLogger, createRedis, quitRedis, type Redis } from '@arb/service-kit';
import { startNats, startRedis, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { tradeKey } from '../src/ids';
import { HEARTBEAT_FIELD } from '../src/inflight/store';
import { control, crossingOpp, journal, publishOpp, simOrders, sleep, startExecutor, startSim, waitForReports, type SimProcess } from './stack';

const SLOW_ACK_MS = 1500;

describe('executor killed between sending orders and journaling', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let sim: SimProcess;
  const procs: ServiceProcess[] = [];
  let nc: NatsConnection;
  let js: JetStreamClient;
  let probe: Redis;
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
    probe = createRedis({ url: redis.url, name: 'probe', logger: createLogger({ name: 'probe', level: 'silent' }) });
  });

  afterAll(async () => {
    await nc?.close();
    if (probe !== undefined) await quitRedis(probe);
    await Promise.all(procs.map((p) => p.stop()));
    await sim?.proc.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  it('a new executor reconciles from the venues: exactly one report per opportunity, matching the sim', async () => {
    const first = await startExecutor(nats.url, redis.url, sim, env, 'executor-a');
    procs.push(first);
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
      if (Date.now() > end) throw new Error(`sim saw ${seen.length} orders`);
      await sleep(20);
    }
    const ids = new Set(opps.map((o) => o.id));
    expect((await journal(nc)).filter((r) => ids.has(r.oppId))).toEqual([]);
    const inflightBefore = await probe.hlen(redisKeys.inflight(executorIdOf(first)));
    expect(inflightBefore).toBe(opps.length + 1); // three records + the heartbeat
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
});

/** The executor id from the process's first log line that carries one. */
function executorIdOf(p: ServiceProcess): string {
  for (const line of p.lines()) {
    const m = /"executorId":"([^"]+)"/.exec(line);
    if (m?.[1] !== undefined) return m[1];
  }
  throw new Error('no executorId in the output');
}
