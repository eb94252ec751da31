import { redisKeys } from '@arb/contracts';
import { createLogger, createRedis, quitRedis, redisReady, type Redis } from '@arb/service-kit';
import { startRedisSentinel, type RedisSentinelHandle } from '@arb/testkit';
import { IdempotencyGuard, InventoryLedger, RedisSemaphore, ReplicaAck, ReplicaAckError, RouteLock } from '../src/coordination';
import { acquireAll, release, type AcquireResult } from '../src/pipeline/acquire';
import { shippedRedisRules } from './coordination-helpers';
import { makeOpportunity } from './stack';

const ACK = { replicas: 1, timeoutMs: 250 }; // the shipped redis.sentinel.ackReplicas / ackTimeoutMs

describe('executor replica check (WAIT) on a real Sentinel set, as the shipped executor user', () => {
  let set: RedisSentinelHandle;
  let redis: Redis;
  let n = 0;
  const recordKeys: string[] = [];

  beforeAll(async () => {
    set = await startRedisSentinel({ users: { executor: shippedRedisRules('executor') } });
    redis = createRedis({
      url: set.url('executor'),
      sentinel: { name: set.name, nodes: [...set.sentinelNodes], username: '', password: set.sentinelPassword },
      name: 'replica-ack-test',
      logger: createLogger({ name: 'replica-ack-test', level: 'silent' }),
      enableOfflineQueue: false,
      commandTimeoutMs: 2_000,
      extra: { enableAutoPipelining: true },
    });
    await redisReady(redis);
    await new InventoryLedger(redis).set('binance', 'USDT', '1000');
  }, 60_000);

  afterAll(async () => {
    if (redis !== undefined) await quitRedis(redis);
    await set?.stop();
  });

  const attempt = async (): Promise<{ got: AcquireResult; ms: number; holder: string }> => {
    n++;
    const opp = makeOpportunity({ id: `opp_ack_${process.pid}_${n}`, symbol: 'BTC-USDT', buyVenue: 'binance', sellVenue: 'coinbase', size: '0.001', buyLimit: '65000', sellLimit: '65100', ttlMs: 10_000 });
    const holder = `t-${n}`;
    const recordKey = `arb:inflight:test:${opp.id}`;
    recordKeys.push(recordKey);
    const started = Date.now();
    const got = await acquireAll(
      {
        idempotency: new IdempotencyGuard(redis),
        semaphore: new RedisSemaphore(redis, { name: 'ack-test', limit: 2, leaseMs: 10_000 }),
        routeLock: new RouteLock(redis),
        ledger: new InventoryLedger(redis),
        now: Date.now,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        replicaAck: new ReplicaAck(redis, ACK),
      },
      {
        opp, holder, executorId: 'ack-test', dedupTtlMs: 60_000, routeLockTtlMs: 10_000, waitUntil: 0, priority: 0,
        reservations: [{ venue: 'binance', asset: 'USDT', amount: '10' }],
        writeRecord: async () => {
          await redis.set(recordKey, '1');
        },
        dropRecord: () => redis.del(recordKey),
      },
    );
    return { got, ms: Date.now() - started, holder };
  };

  /** What is held in Redis right now: semaphore leases, route lock, reserved inventory, in-flight records. */
  const held = async (): Promise<{ leases: number; lock: number; reserved: string; records: number }> => {
    const inv = await new InventoryLedger(redis).get('binance', 'USDT');
    return {
      leases: await redis.zcard(redisKeys.semaphore('ack-test')),
      lock: await redis.exists(redisKeys.routeLock('BTC-USDT', 'binance', 'coinbase')),
      reserved: inv.reserved,
      records: await redis.exists(...recordKeys),
    };
  };

  it('with the replica up: the keys are held once the replica acknowledged them', async () => {
    const { got } = await attempt();
    expect(got.kind).toBe('ok');
    if (got.kind !== 'ok') return;
    expect(await held()).toEqual({ leases: 1, lock: 1, reserved: '10', records: 1 });
    // The replica has them too (WAIT answered): a failover now would not lose them.
    expect(await set.adminCall(set.nodes[1]!, ['ZCARD', redisKeys.semaphore('ack-test')])).toBe(1);
    await release({ ledger: new InventoryLedger(redis) }, { holder: got.held.lease.holder, reservations: [{ venue: 'binance', asset: 'USDT', amount: '10' }] }, got.held.lease, got.held.lock, true);
    await redis.del(...recordKeys);
    expect(await held()).toEqual({ leases: 0, lock: 0, reserved: '0', records: 0 });
  });

  it('with the replica down: released again and skipped as coordination-unavailable after ackTimeoutMs', async () => {
    const replica = set.nodes[1]!;
    await replica.stop();
    try {
      const { got, ms } = await attempt();
      expect(got).toMatchObject({ kind: 'skip', reason: 'coordination-unavailable', claimed: true });
      expect(got.kind === 'skip' ? got.error : undefined).toBeInstanceOf(ReplicaAckError);
      expect(String(got.kind === 'skip' ? (got.error as Error).message : '')).toContain('0 of 1 replicas');
      expect(ms).toBeGreaterThanOrEqual(ACK.timeoutMs);
      // Nothing stays taken: no lease, no route lock, no reservation, no in-flight record.
      expect(await held()).toEqual({ leases: 0, lock: 0, reserved: '0', records: 0 });
    } finally {
      await replica.start();
    }
    // Back: the replica resyncs and trading coordination works again.
    await set.waitSettled(1, 30_000);
    const { got } = await attempt();
    expect(got.kind).toBe('ok');
    if (got.kind === 'ok') await Promise.all([got.held.lease.release(), got.held.lock.release()]);
  }, 60_000);
});
