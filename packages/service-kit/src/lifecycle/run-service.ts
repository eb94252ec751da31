import { hostname } from 'node:os';
import type { Level, Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Bus, BusOptions } from '../bus/bus';
import type { HttpServer, RouteHandler } from '../http/http-server';
import { createLogger } from '../log/logger';
import { createMetricsRegistry } from '../metrics/registry';
import type { Redis, RedisClientOptions } from '../redis/create-redis';
import { Lifecycle } from './lifecycle';
import { createServiceContext } from './service-context';

export interface ServiceContext {
  readonly name: string;
  /** `<hostname>-<pid>`, or `ARB_INSTANCE` when set: names this process's connections. */
  readonly instance: string;
  /** Change the level once config is loaded: `ctx.logger.level = cfg.log.level`. */
  readonly logger: Logger;
  readonly registry: Registry;
  readonly lifecycle: Lifecycle;
  setReady(ready: boolean): void;
  /** A service hook (phase `app`): runs before NATS is drained, in reverse registration order. */
  onShutdown(name: string, fn: () => unknown, timeoutMs?: number): void;
  /** Connects to NATS and drains the connection on shutdown (after the service hooks). */
  connectBus(opts: { url: string | string[] } & Partial<Pick<BusOptions, 'name' | 'connect' | 'invalidLogIntervalMs'>>): Promise<Bus>;
  /** Creates a Redis client, quit on shutdown (after NATS). Default name `<service>-<instance>`. */
  createRedis(opts: Omit<RedisClientOptions, 'logger' | 'registry' | 'name'> & { name?: string }): Redis;
  /** Serves /metrics, /healthz, /readyz (lifecycle readiness AND `ready`, if given); closed last on shutdown. */
  startHttp(opts: {
    host: string;
    port: number;
    routes?: Record<string, RouteHandler>;
    ready?: () => boolean | Promise<boolean>;
  }): Promise<HttpServer>;
}

export interface RunServiceOptions {
  logLevel?: Level;
  hookTimeoutMs?: number;
  shutdownTimeoutMs?: number;
  /** For tests of the wiring; default process.exit. */
  exit?: (code: number) => void;
}

/**
 * Runs a service process: creates logger, metrics registry and Lifecycle, installs signal handlers, and calls
 * `main`. If `main` throws, the error is logged and the process shuts down with exit code 1. Resolves with the
 * context once `main` has returned (the process keeps running on its open connections and timers).
 */
export async function runService(
  name: string,
  main: (ctx: ServiceContext) => void | Promise<void>,
  opts: RunServiceOptions = {},
): Promise<ServiceContext> {
  const instance = process.env.ARB_INSTANCE ?? `${hostname()}-${process.pid}`;
  const logger = createLogger({ name, level: opts.logLevel ?? 'info', base: { instance } });
  const registry = createMetricsRegistry({ service: name });
  const lifecycle = new Lifecycle({
    name,
    logger,
    registry,
    ...(opts.hookTimeoutMs !== undefined ? { hookTimeoutMs: opts.hookTimeoutMs } : {}),
    ...(opts.shutdownTimeoutMs !== undefined ? { shutdownTimeoutMs: opts.shutdownTimeoutMs } : {}),
    ...(opts.exit !== undefined ? { exit: opts.exit } : {}),
  });
  lifecycle.installSignalHandlers();
  const ctx = createServiceContext({ name, instance, logger, registry, lifecycle });

  try {
    await main(ctx);
  } catch (err) {
    logger.fatal({ err }, 'service failed to start');
    await lifecycle.shutdown('start-up failure', 1);
  }
  return ctx;
}
