import { redisKeys } from '@arb/contracts';
import { createLogger, createRedis, quitRedis, type Redis } from '@arb/service-kit';
import { startRedis, type RedisHandle } from '@arb/testkit';
import { RedisSemaphore, RouteLock } from '../src/coordination';
import { until } from './coordination-helpers';

/**
 * A release that meets a dropped connection (what the executor sees while Sentinel promotes a new primary) is given
 * again once the client is back, long before the slot or lock would expire by its TTL. The client is built as the
 * executor builds its own: no offline queue (commands fail at once while disconnected), 2 s command timeout.
 */
describe('a release that fails on a dropped connection is retried in the background (real Redis)', () => {
  let redis: RedisHandle;
  let client: Redis;
  let admin: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    const logger = createLogger({ name: 'release-retry-test', level: 'silent' });
    client = createRedis({ url: redis.url, name: 'release-retry', logger, enableOfflineQueue: false, commandTimeoutMs: 2_000, maxRetryDelayMs: 100 });
    admin = createRedis({ url: redis.url, name: 'release-retry-admin', logger });
    await until('client ready', () => client.status === 'ready');
  });
  afterAll(async () => {
    await Promise.all([quitRedis(client), quitRedis(admin)]);
    await redis.stop();
  });

  it('semaphore lease: the slot is free again within 2 s of the drop (lease 10 s)', async () => {
    const sem = new RedisSemaphore(client, { name: 'retry', limit: 1, leaseMs: 10_000 });
    const lease = await sem.acquire('A');
    expect(lease).not.toBeNull();
    const dropped = Date.now();
    client.disconnect(true);
    await expect(lease!.release()).rejects.toThrow();
    expect(await admin.zcard(redisKeys.semaphore('retry'))).toBe(1);
    await until('slot given back', async () => (await admin.zcard(redisKeys.semaphore('retry'))) === 0, 2_000);
    process.stdout.write(`release retry: lease given back ${Date.now() - dropped} ms after the connection dropped (lease 10000 ms)\n`);
    await until('client ready', () => client.status === 'ready');
    expect(await sem.acquire('B')).not.toBeNull();
  });

  it('route lock: the route is free again within 2 s of the drop (TTL 30 s); a late release never removes the next holder', async () => {
    const locks = new RouteLock(client);
    const a = await locks.tryLock('BTC-USDT', 'binance', 'coinbase', 'A', 30_000);
    expect(a).not.toBeNull();
    client.disconnect(true);
    await expect(a!.release()).rejects.toThrow();
    await until('route free', async () => (await admin.get(redisKeys.routeLock('BTC-USDT', 'binance', 'coinbase'))) === null, 2_000);

    // A lock taken by someone else after the failed release is untouched by that release's retries (compare-and-delete).
    await until('client ready', () => client.status === 'ready');
    const c = await locks.tryLock('ETH-USDT', 'binance', 'coinbase', 'C', 30_000);
    client.disconnect(true);
    await expect(c!.release()).rejects.toThrow();
    await admin.set(redisKeys.routeLock('ETH-USDT', 'binance', 'coinbase'), 'D|other', 'PX', 30_000);
    await until('client ready', () => client.status === 'ready');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await admin.get(redisKeys.routeLock('ETH-USDT', 'binance', 'coinbase'))).toBe('D|other');
  });
});
