import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createRateLimitedLog } from '../log/rate-limited-log';
import { redactUrlCredentials } from '../log/redact';
import { getOrCreateCounter } from '../metrics/registry';
import { withTimeout } from '../time';
import type { RedisSentinelSection } from '../config/redis-section';
import { redisConnection } from './connection';

export type { Redis } from 'ioredis';

export interface RedisClientOptions {
  /** `redis://[[user]:password@]host:port[/db]`. */
  url: string;
  /** `redis.sentinel`: with nodes, the primary is found (and followed across failovers) through the Sentinels. */
  sentinel?: Pick<RedisSentinelSection, 'name' | 'nodes' | 'username' | 'password'>;
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
 * An ioredis client (one server, or the primary the Sentinels name: see redisConnection) that never crashes its process: `error` events are counted and logged (rate-limited), it
 * reconnects forever with capped exponential back-off and jitter, and connecting has a timeout.
 */
export function createRedis(opts: RedisClientOptions): Redis {
  const { logger } = opts;
  const conn = redisConnection(opts.url, opts.sentinel);
  const where = conn.kind === 'url' ? redactUrlCredentials(conn.url) : conn.where;
  const maxDelay = opts.maxRetryDelayMs ?? 2_000;
  const common: RedisOptions = {
    connectionName: opts.name.replace(/\s+/g, '_'),
    connectTimeout: opts.connectTimeoutMs ?? 2_000,
    ...(opts.commandTimeoutMs !== undefined ? { commandTimeout: opts.commandTimeoutMs } : {}),
    enableOfflineQueue: opts.enableOfflineQueue ?? true,
    maxRetriesPerRequest: opts.maxRetriesPerRequest === undefined ? 3 : opts.maxRetriesPerRequest,
    lazyConnect: opts.lazyConnect ?? false,
    // How long a closing socket may linger before it is destroyed (ioredis' default is 2 s).
    disconnectTimeout: 500,
    retryStrategy: (times) => Math.min(maxDelay, 50 * 2 ** Math.min(times, 10)) * (0.8 + Math.random() * 0.4),
    ...(opts.extra ?? {}),
  };
  const client = conn.kind === 'url' ? new Redis(conn.url, common) : new Redis({ ...conn.options, ...common });
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
    const primary = conn.kind === 'sentinel' ? { primary: `${client.stream?.remoteAddress ?? '?'}:${client.stream?.remotePort ?? '?'}` } : {};
    logger.info({ url: where, name: opts.name, ...primary }, wasReady ? 'Redis reconnected' : 'connected to Redis');
    wasReady = true;
  });
  client.on('reconnecting', (delayMs: number) => {
    rateLimited('redis-reconnecting', { url: where, delayMs: Math.round(delayMs) }, 'Redis reconnecting');
  });
  return client;
}

/**
 * Resolves once the client is connected and ready (e.g. before using a client made with
 * `enableOfflineQueue: false`, whose commands fail while it is still connecting); rejects after `timeoutMs`.
 */
export async function redisReady(client: Redis, timeoutMs = 5_000): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait') void client.connect().catch(() => undefined);
  let onReady: (() => void) | undefined;
  try {
    await withTimeout(
      new Promise<void>((resolve) => {
        onReady = resolve;
        client.once('ready', resolve);
      }),
      timeoutMs,
      'Redis connection',
    );
  } finally {
    if (onReady !== undefined) client.off('ready', onReady);
  }
}

/**
 * Closes the client and resolves when it is closed; never throws. Ready: QUIT (pending replies still arrive), then
 * waits for the socket to end, falling back to a hard disconnect after `timeoutMs`. Connecting: disconnect.
 * Between reconnect attempts (server down): cancels the next attempt (ioredis then keeps status `reconnecting`).
 */
export async function quitRedis(client: Redis, timeoutMs = 2_000): Promise<void> {
  const status = client.status;
  if (status === 'end') return;
  if (status === 'reconnecting' || status === 'close' || status === 'wait') {
    client.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  if (status === 'ready') {
    try {
      await withTimeout(client.quit(), timeoutMs, 'Redis QUIT');
    } catch {
      client.disconnect();
    }
  } else {
    client.disconnect();
  }
  try {
    await withTimeout(ended, timeoutMs, 'Redis close');
  } catch {
    client.disconnect();
  }
  // QUIT ends the data connection only: with Sentinel, disconnect() also closes the failover detector's Sentinel
  // subscriptions (else they reconnect forever). Harmless on an ended one-server client.
  client.disconnect();
}
