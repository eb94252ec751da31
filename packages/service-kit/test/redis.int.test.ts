import { startRedis } from '@arb/testkit';
import { createMetricsRegistry } from '../src/metrics/registry';
import { createRedis, quitRedis, redisReady, type Redis } from '../src/redis/create-redis';
import { memoryLogger, metricValue, waitFor } from './helpers';

type RedisServer = Awaited<ReturnType<typeof startRedis>>;

describe('createRedis (real redis-server)', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const registry = createMetricsRegistry({ service: 'redis-test', defaultMetrics: false });
  const log = memoryLogger();

  beforeAll(async () => {
    server = await startRedis({ password: 's3cret-pw' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => quitRedis(c, 500)));
    await server?.stop();
  });

  const client = (opts: { enableOfflineQueue?: boolean; name?: string } = {}): Redis => {
    const c = createRedis({ url: server.url, name: opts.name ?? 'redis test', logger: log.logger, registry, ...opts });
    clients.push(c);
    return c;
  };

  it('connects with its client name and logs the URL without the password', async () => {
    const c = client({ name: 'svc-a' });
    expect(await c.ping()).toBe('PONG');
    expect(await c.client('LIST')).toContain('name=svc-a ');
    const text = JSON.stringify(log.lines);
    expect(text).toContain('connected to Redis');
    expect(text).not.toContain('s3cret-pw');
  });

  it('survives a server outage: errors are counted and fail-fast commands reject at once instead of blocking', async () => {
    const doomed = await startRedis();
    const c = createRedis({ url: doomed.url, name: 'svc-b', logger: log.logger, registry, enableOfflineQueue: false });
    try {
      await redisReady(c);
      await c.set('k', '1');
      await doomed.stop();
      await waitFor(() => c.status !== 'ready', 5_000, 'disconnect');
      const started = Date.now();
      await expect(c.get('k')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(500);
      await waitFor(async () => (await metricValue(registry, 'redis_errors_total')) > 0, 5_000, 'an error event');
    } finally {
      await quitRedis(c, 500);
      await doomed.stop();
    }
    // No reconnect attempt after quitRedis (and ioredis' own socket-linger timer, 500 ms, has run out).
    let attempts = 0;
    c.on('connecting', () => attempts++);
    c.on('reconnecting', () => attempts++);
    await new Promise((r) => setTimeout(r, 700));
    expect(attempts).toBe(0);
  });

  it('reconnects by itself after a server restart', async () => {
    const c = client({ name: 'svc-r' });
    let readies = 0;
    c.on('ready', () => readies++);
    await redisReady(c);
    readies = 0;
    await server.restart();
    await waitFor(() => readies > 0 && c.status === 'ready', 10_000, 'reconnect');
    expect(await c.ping()).toBe('PONG');
    expect(log.lines.some((l) => l.msg === 'Redis reconnected')).toBe(true);
    expect(JSON.stringify(log.lines)).not.toContain('s3cret-pw');
  });

  it('quitRedis closes a client, and is safe on a closed one', async () => {
    const c = client({ name: 'svc-c' });
    await c.ping();
    await quitRedis(c);
    expect(c.status).toBe('end');
    await quitRedis(c);
  });
});
