import { RedisMirror, type MirrorClient, type MirrorMetrics, type MirrorPipeline } from './redis-mirror';

/** A fake Redis: records SETs, can be "down", can hold a flush open, can fail a flush. */
class FakeRedis implements MirrorClient {
  status = 'ready';
  readonly store = new Map<string, { value: string; ttl: number }>();
  execs = 0;
  failNext = false;
  hold: { release: () => void } | undefined;
  holdNext = false;

  pipeline(): MirrorPipeline {
    const ops: Array<[string, string, number]> = [];
    return {
      set: (key, value, _px, ttl) => ops.push([key, value, ttl]),
      exec: async () => {
        this.execs++;
        if (this.holdNext) {
          this.holdNext = false;
          await new Promise<void>((release) => (this.hold = { release }));
        }
        if (this.failNext) {
          this.failNext = false;
          throw new Error('Connection is closed.');
        }
        for (const [k, v, ttl] of ops) this.store.set(k, { value: v, ttl });
        return ops.map((): [Error | null, unknown] => [null, 'OK']);
      },
    };
  }
}

function counters(): MirrorMetrics & { c: Record<string, number> } {
  const c: Record<string, number> = {};
  const add = (k: string, n = 1): void => {
    c[k] = (c[k] ?? 0) + n;
  };
  return {
    c,
    written: (n) => add('written', n),
    failed: (n) => add('failed', n),
    skipped: (r) => add(`skipped:${r}`),
    dropped: (r, n) => add(`dropped:${r}`, n),
    pending: (n) => (c.pending = n),
  };
}

describe('RedisMirror (write-behind, coalesced)', () => {
  let clock = 0;
  const setup = (maxPending = 100) => {
    const redis = new FakeRedis();
    const metrics = counters();
    const errors: unknown[] = [];
    const mirror = new RedisMirror<{ n: number }>({
      client: redis,
      ttlMs: 5000,
      flushIntervalMs: 50,
      maxPending,
      serialize: (v) => JSON.stringify(v),
      now: () => clock,
      metrics,
      onError: (e) => errors.push(e),
    });
    return { redis, metrics, mirror, errors };
  };
  beforeEach(() => (clock = 1_000_000));

  it('keeps only the latest value per key and writes everything in one pipeline per flush', async () => {
    const { redis, mirror, metrics } = setup();
    for (let n = 0; n < 100; n++) mirror.write(`k${n % 3}`, { n });
    expect(redis.execs).toBe(0);
    expect(mirror.pendingCount).toBe(3);
    await mirror.flush();
    expect(redis.execs).toBe(1);
    expect(redis.store.get('k0')).toEqual({ value: '{"n":99}', ttl: 5000 });
    expect(redis.store.get('k2')?.value).toBe('{"n":98}');
    expect(metrics.c.written).toBe(3);
    expect(mirror.pendingCount).toBe(0);
    await mirror.flush();
    expect(redis.execs).toBe(1);
  });

  it('holds values while Redis is down (no command sent) and writes the latest with the TTL left once it is back', async () => {
    const { redis, mirror, metrics } = setup();
    redis.status = 'reconnecting';
    mirror.write('a', { n: 1 });
    await mirror.flush();
    clock += 1000;
    mirror.write('a', { n: 2 });
    mirror.write('b', { n: 3 });
    clock += 1500;
    await mirror.flush();
    expect(redis.execs).toBe(0);
    expect(metrics.c['skipped:not-ready']).toBe(2);
    redis.status = 'ready';
    await mirror.flush();
    expect(redis.store.get('a')).toEqual({ value: '{"n":2}', ttl: 3500 });
    expect(redis.store.get('b')?.ttl).toBe(3500);
  });

  it('drops values that expired while Redis was down instead of resurrecting a dead book', async () => {
    const { redis, mirror, metrics } = setup();
    redis.status = 'connecting';
    mirror.write('dead', { n: 1 });
    clock += 4000;
    mirror.write('alive', { n: 2 });
    clock += 1500;
    redis.status = 'ready';
    await mirror.flush();
    expect([...redis.store.keys()]).toEqual(['alive']);
    expect(metrics.c['dropped:expired']).toBe(1);
  });

  it('bounds memory: new keys beyond maxPending are dropped, updates of held keys are kept', async () => {
    const { redis, mirror, metrics } = setup(2);
    redis.status = 'reconnecting';
    mirror.write('a', { n: 1 });
    mirror.write('b', { n: 1 });
    mirror.write('c', { n: 1 });
    mirror.write('a', { n: 2 });
    expect(mirror.pendingCount).toBe(2);
    expect(metrics.c['dropped:full']).toBe(1);
    redis.status = 'ready';
    await mirror.flush();
    expect(redis.store.get('a')?.value).toBe('{"n":2}');
    expect(redis.store.has('c')).toBe(false);
  });

  it('a failed flush puts back what was not superseded; the next flush retries it', async () => {
    const { redis, mirror, metrics, errors } = setup();
    mirror.write('a', { n: 1 });
    mirror.write('b', { n: 1 });
    redis.failNext = true;
    redis.holdNext = true;
    const first = mirror.flush();
    mirror.write('b', { n: 2 }); // arrives while the failing flush is in flight
    redis.hold?.release();
    await first;
    expect(metrics.c.failed).toBe(2);
    expect(errors).toHaveLength(1);
    expect(mirror.pendingCount).toBe(2);
    await mirror.flush();
    expect(redis.store.get('a')?.value).toBe('{"n":1}');
    expect(redis.store.get('b')?.value).toBe('{"n":2}');
  });

  it('never runs two flushes at once (a slow Redis holds one flush, later ticks are skipped)', async () => {
    const { redis, mirror, metrics } = setup();
    mirror.write('a', { n: 1 });
    redis.holdNext = true;
    const first = mirror.flush();
    mirror.write('a', { n: 2 });
    void mirror.flush();
    void mirror.flush();
    expect(redis.execs).toBe(1);
    expect(metrics.c['skipped:in-flight']).toBe(2);
    redis.hold?.release();
    await first;
    await mirror.flush();
    expect(redis.execs).toBe(2);
    expect(redis.store.get('a')?.value).toBe('{"n":2}');
  });

  it('flushes on its timer and once more on stop', async () => {
    jest.useFakeTimers();
    try {
      const { redis, mirror } = setup();
      mirror.start();
      mirror.write('a', { n: 1 });
      await jest.advanceTimersByTimeAsync(60);
      expect(redis.store.get('a')?.value).toBe('{"n":1}');
      mirror.write('a', { n: 2 });
      await mirror.stop();
      expect(redis.store.get('a')?.value).toBe('{"n":2}');
      mirror.write('a', { n: 3 });
      await jest.advanceTimersByTimeAsync(200);
      expect(redis.store.get('a')?.value).toBe('{"n":2}');
    } finally {
      jest.useRealTimers();
    }
  });
});
