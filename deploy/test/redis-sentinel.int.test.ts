/**
 * The Redis Sentinel topology of the manifests (the sim overlay with the Component k8s/redis-sentinel), run in real
 * redis-server processes: the rendered files (base's redis.conf, users.acl and render-acl.sh; the component's
 * replication.acl, sentinel.conf template and its scripts) started by the component's own scripts (redis-node.sh,
 * sentinel.sh) with the rendered passwords as files, three data nodes and three Sentinels on 127.0.0.1. Checked:
 * replication runs as the user replication, the Sentinels watch the primary as the user sentinel and require their
 * password, each service user can do its work and nothing dangerous, the services' configuration (loaded from the
 * rendered arb-env the way a service loads it) finds the primary through the Sentinels, and after a SIGKILL of the
 * primary a replica is promoted, a client configured like the executor writes to it (with WAIT for a replica), and the
 * old primary restarted by its script rejoins as a replica.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisKeys } from '@arb/contracts';
import { createLogger, createRedis, loadConfig, quitRedis, redisReady, type Redis } from '@arb/service-kit';
import { parseInfo } from '@arb/testkit';
import { redisWiring } from './lib/acl-redis';
import { objAt } from './lib/json';
import { nameOf, type K8sObject } from './lib/k8s-object';
import { ManifestWorkspace, render, ROOT } from './lib/render';
import { DetectorConfig } from '../../services/detector/src/config';
import { ExecutorConfig } from '../../services/executor/src/config';
import { SentinelRedis, type ScriptedServer, type SentinelFiles } from './lib/sentinel-redis';
import { withRedisSentinel } from './lib/redis-sentinel-overlay';

const logger = createLogger({ name: 'redis-sentinel-test', level: 'silent' });

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    const v = await p;
    return v === null ? 'nil' : 'ok';
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split(' ')[0] ?? 'error';
  }
}

describe('the Redis Sentinel topology of the manifests, in real redis-server processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arb-redis-sentinel-'));
  const ws = new ManifestWorkspace();
  let set: SentinelRedis;
  let objects: K8sObject[] = [];
  let passwords: Record<string, string> = {};
  let arbEnv: Record<string, string> = {};
  const clients: Redis[] = [];

  /** A service's configuration as it loads it in the cluster: config/, the arb-env ConfigMap, its own env. */
  const serviceConfig = (user: 'detector' | 'executor'): { redis: ExecutorConfig['redis'] } => {
    const env: Record<string, string> = {
      ...arbEnv,
      ARB__REDIS__URL: `redis://${user}:${passwords[user] ?? ''}@redis:6379`,
      ARB__REDIS__SENTINEL__PASSWORD: passwords.sentinels ?? '',
    };
    return user === 'executor' ? loadConfig(ExecutorConfig, { dir: join(ROOT, 'config'), env }) : loadConfig(DetectorConfig, { dir: join(ROOT, 'config'), env });
  };

  /** The client a service makes from that configuration, with the Sentinel addresses of this host. */
  const serviceClient = async (user: 'detector' | 'executor'): Promise<Redis> => {
    const { redis } = serviceConfig(user);
    const c = createRedis({ url: redis.url, sentinel: { ...redis.sentinel, nodes: set.sentinelNodes }, name: `test-${user}`, logger, maxRetryDelayMs: 200 });
    clients.push(c);
    await redisReady(c, 10_000);
    return c;
  };

  beforeAll(async () => {
    objects = render(withRedisSentinel(ws, 'sim')).objects;
    const wiring = redisWiring(objects);
    passwords = wiring.passwords;
    const cm = (prefix: string): Record<string, string> => {
      const o = objects.find((x) => x.kind === 'ConfigMap' && nameOf(x).startsWith(`${prefix}-`));
      if (o === undefined) throw new Error(`no ConfigMap ${prefix}`);
      return Object.fromEntries(Object.entries(objAt(o, 'data') ?? {}).map(([k, v]) => [k, String(v)]));
    };
    const own = cm('redis-sentinel-config');
    arbEnv = cm('arb-env');
    const files: SentinelFiles = {
      replicationAcl: String(own['replication.acl']),
      lib: String(own['lib.sh']),
      nodeScript: String(own['redis-node.sh']),
      sentinelScript: String(own['sentinel.sh']),
      sentinelTemplate: String(own['sentinel.conf']),
    };
    set = await SentinelRedis.start(wiring.files, files, passwords, dir);
    await set.waitSettled(2, 60_000);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => quitRedis(c)));
    await set?.stop();
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('replication runs as the user replication, which may do nothing else; the user sentinel may do what Sentinel needs and touch no key', async () => {
    const [primary, ...replicas] = set.nodes as [ScriptedServer, ...ScriptedServer[]];
    expect(await set.primary()).toBe(primary);
    for (const r of replicas) {
      const info = parseInfo(await r.call(['INFO', 'replication']));
      expect([r.name, info.get('role'), info.get('master_port'), info.get('master_link_status')]).toEqual([r.name, 'slave', String(primary.port), 'up']);
      expect(await r.call(['CONFIG', 'GET', 'masteruser'])).toEqual(['masteruser', 'replication']);
    }
    // The replication user replicates and does nothing else.
    const replication = set.nodes[0] as ScriptedServer;
    const dry = async (user: string, ...argv: string[]): Promise<unknown> => replication.call(['ACL', 'DRYRUN', user, ...argv]);
    expect(await dry('replication', 'PSYNC', '?', '-1')).toBe('OK');
    for (const argv of [['GET', 'arb:inv:x'], ['SET', 'arb:book:x', 'y'], ['FLUSHALL'], ['CONFIG', 'SET', 'appendonly', 'no'], ['SLAVEOF', 'NO', 'ONE']]) {
      expect([argv.join(' '), await dry('replication', ...argv)]).toEqual([argv.join(' '), expect.stringMatching(/^This user has no permissions/)]);
    }
    // The sentinel user: what Sentinel needs to watch and fail over, no keys, no FLUSHALL.
    for (const argv of [['SLAVEOF', 'NO', 'ONE'], ['INFO'], ['CONFIG', 'REWRITE'], ['ROLE'], ['PUBLISH', '__sentinel__:hello', 'x'], ['CLIENT', 'KILL', 'TYPE', 'normal']]) {
      expect([argv.join(' '), await dry('sentinel', ...argv)]).toEqual([argv.join(' '), 'OK']);
    }
    for (const argv of [['GET', 'arb:inv:x'], ['SET', 'arb:sem:trades', 'x'], ['FLUSHALL'], ['FLUSHDB'], ['CONFIG', 'SET', 'appendonly', 'no'], ['DEBUG', 'SLEEP', '0'], ['KEYS', '*']]) {
      expect([argv.join(' '), await dry('sentinel', ...argv)]).toEqual([argv.join(' '), expect.stringMatching(/^This user has no permissions/)]);
    }
  });

  test('every Sentinel watches the primary and both replicas as the user sentinel and answers only with its password', async () => {
    for (const s of set.sentinels) {
      const m = await s.call(['SENTINEL', 'MASTER', 'arb']);
      const f = new Map<string, string>();
      if (Array.isArray(m)) for (let i = 0; i + 1 < m.length; i += 2) f.set(String(m[i]), String(m[i + 1]));
      expect([s.name, f.get('flags'), f.get('num-slaves'), f.get('num-other-sentinels'), f.get('quorum')]).toEqual([s.name, 'master', '2', '2', '2']);
      // Known by name (resolve-hostnames, announce-hostnames), as pods and containers are.
      expect([s.name, f.get('ip')]).toEqual([s.name, 'localhost']);
      const addr = await s.call(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'arb']);
      expect([s.name, addr]).toEqual([s.name, ['localhost', String(set.nodes[0]?.port)]]);
      await expect(s.call(['PING']).then(() => 'ok')).resolves.toBe('ok');
    }
    const { respCall } = await import('@arb/testkit');
    const s0 = set.sentinels[0] as ScriptedServer;
    await expect(respCall('127.0.0.1', s0.port, [['SENTINEL', 'MASTERS']])).rejects.toThrow(/NOAUTH/);
    await expect(respCall('127.0.0.1', s0.port, [['AUTH', 'wrong'], ['PING']])).rejects.toThrow(/WRONGPASS|invalid/);
    // The primary sees the Sentinels logged in as the user sentinel.
    const clientsList = String(await (set.nodes[0] as ScriptedServer).call(['CLIENT', 'LIST']));
    expect(clientsList).toMatch(/ user=sentinel /);
    expect(clientsList).toMatch(/ flags=S .* user=replication /);
  });

  test("the services' configuration from the rendered arb-env: three Sentinels, their password, ackReplicas 1; each service user does its work, no FLUSHALL", async () => {
    const { redis } = serviceConfig('executor');
    expect(redis.sentinel.nodes).toEqual([0, 1, 2].map((i) => `redis-sentinel-${i}.redis-sentinel:26379`));
    expect([redis.sentinel.name, redis.sentinel.password, redis.sentinel.ackReplicas]).toEqual(['arb', passwords.sentinels, 1]);
    const executor = await serviceClient('executor');
    const detector = await serviceClient('detector');
    expect(executor.stream?.remotePort).toBe(set.nodes[0]?.port);
    const sem = redisKeys.semaphore('trades');
    expect(await executor.eval("local t = redis.call('TIME'); redis.call('ZADD', KEYS[1], t[1], ARGV[1]); return redis.call('ZCARD', KEYS[1])", 1, sem, 'holder')).toBe(1);
    // The executor's WAIT after taking its keys (ackReplicas 1): a replica acknowledges.
    expect(Number(await executor.call('WAIT', String(redis.sentinel.ackReplicas), String(redis.sentinel.ackTimeoutMs)))).toBeGreaterThanOrEqual(1);
    expect(await outcome(detector.set(redisKeys.book('binance', 'BTC-USDT'), '{}', 'PX', 5000))).toBe('ok');
    expect(await outcome(detector.set(sem, 'x'))).toBe('NOPERM');
    for (const c of [executor, detector]) {
      for (const cmd of [['FLUSHALL'], ['FLUSHDB'], ['CONFIG', 'SET', 'appendonly', 'no'], ['REPLICAOF', 'NO', 'ONE'], ['SLAVEOF', 'NO', 'ONE']] as const) {
        expect([cmd.join(' '), await outcome(c.call(cmd[0], ...cmd.slice(1)))]).toEqual([cmd.join(' '), 'NOPERM']);
      }
    }
  });

  test('SIGKILL of the primary: a replica is promoted, the executor client writes to it, the old primary rejoins as a replica', async () => {
    const executor = await serviceClient('executor');
    const old = (await set.primary()) as ScriptedServer;
    const key = redisKeys.inventory('binance', 'USDT');
    await executor.hset(key, 'available', '1000');
    expect(Number(await executor.call('WAIT', '1', '5000'))).toBeGreaterThanOrEqual(1);
    await old.kill();
    const promoted = await set.waitSettled(1, 60_000, old);
    expect(set.nodes.filter((n) => n !== old)).toContain(promoted);
    // The same client, never told: it follows the Sentinels to the new primary and writes there.
    const deadline = Date.now() + 30_000;
    let wrote = 'not yet';
    while (Date.now() < deadline) {
      wrote = await outcome(executor.hset(key, 'reserved', '25'));
      if (wrote === 'ok' && executor.stream?.remotePort === promoted.port) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect([wrote, executor.stream?.remotePort]).toEqual(['ok', promoted.port]);
    expect(await promoted.call(['HGET', key, 'available'])).toBe('1000');
    expect(await promoted.call(['HGET', key, 'reserved'])).toBe('25');
    expect(Number(await executor.call('WAIT', '1', '5000'))).toBeGreaterThanOrEqual(1);
    // Restarted by its own script: it asks the Sentinels and comes back as a replica of the new primary.
    await old.start();
    await set.waitSettled(2, 60_000, old);
    const info = parseInfo(await old.call(['INFO', 'replication']));
    expect([info.get('role'), info.get('master_port')]).toEqual(['slave', String(promoted.port)]);
    expect(old.lines.some((l) => new RegExp(`names localhost:${promoted.port} primary of arb`).test(l))).toBe(true);
  }, 180_000);
});
