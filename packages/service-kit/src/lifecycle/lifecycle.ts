import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ShutdownHookError } from '../errors';
import { getOrCreateCounter } from '../metrics/registry';
import { withTimeout } from '../time';

/** Shutdown runs phase by phase in this order; within a phase, hooks run in reverse registration order. */
export const SHUTDOWN_PHASES = ['app', 'bus', 'redis', 'http'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

export interface ShutdownHookOptions {
  /** Default `app` (service hooks: stop consuming, flush state). Resources use `bus`, `redis`, `http`. */
  phase?: ShutdownPhase;
  /** Default: the lifecycle's hookTimeoutMs. */
  timeoutMs?: number;
}

export interface LifecycleOptions {
  name: string;
  logger: Logger;
  registry?: Registry;
  /** Time limit of one hook; default 5000 ms. */
  hookTimeoutMs?: number;
  /** Time limit of the whole shutdown, then exit(1); default 25000 ms (below Kubernetes' 30 s grace period). */
  shutdownTimeoutMs?: number;
  /** How to end the process; default `process.exit`. */
  exit?: (code: number) => void;
}

interface Hook {
  name: string;
  fn: () => unknown;
  phase: ShutdownPhase;
  timeoutMs: number;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15 };

/**
 * Readiness and graceful shutdown of one process. On SIGTERM/SIGINT: readiness goes false, hooks run (phase `app`
 * in reverse order, then `bus` drain, `redis` quit, `http` close — so /readyz answers 503 until the very end), each
 * with a timeout; then the process exits 0, or 1 if a hook failed or timed out. A second signal exits at once.
 * Unhandled rejections are logged and counted; an uncaught exception logs and shuts down with exit code 1.
 */
export class Lifecycle {
  private readonly hooks: Hook[] = [];
  private ready = false;
  private shutdownPromise: Promise<number> | undefined;
  private installed = false;
  private readonly hookTimeoutMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly exit: (code: number) => void;
  private readonly listeners: Array<[string, (...args: unknown[]) => void]> = [];

  constructor(private readonly opts: LifecycleOptions) {
    this.hookTimeoutMs = opts.hookTimeoutMs ?? 5_000;
    this.shutdownTimeoutMs = opts.shutdownTimeoutMs ?? 25_000;
    this.exit = opts.exit ?? ((code) => process.exit(code));
  }

  isReady(): boolean {
    return this.ready && this.shutdownPromise === undefined;
  }

  /** Ignored once shutdown has begun (readiness never comes back). */
  setReady(ready: boolean): void {
    this.ready = ready;
  }

  get shuttingDown(): boolean {
    return this.shutdownPromise !== undefined;
  }

  onShutdown(name: string, fn: () => unknown, opts: ShutdownHookOptions = {}): void {
    this.hooks.push({ name, fn, phase: opts.phase ?? 'app', timeoutMs: opts.timeoutMs ?? this.hookTimeoutMs });
  }

  /** Installs SIGTERM/SIGINT, unhandledRejection and uncaughtException handlers (once). */
  installSignalHandlers(): void {
    if (this.installed) return;
    this.installed = true;
    const { logger } = this.opts;
    const rejections =
      this.opts.registry === undefined
        ? undefined
        : getOrCreateCounter(this.opts.registry, {
            name: 'process_unhandled_rejections_total',
            help: 'Promise rejections nobody handled (each one is a bug)',
          });
    this.listen('SIGTERM', () => this.handleSignal('SIGTERM'));
    this.listen('SIGINT', () => this.handleSignal('SIGINT'));
    this.listen('unhandledRejection', (reason: unknown) => {
      rejections?.inc();
      logger.error({ err: reason }, 'unhandled promise rejection');
    });
    this.listen('uncaughtException', (err: unknown) => {
      logger.fatal({ err }, 'uncaught exception');
      if (this.shuttingDown) return;
      void this.shutdown('uncaught exception', 1);
    });
  }

  removeSignalHandlers(): void {
    for (const [event, fn] of this.listeners) process.off(event, fn);
    this.listeners.length = 0;
    this.installed = false;
  }

  /** First signal: graceful shutdown. Second: exit at once with 128 + signal number. */
  handleSignal(signal: NodeJS.Signals): void {
    if (this.shuttingDown) {
      this.opts.logger.warn({ signal }, 'second signal during shutdown: exiting now');
      this.exit(128 + (SIGNAL_NUMBERS[signal] ?? 1));
      return;
    }
    this.opts.logger.info({ signal }, 'signal received: shutting down');
    void this.shutdown(signal);
  }

  /** Runs the shutdown sequence once (later calls return the same promise) and exits with its code. */
  shutdown(reason: string, exitCode = 0): Promise<number> {
    this.shutdownPromise ??= this.runShutdown(reason, exitCode);
    return this.shutdownPromise;
  }

  private async runShutdown(reason: string, exitCode: number): Promise<number> {
    const { logger } = this.opts;
    const started = Date.now();
    logger.info({ reason, service: this.opts.name }, 'shutdown started');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: this.shutdownTimeoutMs }, 'shutdown took too long: exiting');
      this.exit(1);
    }, this.shutdownTimeoutMs);
    deadline.unref();
    let failed = false;
    for (const phase of SHUTDOWN_PHASES) {
      const hooks = this.hooks.filter((h) => h.phase === phase).reverse();
      for (const hook of hooks) {
        try {
          await withTimeout(Promise.resolve().then(hook.fn), hook.timeoutMs, `shutdown hook ${hook.name}`);
          logger.debug({ hook: hook.name, phase }, 'shutdown hook done');
        } catch (cause) {
          failed = true;
          const err = new ShutdownHookError(hook.name, `shutdown hook ${hook.name} failed: ${(cause as Error).message}`, {
            cause,
          });
          logger.error({ err, hook: hook.name, phase }, 'shutdown hook failed');
        }
      }
    }
    clearTimeout(deadline);
    const code = exitCode !== 0 ? exitCode : failed ? 1 : 0;
    logger.info({ reason, code, ms: Date.now() - started }, 'shutdown complete');
    this.exit(code);
    return code;
  }

  private listen(event: string, listener: (...args: unknown[]) => void): void {
    process.on(event, listener);
    this.listeners.push([event, listener]);
  }
}
