import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { subjects, validators } from '@arb/contracts';
import { createRateLimitedLog, nowMs, provisionJetStream, replicatedSpec, redisReady, sleep, type ServiceContext } from '@arb/service-kit';
import type { VenueTradingClient } from '@arb/venues';
import { Repeater } from './background';
import type { ExecutorConfig } from './config';
import { IdempotencyGuard, InventoryLedger, RedisSemaphore, RouteLock } from './coordination';
import { inflightRecordValidator } from './inflight/record';
import { InflightStore } from './inflight/store';
import { seedInventory } from './inventory-sync';
import { Journal } from './journal';
import { createExecutorMetrics } from './metrics';
import { BookSource } from './paper/book-source';
import type { ExecutorDeps, ExecutorSettings } from './pipeline/context';
import { ensureExecutorConsumer, startOpportunityConsumer } from './pipeline/consumer';
import { TradeExecutor } from './pipeline/trade-executor';
import { Reconciler } from './reconcile/reconciler';
import { startRisk } from './risk/risk-wiring';
import { RuntimeConfigState } from './runtime/runtime-config';
import { OrderTracker } from './trade/order-tracker';
import { UsdRates } from './trade/usd';
import { createTradingClients } from './venues/clients';
import { FeeTable, InstrumentTable } from './venues/instruments';

/** `<host>-<pid>-<random>` made of token characters, or the configured id. */
export function resolveExecutorId(configured: string): string {
  if (configured !== '') return configured;
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * Wires the executor: NATS (JetStream provisioning, shared pull consumer, KV runtime config, journal), Redis
 * (coordination, in-flight records), venue trading clients; reconciles what dead executors left in flight BEFORE
 * consuming; then trades. Shutdown: stop consuming (running trades finish), stop background work, stop clients.
 */
export async function startExecutor(ctx: ServiceContext, cfg: ExecutorConfig): Promise<void> {
  const x = cfg.executor;
  const executorId = resolveExecutorId(x.id);
  const log = ctx.logger.child({ executorId });
  const warn = createRateLimitedLog(log, 5_000);
  const metrics = createExecutorMetrics(ctx.registry);
  let stopping = false;

  const bus = await ctx.connectBus({ url: cfg.nats.url, name: `executor-${executorId}` });
  await provisionJetStream(bus.nc, replicatedSpec(cfg.nats.replicas));
  const consumerSettings = { ...x.consumer, ackWaitMs: Math.max(x.consumer.ackWaitMs, x.orderTimeoutMs * (2 + 2 * x.legRisk.maxAttempts) + 5_000) };
  await ensureExecutorConsumer(await bus.jetstreamManager(), consumerSettings);
  const redis = ctx.createRedis({ url: cfg.redis.url, enableOfflineQueue: false, commandTimeoutMs: 2_000, extra: { enableAutoPipelining: true } });
  await redisReady(redis, 10_000);

  const books = cfg.mode === 'paper' ? new BookSource() : undefined;
  if (books !== undefined) bus.subscribe(subjects.books(), validators.BookSnapshot, (b) => books.update(b));
  const clients: Map<string, VenueTradingClient> = createTradingClients(cfg, {
    env: process.env,
    ...(books !== undefined ? { books } : {}),
    now: nowMs,
    sleep,
    onError: (venue, err) => warn(`venue:${venue}:${err.name}`, { venue, err }, 'venue client error'),
  });
  const tracker = new OrderTracker();
  for (const c of clients.values()) tracker.attach(c);
  ctx.onShutdown('venue-clients', async () => {
    tracker.detachAll();
    await Promise.allSettled([...clients.values()].map((c) => c.stop()));
  });
  await Promise.all([...clients.values()].map((c) => c.start()));
  const { table: instruments, failures } = await InstrumentTable.load(clients, cfg.symbols);
  for (const f of failures) log.warn({ venue: f.venue, err: f.error }, 'instrument rules unavailable (hedge orders are not rounded)');

  const ledger = new InventoryLedger(redis);
  if (x.inventory.enabled && x.inventory.syncFromVenues) {
    const n = await seedInventory(redis, ledger, clients, cfg.symbols);
    if (n > 0) log.info({ entries: n }, 'inventory ledger seeded from venue balances');
  }

  const runtime = new RuntimeConfigState(bus.nc, {
    executorId,
    logger: log.child({ component: 'runtime-config' }),
    registry: ctx.registry,
    onChange: (c) => {
      metrics.killSwitch.set(c.killSwitch ? 1 : 0);
      log.info({ killSwitch: c.killSwitch, reason: c.killReason, params: c.params }, 'runtime config applied');
    },
  });
  await runtime.start();
  ctx.onShutdown('runtime-config', () => runtime.stop());

  const usd = new UsdRates(cfg.markets.usdPegs);
  const risk = await startRisk({ ctx, bus, cfg, metrics, runtime, log, warn });

  let sem: RedisSemaphore | null = null;
  const semaphore = (): RedisSemaphore | null => {
    const limit = runtime.current?.params.maxConcurrentTrades ?? x.concurrency.maxConcurrentTrades;
    if (limit <= 0) return null;
    if (sem?.limit !== limit) sem = new RedisSemaphore(redis, { name: x.concurrency.semaphoreName, limit, leaseMs: x.concurrency.leaseMs });
    return sem;
  };

  const inflight = new InflightStore(redis, executorId);
  await inflight.heartbeat(x.inflight.heartbeatTtlMs);
  const heartbeat = new Repeater(x.inflight.heartbeatMs, () => inflight.heartbeat(x.inflight.heartbeatTtlMs), (err) => {
    metrics.redisErrors.labels('heartbeat').inc();
    warn('heartbeat', { err }, 'in-flight heartbeat failed');
  });
  heartbeat.start();
  const journal = new Journal(bus, {
    ...x.journal,
    keepTrying: () => !stopping,
    sleep,
    onRetry: (err) => {
      metrics.journalRetries.inc();
      warn('journal', { err }, 'journal publish failed; retrying');
    },
  });
  const active = new Set<string>();
  const settings: ExecutorSettings = {
    executorId,
    dedupTtlMs: x.dedupTtlMs,
    orderTimeoutMs: x.orderTimeoutMs,
    pollIntervalMs: x.pollIntervalMs,
    leaseRenewIntervalMs: Math.min(x.concurrency.renewIntervalMs, Math.floor(x.concurrency.leaseMs / 3)),
    routeLockTtlMs: x.concurrency.routeLockTtlMs,
    onBusy: x.concurrency.onBusy,
    busyWaitMs: x.concurrency.waitMs,
    inventoryEnabled: x.inventory.enabled,
    legRisk: x.legRisk,
  };
  const routeLock = new RouteLock(redis);
  const reconciler = new Reconciler({
    executorId, store: inflight, clients, journal, ledger, semaphore, routeLock, instruments, usd, legRisk: x.legRisk,
    tracker, orderTimeoutMs: x.orderTimeoutMs, pollIntervalMs: x.pollIntervalMs, sleep, active, metrics, warn, now: nowMs,
  });
  const found = await reconciler.sweep();
  log.info({ reconciled: found }, 'start-up reconciliation done');
  const seed = async (): Promise<void> => {
    if (!x.inventory.enabled || !x.inventory.syncFromVenues) return;
    const n = await seedInventory(redis, ledger, clients, cfg.symbols);
    if (n > 0) log.warn({ entries: n }, 'inventory ledger entries were missing (Redis data lost?): seeded from venue balances');
  };
  const sweeper = new Repeater(x.inflight.sweepIntervalMs, async () => {
    await reconciler.sweep();
    await seed();
  }, (err) => warn('sweep', { err }, 'in-flight sweep failed'));
  sweeper.start();
  const leaseGauge = new Repeater(1_000, async () => metrics.leasesInUse.set((await semaphore()?.inUse()) ?? 0), () => undefined);
  leaseGauge.start();
  ctx.onShutdown('background', async () => {
    await Promise.all([sweeper.stop(), leaseGauge.stop()]);
    await heartbeat.stop();
    // Nothing left in flight: remove our key (heartbeat included); otherwise others reconcile it after the TTL.
    if ((await inflight.own().catch(() => null))?.size === 0) await redis.del(inflight.key).catch(() => undefined);
  });

  const deps: ExecutorDeps = {
    settings, clients, tracker, instruments, fees: new FeeTable(cfg.markets.venues), usd, semaphore,
    routeLock, ledger, idempotency: new IdempotencyGuard(redis), inflight, journal, runtime, risk, active, metrics, warn,
    now: nowMs, sleep,
    onReport: (r, stored) => {
      if (!stored) return;
      metrics.trades.labels(r.status).inc();
      metrics.realizedPnlUsd.inc(Number(r.realizedPnlUsd));
      const line = { oppId: r.oppId, status: r.status, reason: r.reason, pnlUsd: r.realizedPnlUsd, residualBase: r.residualBase };
      if (r.legs.length > 0) log.info(line, 'execution journaled');
      else log.debug(line, 'opportunity not traded');
    },
  };
  // Warm-up off the hot path: Lua scripts in Redis' cache, validators compiled.
  await Promise.all([semaphore()?.prepare(), deps.routeLock.prepare(), ledger.prepare()]);
  for (const v of [validators.Opportunity, validators.ExecutionReport, inflightRecordValidator]) v.check(null);
  const executor = new TradeExecutor(deps);
  const consumer = await startOpportunityConsumer(bus.jetstream(), consumerSettings, {
    handle: (opp, ts) => executor.handle(opp, ts),
    now: nowMs,
    onInvalid: (err) => {
      metrics.badInput.labels('opportunity').inc();
      warn('bad-opportunity', { err }, 'invalid opportunity dropped');
    },
    onError: (err, opp) => warn('handle', { err, oppId: opp.id }, 'opportunity handling failed; redelivered later'),
  });
  ctx.onShutdown('consumer', async () => {
    stopping = true;
    await consumer.stop();
  });
  await ctx.startHttp({
    host: cfg.http.host,
    port: cfg.http.port,
    routes: {
      '/stats': (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ executorId, mode: cfg.mode, active: active.size, handling: consumer.running, killSwitch: runtime.killed, killReason: runtime.killReason ?? null, risk: { dailyVolumeUsd: risk.volumeUsd, dailyPnlUsd: risk.pnlUsd, exposureUsd: risk.exposureUsd } }));
      },
    },
  });
  ctx.setReady(true);
  log.info({ mode: cfg.mode, venues: [...clients.keys()], symbols: cfg.symbols }, 'executor started');
}
