import { hostname } from 'node:os';
import {
  connectBus,
  createLogger,
  createMetricsRegistry,
  createRedis,
  Lifecycle,
  quitRedis,
  startHttpServer,
  type Level,
  type ServiceContext,
} from '@arb/service-kit';

export interface InProcessService {
  readonly ctx: ServiceContext;
  /** Runs the service's shutdown hooks (its own, then NATS drain, Redis quit, HTTP close). */
  stop(): Promise<void>;
}

/**
 * The ServiceContext `runService` gives a service, for running its start function (startDetector, startExecutor,
 * startStats) inside a test process: no signal handlers, no process exit, shutdown on `stop()`. Its NATS
 * connections log in as `nats.user` — the way a pod of k8s/ would, with the user and password of its NATS account.
 */
export function inProcessService(name: string, nats: { user: string; pass: string }, level: Level | 'silent' = 'error'): InProcessService {
  const instance = `${hostname()}-${process.pid}-${name}`;
  const logger = createLogger({ name, level, base: { instance } });
  const registry = createMetricsRegistry({ service: name });
  const lifecycle = new Lifecycle({ name, logger, registry, exit: () => undefined });
  const connName = `${name}-${instance}`;
  const ctx: ServiceContext = {
    name,
    instance,
    logger,
    registry,
    lifecycle,
    setReady: (ready) => lifecycle.setReady(ready),
    onShutdown: (hookName, fn, timeoutMs) => lifecycle.onShutdown(hookName, fn, timeoutMs !== undefined ? { timeoutMs } : {}),
    async connectBus(busOpts) {
      const bus = await connectBus({
        name: connName,
        logger: logger.child({ component: 'bus' }),
        registry,
        ...busOpts,
        connect: { ...(busOpts.connect ?? {}), user: nats.user, pass: nats.pass },
      });
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
      return server;
    },
  };
  return {
    ctx,
    stop: async () => {
      await lifecycle.shutdown('test done');
    },
  };
}
