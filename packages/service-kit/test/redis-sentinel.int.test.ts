import { startRedisSentinel, type RedisSentinelHandle } from '@arb/testkit';
import { createMetricsRegistry } from '../src/metrics/registry';
import { createRedis, quitRedis, redisReady, type Redis } from '../src/redis/create-redis';
import { memoryLogger, waitFor } from './helpers';

/** Sentinel timings of this test (the testkit defaults are 5 s / 60 s): a failover within seconds, not a minute. */
const DOWN_AFTER_MS = 1_000;
const FAILOVER_TIMEOUT_MS = 3_000;

describe('createRedis through Redis Sentinel (real primary, replica and 3 Sentinels)', () => {
  let set: RedisSentinelHandle;
  let client: Redis | undefined;
  const log = memoryLogger();

  beforeAll(async () => {
    process.stdout.write(`sentinel test: down-after ${DOWN_AFTER_MS} ms, failover-timeout ${FAILOVER_TIMEOUT_MS} ms (testkit defaults 5000 / 60000) for a quick failover\n`);
    set = await startRedisSentinel({ downAfterMs: DOWN_AFTER_MS, failoverTimeoutMs: FAILOVER_TIMEOUT_MS, users: { app: 'resetkeys ~t:* -@all +@connection +@read +@write +info' } });
  }, 60_000);

  afterAll(async () => {
    if (client !== undefined) await quitRedis(client, 500);
    await set?.stop();
  });

  it('finds the primary through the Sentinels and, after the primary is SIGKILLed, writes to the promoted replica', async () => {
    client = createRedis({
      url: set.url('app'),
      sentinel: { name: set.name, nodes: [...set.sentinelNodes], username: '', password: set.sentinelPassword },
      name: 'sentinel-test',
      logger: log.logger,
      registry: createMetricsRegistry({ service: 'sentinel-test', defaultMetrics: false }),
      maxRetryDelayMs: 100,
    });
    await redisReady(client);
    const [first, second] = set.nodes;
    expect(client.stream.remotePort).toBe(first!.port);
    await client.set('t:before', 'kept');
    // The write reached the replica before the crash (else asynchronous replication may lose it: not this test's point).
    expect(await client.wait(1, 1_000)).toBe(1);

    const killedAt = Date.now();
    await first!.kill();
    const promoted = await set.waitForPrimaryOtherThan(first!, 20_000);
    const promotedMs = Date.now() - killedAt;
    expect(promoted).toBe(second);
    // The same client object, no restart: it asked the Sentinels again and writes to the new primary.
    let answered = false;
    await waitFor(async () => {
      answered = await client!.set('t:after', 'new').then((r) => r === 'OK', () => false);
      return answered;
    }, 40_000, 'a write through the promoted primary').catch(async (e: unknown) => {
      // Say where things stood: the client's state, what the Sentinels name, each surviving node's role.
      const roles = await Promise.all(set.nodes.filter((n) => n !== first).map(async (n) => `${n.port}: ${JSON.stringify(await set.adminCall(n, ['ROLE']).catch((err: unknown) => String(err)))}`));
      const named = await set.primary().then((n) => n?.port, (err: unknown) => String(err));
      throw new Error(`${String(e)}; client status ${client!.status}; Sentinels name ${String(named)}; roles ${roles.join(' | ')}; last log lines (rate-limited): ${JSON.stringify(log.lines.slice(-10))}`);
    });
    const resumedMs = Date.now() - killedAt;
    expect(client.stream.remotePort).toBe(second!.port);
    expect(await client.get('t:before')).toBe('kept');
    expect(await set.adminCall(second!, ['GET', 't:after'])).toBe('new');
    process.stdout.write(`sentinel failover: new primary named ${promotedMs} ms after SIGKILL, client writing again after ${resumedMs} ms\n`);
    const text = JSON.stringify(log.lines);
    expect(text).toContain('Redis reconnected');
    expect(text).not.toContain(set.password('app'));
    expect(text).not.toContain(set.sentinelPassword);
  }, 90_000);
});
