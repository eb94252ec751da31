import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createRateLimitedLog } from '../log/rate-limited-log';
import { redactUrlCredentials } from '../log/redact';
import { getOrCreateCounter } from '../metrics/registry';
import { withTimeout } from '../time';

export type { Redis } from 'ioredis';

export interface RedisClientOptions {
  /** `redis://[:password@]host:port[/db]`. */
  url: string;
  /** Client name (CLIENT SETNAME), e.g. `<service>-<instance>`; spaces are replaced. */
  name: string;
  logger: Logger;
  registry?: Registry;
  /** TCP connect timeout; default 2000 ms. */
  connectTimeoutMs?: number;
  /** Fail a command that got no reply in this time; default none. */
  commandTimeoutMs?: number;
  /**
   * false: commands fail at once while disconnected instead of queueing until reconnect (for callers that must not
   * block, e.g. a write-behind mirror). Default true.
   */
  enableOfflineQueue?: boolean;
  /** Attempts per command across reconnects before it fails; default 3 (null = forever). */
  maxRetriesPerRequest?: number | null;
  /** Upper bound of the reconnect back-off; default 2000 ms. */
  maxRetryDelayMs?: number;
  /** Do not connect until `connect()` is called; default false. */
  lazyConnect?: boolean;
  /** Any other ioredis options; applied last. */
  extra?: RedisOptions;
}

/**
 * An ioredis client that never crashes its process: `error` events are counted and logged (rate-limited), it
 * reconnects forever with capped exponential back-off and jitter, and connecting has a timeout.
 */
export function createRedis(opts: RedisClientOptions): Redis {
  const { logger } = opts;
  const where = redactUrlCredentials(opts.url);
  const maxDelay = opts.maxRetryDelayMs ?? 2_000;
  const client = new Redis(opts.url, {
    connectionName: opts.name.replace(/\s+/g, '_'),
    connectTimeout: opts.connectTimeoutMs ?? 2_000,
    ...(opts.commandTimeoutMs !== undefined ? { commandTimeout: opts.commandTimeoutMs } : {}),
    enableOfflineQueue: opts.enableOfflineQueue ?? true,
    maxRetriesPerRequest: opts.maxRetriesPerRequest === undefined ? 3 : opts.maxRetriesPerRequest,
    lazyConnect: opts.lazyConnect ?? false,
    retryStrategy: (times) => Math.min(maxDelay, 50 * 2 ** Math.min(times, 10)) * (0.8 + Math.random() * 0.4),
    ...(opts.extra ?? {}),
  });
  const errors =
    opts.registry === undefined
      ? undefined
      : getOrCreateCounter(opts.registry, { name: 'redis_errors_total', help: 'Redis client errors (connection and protocol)' });
  const rateLimited = createRateLimitedLog(logger, 10_000);
  let wasReady = false;
  client.on('error', (err: Error) => {
    errors?.inc();
    rateLimited('redis-error', { err, url: where }, 'Redis client error');
  });
  client.on('ready', () => {
    logger.info({ url: where, name: opts.name }, wasReady ? 'Redis reconnected' : 'connected to Redis');
    wasReady = true;
  });
  client.on('reconnecting', (delayMs: number) => {
    rateLimited('redis-reconnecting', { url: where, delayMs: Math.round(delayMs) }, 'Redis reconnecting');
  });
  return client;
}

/** QUIT (lets pending replies arrive), falling back to a hard disconnect after `timeoutMs`. Never throws. */
export async function quitRedis(client: Redis, timeoutMs = 2_000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await withTimeout(client.quit(), timeoutMs, 'Redis QUIT');
  } catch {
    client.disconnect();
  }
}
