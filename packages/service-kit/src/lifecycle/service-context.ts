import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { connectBus, type Bus, type BusOptions } from '../bus/bus';
import { startHttpServer, type HttpServer, type RouteHandler } from '../http/http-server';
import { createRedis, quitRedis, type Redis, type RedisClientOptions } from '../redis/create-redis';
import type { Lifecycle } from './lifecycle';

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

export interface ServiceContextParts {
  readonly name: string;
  readonly instance: string;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly lifecycle: Lifecycle;
}

/**
 * The context a service's start function gets: connections opened through it are closed by `lifecycle` on shutdown
 * (service hooks → NATS drain → Redis quit → HTTP close). `runService` builds it for a process; a test can build one
 * around its own Lifecycle to run a service's start function in-process.
 */
export function createServiceContext({ name, instance, logger, registry, lifecycle }: ServiceContextParts): ServiceContext {
  const connName = `${name}-${instance}`;
  return {
    name,
    instance,
    logger,
    registry,
    lifecycle,
    setReady: (ready) => lifecycle.setReady(ready),
    onShutdown: (hookName, fn, timeoutMs) => lifecycle.onShutdown(hookName, fn, timeoutMs !== undefined ? { timeoutMs } : {}),
    async connectBus(busOpts) {
      const bus = await connectBus({ name: connName, logger: logger.child({ component: 'bus' }), registry, ...busOpts });
      lifecycle.onShutdown('nats', () => bus.drain(), { phase: 'bus' });
      return bus;
    },
    createRedis(redisOpts) {
      const client = createRedis({ name: connName, ...redisOpts, logger: logger.child({ component: 'redis' }), registry });
      lifecycle.onShutdown('redis', () => quitRedis(client), { phase: 'redis' });
      return client;
    },
    async startHttp(httpOpts) {
      const extra = httpOpts.ready;
      const server = await startHttpServer({
        host: httpOpts.host,
        port: httpOpts.port,
        registry,
        logger,
        ...(httpOpts.routes !== undefined ? { routes: httpOpts.routes } : {}),
        ready: async () => lifecycle.isReady() && (extra === undefined || (await extra())),
      });
      lifecycle.onShutdown('http', () => server.close(), { phase: 'http' });
      logger.info({ url: server.url }, 'http server listening');
      return server;
    },
  };
}
