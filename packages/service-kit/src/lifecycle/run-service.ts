import { hostname } from 'node:os';
import type { Level } from 'pino';
import { createLogger } from '../log/logger';
import { createMetricsRegistry } from '../metrics/registry';
import { Lifecycle } from './lifecycle';
import { createServiceContext, type ServiceContext } from './service-context';

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
