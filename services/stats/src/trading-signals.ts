import { consumers, streams } from '@arb/contracts';
import { RuntimeConfigStore, withTimeout, type Logger, type RateLimitedLog, type Registry } from '@arb/service-kit';
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ExecutorProbe, StatsBook } from './stats-book';

/**
 * Asks JetStream about the executors' shared ARB_OPPS consumer. Ready while it has a pull request waiting: a
 * connected executor keeps one open (its consume() re-pulls as messages arrive, also while it is busy), and the server
 * drops the requests of a client that disconnects. Never throws: a failed probe is a not-ready answer with the error.
 */
export async function probeExecutor(jsm: JetStreamManager, timeoutMs: number): Promise<ExecutorProbe> {
  try {
    const info = await withTimeout(jsm.consumers.info(streams.opportunities.name, consumers.executor()), timeoutMs, 'executor consumer info');
    return { ready: info.num_waiting > 0, waiting: info.num_waiting, ackPending: info.num_ack_pending, error: null };
  } catch (err) {
    const missing = err instanceof JetStreamApiError && (err.code === JetStreamApiCodes.ConsumerNotFound || err.code === JetStreamApiCodes.StreamNotFound);
    return { ready: false, waiting: 0, ackPending: 0, error: missing ? 'no executor consumer on ARB_OPPS' : err instanceof Error ? err.message : String(err) };
  }
}

export interface TradingSignalsOptions {
  nc: NatsConnection;
  jsm: JetStreamManager;
  book: StatsBook;
  /** Executor probe and availability re-check interval. */
  probeMs: number;
  /** Availability is measured from the later of the first probe and `startedTs + warmupMs`. */
  startedTs: number;
  warmupMs: number;
  logger: Logger;
  registry: Registry;
  warn: RateLimitedLog;
  now(): number;
}

export interface TradingSignals {
  stop(): Promise<void>;
}

/**
 * Feeds the book's trading conditions that do not arrive as messages: the executor probe every `probeMs` (one at a
 * time) and the kill switch of arb_config (KV watch; opened again on the next tick if it could not be opened).
 * Starts measuring availability once both were checked and the warm-up is over (a service that just started has not
 * heard every venue's FeedStatus yet: not knowing is not downtime).
 */
export async function startTradingSignals(o: TradingSignalsOptions): Promise<TradingSignals> {
  let watch: { stop(): Promise<void> } | undefined;
  let stopped = false;
  const openWatch = async (): Promise<void> => {
    try {
      const store = await RuntimeConfigStore.open(o.nc, { logger: o.logger, registry: o.registry, timeoutMs: o.probeMs * 2 });
      let was: boolean | undefined;
      const w = await store.watch((cfg) => {
        if (cfg.killSwitch !== was) o.logger.info({ killSwitch: cfg.killSwitch, killReason: cfg.killReason }, 'kill switch read from arb_config');
        was = cfg.killSwitch;
        o.book.onKillSwitch(cfg.killSwitch, o.now());
      });
      if (stopped) await w.stop();
      else watch = w;
    } catch (err) {
      o.warn('kill-switch-watch', { err }, 'cannot read the kill switch (arb_config): trading counted as not possible until it can');
    }
  };
  let wasReady: boolean | undefined;
  let busy: Promise<void> | undefined;
  const tick = (): void => {
    if (busy !== undefined) {
      o.book.evaluate(o.now());
      return;
    }
    busy = (async () => {
      if (watch === undefined) await openWatch();
      const probe = await probeExecutor(o.jsm, o.probeMs * 2);
      if (probe.ready !== wasReady) {
        const { waiting, error } = probe;
        if (probe.ready) o.logger.info({ waiting }, 'executor taking opportunities');
        else o.logger.warn({ error }, 'no executor taking opportunities on ARB_OPPS: trading counted as not possible');
        wasReady = probe.ready;
      }
      o.book.onExecutorProbe(probe, o.now());
    })().finally(() => (busy = undefined));
  };
  tick();
  await busy;
  const warm = setTimeout(() => o.book.startAvailability(o.now()), Math.max(0, o.startedTs + o.warmupMs - o.now()));
  warm.unref();
  const timer = setInterval(tick, o.probeMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(warm);
      clearInterval(timer);
      await busy;
      await watch?.stop();
    },
  };
}
