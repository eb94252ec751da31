import { redisKeys } from '@arb/contracts';
import { startRedis, type RedisHandle } from '@arb/testkit';
import { RedisSemaphore, type Lease } from '../src/coordination';
import { Clients, delay, strictlyIncreasing, until } from './coordination-helpers';

describe('RedisSemaphore (real Redis)', () => {
  let redis: RedisHandle;
  const clients = new Clients();

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await clients.closeAll();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('never exceeds the limit under heavy concurrency: 4 clients x 250 loops, no leaks', async () => {
    const LIMIT = 5;
    const ITERATIONS = 2;
    const conns = clients.make(redis.url, 4);
    const sems = conns.map((c) => new RedisSemaphore(c, { name: 'heavy', limit: LIMIT, leaseMs: 30_000 }));
    let inUse = 0;
    let maxSeen = 0;
    let acquired = 0;
    let serverMax = 0;
    const tokens: number[][] = sems.map(() => []);
    const loop = async (ci: number, li: number): Promise<void> => {
      const sem = sems[ci];
      if (sem === undefined) throw new Error('no semaphore');
      for (let k = 0; k < ITERATIONS; k++) {
        const lease = await sem.acquireWait(`c${ci}-l${li}-${k}`, 120_000);
        if (lease === null) throw new Error('no lease within the wait');
        tokens[ci]?.push(lease.token);
        inUse++;
        acquired++;
        maxSeen = Math.max(maxSeen, inUse);
        await delay(Math.random() * 2);
        inUse--;
        await lease.release();
      }
    };
    let sampling = true;
    const [watcher] = clients.make(redis.url, 1);
    const sampler = (async () => {
      const probe = new RedisSemaphore(watcher!, { name: 'heavy', limit: LIMIT, leaseMs: 30_000 });
      while (sampling) {
        serverMax = Math.max(serverMax, await probe.inUse(), await watcher!.zcard(redisKeys.semaphore('heavy')));
        await delay(2);
      }
    })();
    const started = Date.now();
    await Promise.all(sems.flatMap((_, ci) => Array.from({ length: 250 }, (_x, li) => loop(ci, li))));
    const elapsed = Date.now() - started;
    sampling = false;
    await sampler;

    expect(acquired).toBe(4 * 250 * ITERATIONS);
    expect(maxSeen).toBeLessThanOrEqual(LIMIT);
    expect(maxSeen).toBe(LIMIT); // the test really saturated the semaphore
    expect(serverMax).toBeLessThanOrEqual(LIMIT);
    expect(await conns[0]!.zcard(redisKeys.semaphore('heavy'))).toBe(0);
    expect(await sems[0]!.inUse()).toBe(0);
    const all = tokens.flat();
    expect(new Set(all).size).toBe(all.length);
    for (const perClient of tokens) expect(strictlyIncreasing(perClient)).toBe(true);
    console.log(`semaphore: ${acquired} leases by 1000 concurrent loops in ${elapsed} ms`);
  });

  it('reclaims an expired lease; a stale release or renew never touches the newer lease (fencing)', async () => {
    const c = clients.one(redis.url);
    const sem = new RedisSemaphore(c, { name: 'expiry', limit: 1, leaseMs: 300 });
    const a = await sem.acquire('A');
    expect(a).not.toBeNull();
    expect(await sem.acquire('B')).toBeNull();
    await delay(350);
    expect(a!.lost).toBe(true); // by the local clock
    const b = await sem.acquire('B');
    expect(b).not.toBeNull();
    expect(b!.token).toBeGreaterThan(a!.token);
    expect(await a!.renew()).toBe(false);
    await a!.release();
    expect(await c.zrange(redisKeys.semaphore('expiry'), 0, -1)).toEqual([`B|${b!.token}`]);
    expect(await sem.inUse()).toBe(1);
    await b!.release();

    // Same holder id, new lease: the old lease object can't remove or renew the new one.
    const old = await sem.acquire('C');
    await delay(350);
    const fresh = await sem.acquire('C');
    expect(fresh!.token).toBeGreaterThan(old!.token);
    expect(await old!.renew()).toBe(false);
    await old!.release();
    expect(await c.zrange(redisKeys.semaphore('expiry'), 0, -1)).toEqual([`C|${fresh!.token}`]);
    expect(await fresh!.renew()).toBe(true);
    await fresh!.release();
    expect(await sem.inUse()).toBe(0);
  });

  it('a renewal after expiry fails and removes the expired member', async () => {
    const c = clients.one(redis.url);
    const short = new RedisSemaphore(c, { name: 'late-renew', limit: 2, leaseMs: 200 });
    const long = new RedisSemaphore(c, { name: 'late-renew', limit: 2, leaseMs: 5_000 });
    const b = await long.acquire('B'); // keeps the zset alive past A's expiry
    const a = await short.acquire('A');
    expect(await c.pttl(redisKeys.semaphore('late-renew'))).toBeGreaterThan(4_000);
    await delay(250);
    expect(await c.zcard(redisKeys.semaphore('late-renew'))).toBe(2); // A expired but not reaped yet
    expect(await short.inUse()).toBe(1);
    expect(await a!.renew()).toBe(false);
    expect(a!.lost).toBe(true);
    expect(await c.zrange(redisKeys.semaphore('late-renew'), 0, -1)).toEqual([`B|${b!.token}`]);
    await b!.release();
  });

  it('an abandoned semaphore disappears once its last lease expired', async () => {
    const c = clients.one(redis.url);
    const sem = new RedisSemaphore(c, { name: 'abandoned', limit: 2, leaseMs: 150 });
    await sem.acquire('A');
    expect(await c.exists(redisKeys.semaphore('abandoned'))).toBe(1);
    await delay(200);
    expect(await c.exists(redisKeys.semaphore('abandoned'))).toBe(0);
    expect(await c.exists(redisKeys.semaphoreFence('abandoned'))).toBe(1); // the fence counter stays
  });

  it('acquire is idempotent per holder (a retried acquire does not take a second slot)', async () => {
    const c = clients.one(redis.url);
    const sem = new RedisSemaphore(c, { name: 'idem', limit: 2, leaseMs: 5_000 });
    const a1 = await sem.acquire('A');
    const a2 = await sem.acquire('A');
    expect(a2!.token).toBe(a1!.token);
    expect(await sem.inUse()).toBe(1);
    await a1!.release();
    expect(await sem.inUse()).toBe(0);
  });

  it('auto-renew keeps a lease beyond leaseMs and reports a lost lease', async () => {
    const c = clients.one(redis.url);
    const sem = new RedisSemaphore(c, { name: 'renew', limit: 1, leaseMs: 300 });
    const a = await sem.acquire('A');
    a!.startAutoRenew(80);
    await delay(800);
    expect(a!.lost).toBe(false);
    expect(await sem.acquire('B')).toBeNull();
    await a!.release();
    const b = await sem.acquire('B');
    expect(b).not.toBeNull();

    let lostCalls = 0;
    b!.startAutoRenew(50, () => lostCalls++);
    await c.del(redisKeys.semaphore('renew')); // the lease vanishes (e.g. data loss)
    await until('lost lease reported', () => lostCalls === 1, 2_000);
    expect(b!.lost).toBe(true);
    await delay(150);
    expect(lostCalls).toBe(1);
    await b!.release();
    expect(() => a!.startAutoRenew(400)).not.toThrow(); // released: no-op
    const d = await sem.acquire('D');
    expect(() => d!.startAutoRenew(300)).toThrow(RangeError);
    await d!.release();
  });

  it('acquireWait waits for a free slot and gives up after waitMs', async () => {
    const c = clients.one(redis.url);
    const sem = new RedisSemaphore(c, { name: 'wait', limit: 1, leaseMs: 5_000 });
    const a = await sem.acquire('A');
    let t = Date.now();
    expect(await sem.acquireWait('B', 120)).toBeNull();
    expect(Date.now() - t).toBeGreaterThanOrEqual(115);
    setTimeout(() => void a!.release(), 100);
    t = Date.now();
    const b = await sem.acquireWait('B', 2_000);
    expect(b).not.toBeNull();
    expect(Date.now() - t).toBeLessThan(1_000);
    await b!.release();
  });

  it('fencing tokens strictly increase, even after Redis lost all data', async () => {
    const c = clients.one(redis.url);
    const sem = new RedisSemaphore(c, { name: 'fence', limit: 3, leaseMs: 5_000 });
    const seen: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 20; i++) {
        const lease = await sem.acquire(`h${i}`);
        seen.push(lease!.token);
        await lease!.release();
      }
      await c.flushall();
      await c.script('FLUSH'); // also exercises the EVALSHA → EVAL fallback
    }
    expect(strictlyIncreasing(seen)).toBe(true);
    expect(seen.every((t) => Number.isSafeInteger(t))).toBe(true);
  });
});

describe('RedisSemaphore across Redis restarts', () => {
  const clients = new Clients();
  afterEach(async () => {
    await clients.closeAll();
  });

  it('without persistence: leases are lost, no deadlock, acquisitions resume, no leaks', async () => {
    const redis = await startRedis();
    try {
      const LIMIT = 3;
      const conns = clients.make(redis.url, 2);
      const sems = conns.map((c) => new RedisSemaphore(c, { name: 'restart', limit: LIMIT, leaseMs: 1_500 }));
      const held = await sems[0]!.acquire('long-holder');
      let heldLost = false;
      held!.startAutoRenew(100, () => {
        heldLost = true;
      });
      let running = true;
      let acquisitions = 0;
      let errors = 0;
      let maxServer = 0;
      const lastTokens: number[] = [];
      const worker = async (sem: RedisSemaphore, id: string): Promise<void> => {
        for (let k = 0; running; k++) {
          let lease: Lease | null = null;
          try {
            lease = await sem.acquireWait(`${id}-${k}`, 200);
            if (lease === null) continue;
            acquisitions++;
            lastTokens.push(lease.token);
            lease.startAutoRenew(200);
            await delay(10 + Math.random() * 30);
          } catch {
            errors++;
            await delay(20);
          } finally {
            await lease?.release().catch(() => errors++);
          }
        }
      };
      const workers = sems.flatMap((sem, si) => Array.from({ length: 10 }, (_, wi) => worker(sem, `s${si}w${wi}`)));
      await until('work before the restart', () => acquisitions >= 30);
      const tokenBefore = Math.max(...lastTokens);
      await redis.restart();
      const afterRestart = acquisitions;
      await until('the long lease reported lost', () => heldLost);
      await until('acquisitions after the restart', () => acquisitions >= afterRestart + 50);
      for (let i = 0; i < 20; i++) {
        maxServer = Math.max(maxServer, await sems[1]!.inUse());
        await delay(10);
      }
      running = false;
      await Promise.all(workers);
      await held!.release();

      expect(held!.lost).toBe(true);
      expect(maxServer).toBeLessThanOrEqual(LIMIT);
      expect(Math.max(...lastTokens)).toBeGreaterThan(tokenBefore);
      expect(await conns[0]!.zcard(redisKeys.semaphore('restart'))).toBe(0);
      console.log(`restart: ${acquisitions} acquisitions, ${errors} errors while Redis was down`);
    } finally {
      await clients.closeAll();
      await redis.stop();
    }
  });

  it('with AOF: leases survive the restart and expire by their TTL', async () => {
    const redis = await startRedis({ appendonly: true });
    try {
      const c = clients.one(redis.url);
      const sem = new RedisSemaphore(c, { name: 'aof', limit: 1, leaseMs: 1_500 });
      const dead = await sem.acquire('dead-holder'); // never renewed, never released
      const acquiredAt = Date.now();
      await redis.restart();
      expect(await sem.acquire('B')).toBeNull();
      expect(await sem.inUse()).toBe(1);
      const b = await sem.acquireWait('B', 5_000);
      expect(b).not.toBeNull();
      expect(Date.now() - acquiredAt).toBeGreaterThanOrEqual(1_400);
      expect(b!.token).toBeGreaterThan(dead!.token);
      await dead!.release(); // stale: must not remove B's lease
      expect(await sem.inUse()).toBe(1);
      await b!.release();
      expect(await c.zcard(redisKeys.semaphore('aof'))).toBe(0);
    } finally {
      await clients.closeAll();
      await redis.stop();
    }
  });
});
