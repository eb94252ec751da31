import type { RedisOptions } from 'ioredis';
import { ConfigError } from '../errors';
import type { RedisSentinelSection } from '../config/redis-section';

/** How to reach Redis: a URL for one server, or ioredis options that find the primary through Sentinels. */
export type RedisConnection = { kind: 'url'; url: string } | { kind: 'sentinel'; options: RedisOptions; where: string };

/**
 * `redis.url` (+ `redis.sentinel` with nodes) → what ioredis connects with. With Sentinels the URL's user, password
 * and database are the data nodes' (ACL) login; TLS (`rediss://`) applies to the data nodes only.
 */
export function redisConnection(url: string, sentinel?: Pick<RedisSentinelSection, 'name' | 'nodes' | 'username' | 'password'>): RedisConnection {
  if (sentinel === undefined || sentinel.nodes.length === 0) return { kind: 'url', url };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ConfigError('redis.url is not a URL', [], { cause });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError(`redis.url must be redis:// or rediss://, not ${parsed.protocol}//`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^[0-9]+$/.test(db)) throw new ConfigError(`redis.url database must be a number, not ${JSON.stringify(db)}`);
  const sentinels = sentinel.nodes.map((n) => {
    const i = n.lastIndexOf(':');
    return { host: n.slice(0, i), port: Number(n.slice(i + 1)) };
  });
  const options: RedisOptions = {
    sentinels,
    name: sentinel.name,
    role: 'master',
    ...(parsed.username !== '' ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password !== '' ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    ...(sentinel.username !== '' ? { sentinelUsername: sentinel.username } : {}),
    ...(sentinel.password !== '' ? { sentinelPassword: sentinel.password } : {}),
    // Told by the Sentinels (+switch-master) of a failover: reconnect at once instead of on the next socket error.
    failoverDetector: true,
    // Keep the configured Sentinel list (no learning of addresses the Sentinels announce, e.g. in-pod addresses).
    updateSentinels: false,
  };
  return { kind: 'sentinel', options, where: `sentinel ${sentinel.name} via ${sentinel.nodes.join(',')}` };
}
