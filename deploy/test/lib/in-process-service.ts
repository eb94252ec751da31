import { hostname } from 'node:os';
import { createLogger, createMetricsRegistry, createServiceContext, Lifecycle, type Level, type ServiceContext } from '@arb/service-kit';

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
  const base = createServiceContext({ name, instance, logger, registry, lifecycle });
  const ctx: ServiceContext = {
    ...base,
    connectBus: (busOpts) => base.connectBus({ ...busOpts, connect: { ...(busOpts.connect ?? {}), user: nats.user, pass: nats.pass } }),
  };
  return {
    ctx,
    stop: async () => {
      await lifecycle.shutdown('test done');
    },
  };
}
