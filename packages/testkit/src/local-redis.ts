import { requireBinary } from './binaries';
import { startLocalServer } from './local-server';
import { probeRedis } from './probes';
import type { RedisHandle, RedisOptions } from './types';

/** redis-server on a free port of 127.0.0.1, data dir in a temp dir, no RDB snapshots. */
export async function startLocalRedis(opts: RedisOptions = {}): Promise<RedisHandle> {
  const password = opts.password;
  const server = await startLocalServer({
    name: 'redis-server',
    binary: requireBinary('redis-server'),
    dirPrefix: 'arb-testkit-redis-',
    args: (port, dir) => [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', opts.appendonly === true ? 'yes' : 'no',
      '--dir', dir,
      ...(password === undefined ? [] : ['--requirepass', password]),
    ],
    probe: (host, port) => probeRedis(host, port, { timeoutMs: 1000, ...(password === undefined ? {} : { password }) }),
    url: (host, port) => redisUrl(host, port, password),
  });
  return Object.assign(server, { password });
}

export function redisUrl(host: string, port: number, password: string | undefined): string {
  return password === undefined ? `redis://${host}:${port}` : `redis://:${encodeURIComponent(password)}@${host}:${port}`;
}
