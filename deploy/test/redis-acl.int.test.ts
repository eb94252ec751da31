/**
 * The Redis configuration of the k8s base (ConfigMap redis-config: redis.conf, the users.acl template, render-acl.sh;
 * passwords from Secret arb-redis), taken from the rendered sim overlay, rendered by its own script and run by a real
 * redis-server. Each ACL user is probed with the client the services use (service-kit createRedis): its own keys and
 * commands work, other services' keys and the dangerous commands (FLUSHALL, FLUSHDB, CONFIG, DEBUG, KEYS, ACL, ...)
 * are refused, nothing works without logging in. The real detector and executor run against the same server as their
 * users in nats-permissions.int.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisKeys } from '@arb/contracts';
import { createLogger, createRedis, quitRedis, redisReady, type Redis } from '@arb/service-kit';
import { AclRedis, redisWiring } from './lib/acl-redis';
import { ManifestWorkspace, render } from './lib/render';

const logger = createLogger({ name: 'redis-acl-test', level: 'silent' });

/** The reply, or the error's first word (NOPERM, NOAUTH, WRONGPASS, ...). */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    const v = await p;
    return v === null ? 'nil' : 'ok';
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split(' ')[0] ?? 'error';
  }
}

describe('Redis ACL users of the k8s manifests, in a real redis-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arb-redis-acl-'));
  const ws = new ManifestWorkspace();
  let redis: AclRedis;
  let passwords: Record<string, string>;
  const clients: Redis[] = [];

  const client = async (user: string, password?: string): Promise<Redis> => {
    // healthcheck may not run INFO, ioredis' ready check.
    const extra = user === 'healthcheck' ? { enableReadyCheck: false } : {};
    const c = createRedis({ url: redis.url(user, password), name: `test-${user}`, logger, maxRetriesPerRequest: 0, maxRetryDelayMs: 100, extra });
    clients.push(c);
    await redisReady(c, 5000);
    return c;
  };

  beforeAll(async () => {
    const wiring = redisWiring(render(ws.overlay('sim')).objects);
    passwords = wiring.passwords;
    redis = await AclRedis.start(wiring.files, passwords, dir);
  }, 30_000);

  afterAll(async () => {
    for (const c of clients) await quitRedis(c);
    await redis?.stop();
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the rendered ACL file holds password hashes, never a password', () => {
    const acl = AclRedis.renderedAcl(dir);
    for (const pw of Object.values(passwords)) expect(acl).not.toContain(pw);
    // One hash per user of the template (arb-redis also holds the passwords of k8s/redis-sentinel, unused here).
    const users = [...AclRedis.renderedAcl(dir).matchAll(/^user (\S+) /gm)].map((m) => m[1] as string).filter((u) => u !== 'default');
    expect(users.sort()).toEqual(['admin', 'detector', 'executor', 'healthcheck']);
    expect(acl.match(/ #[0-9a-f]{64}$/gm)?.length).toBe(users.length);
    expect(users.every((u) => passwords[u] !== undefined)).toBe(true);
    expect(redis.renderOutput).toMatch(/5 users written/);
  });

  test('nothing without logging in; wrong passwords and unknown users are refused', async () => {
    const anonymous = createRedis({ url: `redis://127.0.0.1:${redis.port}`, name: 'anonymous', logger, maxRetriesPerRequest: 0, extra: { enableReadyCheck: false, connectionName: '' } });
    clients.push(anonymous);
    await redisReady(anonymous, 5000);
    expect(await outcome(anonymous.get('arb:book:binance:BTC-USDT'))).toBe('NOAUTH');
    expect(await outcome(anonymous.call('FLUSHALL'))).toBe('NOAUTH');
    for (const [user, pw] of [['detector', 'wrong'], ['nobody', passwords.admin as string], ['default', 'x']] as const) {
      const c = createRedis({ url: redis.url(user, pw), name: 'bad', logger, maxRetriesPerRequest: 0, lazyConnect: true, maxRetryDelayMs: 100 });
      clients.push(c);
      const errors: string[] = [];
      c.on('error', (e: Error) => errors.push(e.message));
      await c.connect().catch(() => undefined);
      c.disconnect();
      expect([user, errors.some((m) => /WRONGPASS|invalid username-password/.test(m))]).toEqual([user, true]);
    }
  });

  test('no service user (nor healthcheck) may flush, reconfigure, debug, list keys, change ACLs or shut the server down', async () => {
    const dangerous: [string, ...string[]][] = [
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['CONFIG', 'GET', '*'],
      ['CONFIG', 'SET', 'appendonly', 'no'],
      ['DEBUG', 'SLEEP', '0'],
      ['KEYS', '*'],
      ['ACL', 'LIST'],
      ['ACL', 'SETUSER', 'x', 'on', '>x', '+@all', '~*'],
      ['SHUTDOWN', 'NOSAVE'],
      ['BGREWRITEAOF'],
      ['SAVE'],
      ['CLIENT', 'KILL', 'TYPE', 'normal'],
      ['MONITOR'],
      ['SCRIPT', 'FLUSH'],
      ['SWAPDB', '0', '1'],
      ['MIGRATE', '127.0.0.1', '1', 'arb:book:x', '0', '100'],
    ];
    const admin = await client('admin');
    for (const user of ['detector', 'executor', 'healthcheck']) {
      const c = await client(user);
      const results = await Promise.all(dangerous.map(async ([cmd, ...args]): Promise<[string, string]> => [`${cmd} ${args.join(' ')}`.trim(), await outcome(c.call(cmd, ...args))]));
      // DEBUG is also off server-wide (enable-debug-command no: ERR); the ACL refuses it as well (DRYRUN below).
      expect([user, results.filter(([what, r]) => r !== 'NOPERM' && !(what.startsWith('DEBUG') && r === 'ERR'))]).toEqual([user, []]);
      const dry = await Promise.all(dangerous.map(async (argv) => [argv.join(' '), await admin.call('ACL', 'DRYRUN', user, ...argv)]));
      expect([user, dry.filter(([, r]) => r === 'OK')]).toEqual([user, []]);
    }
    // Still there: admin reads the server's configuration, the AOF is on.
    expect(await admin.call('CONFIG', 'GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  });

  test('detector: writes books, reads inventory; no other key, no write to inventory', async () => {
    const d = await client('detector');
    const book = redisKeys.book('binance', 'BTC-USDT');
    expect(await outcome(d.set(book, '{}', 'PX', 5000))).toBe('ok');
    expect(await d.get(book)).toBe('{}');
    const inv = redisKeys.inventory('binance', 'USDT');
    const admin = await client('admin');
    await admin.hset(inv, 'available', '1000', 'reserved', '0');
    expect(await d.hget(inv, 'available')).toBe('1000');
    expect(await outcome(d.hset(inv, 'available', '9999999'))).toBe('NOPERM');
    expect(await outcome(d.del(book))).toBe('NOPERM');
    for (const key of [redisKeys.semaphore('trades'), redisKeys.routeLock('BTC-USDT', 'binance', 'coinbase'), redisKeys.oppDone('abc'), redisKeys.inflight('executor-0')]) {
      expect([key, await outcome(d.set(key, 'x'))]).toEqual([key, 'NOPERM']);
      expect([key, await outcome(d.get(key))]).toEqual([key, 'NOPERM']);
    }
    expect(await outcome(d.eval("return redis.call('GET', KEYS[1])", 1, book))).toBe('NOPERM');
  });

  test('executor: its coordination keys (semaphore script, locks, idempotency, inventory, in-flight records), reads books; cannot write books', async () => {
    const e = await client('executor');
    const sem = redisKeys.semaphore('trades');
    // A script as the semaphore's: TIME and a sorted set, run with the executor's permissions.
    const acquired = await e.eval("local t = redis.call('TIME'); redis.call('ZADD', KEYS[1], t[1], ARGV[1]); return redis.call('ZCARD', KEYS[1])", 1, sem, 'holder');
    expect(acquired).toBe(1);
    const sha = (await e.script('LOAD', "return redis.call('INCR', KEYS[1])")) as string;
    expect(await e.evalsha(sha, 1, redisKeys.semaphoreFence('trades'))).toBe(1);
    expect(await outcome(e.set(redisKeys.routeLock('BTC-USDT', 'binance', 'coinbase'), 'x', 'PX', 1000, 'NX'))).toBe('ok');
    expect(await outcome(e.set(redisKeys.oppDone('abc'), 'x', 'PX', 1000, 'NX'))).toBe('ok');
    expect(await outcome(e.hset(redisKeys.inventory('coinbase', 'BTC'), 'available', '1'))).toBe('ok');
    expect(await outcome(e.hset(redisKeys.inflight('executor-0'), 't1', '{}'))).toBe('ok');
    const [, found] = await e.scan('0', 'MATCH', 'arb:inflight:*', 'COUNT', 100);
    expect(found).toContain(redisKeys.inflight('executor-0'));
    expect(await outcome(e.get(redisKeys.book('binance', 'BTC-USDT')))).not.toBe('NOPERM');
    expect(await outcome(e.set(redisKeys.book('binance', 'BTC-USDT'), 'forged'))).toBe('NOPERM');
    expect(await outcome(e.eval("return redis.call('SET', KEYS[1], 'forged')", 1, redisKeys.book('binance', 'BTC-USDT')))).toMatch(/^(NOPERM|ERR)$/);
    expect(await outcome(e.set('other:key', 'x'))).toBe('NOPERM');
    expect(await outcome(e.publish('arb', 'x'))).toBe('NOPERM');
  });

  test('healthcheck: PING only', async () => {
    const h = await client('healthcheck');
    expect(await h.ping()).toBe('PONG');
    expect(await outcome(h.get(redisKeys.book('binance', 'BTC-USDT')))).toBe('NOPERM');
    expect(await outcome(h.call('INFO'))).toBe('NOPERM');
  });

  test('every key the contracts build belongs to some service user (a new key prefix needs an ACL rule)', async () => {
    const admin = await client('admin');
    const samples: Record<keyof typeof redisKeys, string> = {
      book: redisKeys.book('binance', 'BTC-USDT'),
      semaphore: redisKeys.semaphore('trades'),
      semaphoreFence: redisKeys.semaphoreFence('trades'),
      routeLock: redisKeys.routeLock('BTC-USDT', 'binance', 'coinbase'),
      oppDone: redisKeys.oppDone('abc'),
      inventory: redisKeys.inventory('binance', 'USDT'),
      inflight: redisKeys.inflight('executor-0'),
    };
    const writers: Record<string, string[]> = {};
    for (const [name, key] of Object.entries(samples)) {
      writers[name] = [];
      for (const user of ['detector', 'executor']) {
        // DRYRUN answers OK, or (as a reply, not an error) why the user may not.
        if ((await admin.call('ACL', 'DRYRUN', user, 'SET', key, 'x')) === 'OK') writers[name]?.push(user);
      }
    }
    expect(writers).toEqual({
      book: ['detector'],
      semaphore: ['executor'],
      semaphoreFence: ['executor'],
      routeLock: ['executor'],
      oppDone: ['executor'],
      inventory: ['executor'],
      inflight: ['executor'],
    });
  });
});
