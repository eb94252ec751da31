import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { streams, subjects, validators } from '@arb/contracts';
import { createRateLimitedLog, nowMs, provisionJetStream, replicatedSpec, redisReady, sleep, type Logger, type Redis, type ServiceContext } from '@arb/service-kit';
import type { VenueTradingClient } from '@arb/venues';
import { TopOfBook } from './admission/top-of-book';
import { Repeater } from './background';
import type { ExecutorConfig } from './config';
import { IdempotencyGuard, InventoryLedger, RedisSemaphore, ReplicaAck, RouteLock } from './coordination';
import { inflightRecordValidator } from './inflight/record';
import { InflightStore } from './inflight/store';
import { ledgerReconciliation, seedInventory } from './inventory-sync';
import { Journal } from './journal';
import { JournalReader } from './journal-reader';
import { createExecutorMetrics } from './metrics';
import { BookSource } from './paper/book-source';
import type { ExecutorDeps, ExecutorSettings } from './pipeline/context';
import { ensureExecutorConsumer, startOpportunityConsumer } from './pipeline/consumer';
import { PriorityGate } from './pipeline/priority-gate';
import { TradeExecutor } from './pipeline/trade-executor';
import { Reconciler } from './reconcile/reconciler';
import { startRisk } from './risk/risk-wiring';
import { RuntimeConfigState } from './runtime/runtime-config';
import { lateFillTracking } from './trade/late-fill-wiring';
import { UsdRates } from './trade/usd';
import { createTradingClients } from './venues/clients';
import { CredentialCheck } from './venues/credential-check';
import { VenueHealthBoard } from './venues/health-board';
import { FeeTable, InstrumentTable } from './venues/instruments';

/** `<host>-<pid>-<random>` made of token characters, or the configured id. */
export function resolveExecutorId(configured: string): string {
  if (configured !== '') return configured;
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Sentinel on and ackReplicas > 0: the replica check of the coordination keys (see ReplicaAck); else none. */
function replicaAckOf(cfg: ExecutorConfig, redis: Redis, log: Logger): { replicaAck?: ReplicaAck } {
  const s = cfg.redis.sentinel;
  if (s.nodes.length === 0 || s.ackReplicas === 0) return {};
  log.info({ ackReplicas: s.ackReplicas, ackTimeoutMs: s.ackTimeoutMs }, 'coordination keys must reach the Redis replicas (WAIT) before orders leave');
  return { replicaAck: new ReplicaAck(redis, { replicas: s.ackReplicas, timeoutMs: s.ackTimeoutMs }) };
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
  const redis = ctx.createRedis({ url: cfg.redis.url, sentinel: cfg.redis.sentinel, enableOfflineQueue: false, commandTimeoutMs: 2_000, extra: { enableAutoPipelining: true } });
  await redisReady(redis, 10_000);

  const books = cfg.mode === 'paper' ? new BookSource() : undefined;
  if (books !== undefined) bus.subscribe(subjects.books(), validators.BookSnapshot, (b) => books.update(b));
  // Reference prices for admission (an opportunity's limits are checked against them): raw, decoded on demand.
  const touches = new TopOfBook(nowMs, (err) => {
    metrics.badInput.labels('book').inc();
    warn('bad-book', { err }, 'invalid book snapshot ignored (no reference price until the next one)');
  });
  bus.nc.subscribe(subjects.books(), { callback: (err, m) => (err === null ? touches.onMessage(m.subject, m.data) : undefined) });
  const health = new VenueHealthBoard(x.venueHealth, {
    now: nowMs,
    onChange: (venue, state) => {
      metrics.venueAvailable.labels(venue).set(state === null ? 1 : 0);
      if (state === null) log.info({ venue }, 'venue available for trading');
      else log.warn({ venue, reason: state.reason, detail: state.detail }, 'venue unavailable for trading: opportunities on it are skipped');
    },
    onProbeError: (venue, err) => warn(`probe:${venue}`, { venue, err }, 'venue probe failed; still paused'),
  });
  const clients: Map<string, VenueTradingClient> = health.guard(
    createTradingClients(cfg, {
      env: process.env,
      ...(books !== undefined ? { books } : {}),
      now: nowMs,
      sleep,
      onError: (venue, err) => warn(`venue:${venue}:${err.name}`, { venue, err }, 'venue client error'),
      onStreamState: (venue, state) => health.get(venue)?.stream(state, nowMs()),
    }),
    () => cfg.mode !== 'paper',
  );
  for (const venue of clients.keys()) metrics.venueAvailable.labels(venue).set(0);
  const inflight = new InflightStore(redis, executorId, x.concurrency.semaphoreName);
  const { tracker, lateFills } = lateFillTracking({
    inflight, metrics, log, warn, windowMs: x.inflight.lateFillWindowMs, maxTrades: x.inflight.lateFillMaxTrades, retryMs: x.inflight.sweepIntervalMs * 2, now: nowMs,
  });
  for (const c of clients.values()) tracker.attach(c);
  ctx.onShutdown('venue-clients', async () => {
    tracker.detachAll();
    await Promise.allSettled([...clients.values()].map((c) => c.stop()));
  });
  await Promise.all([...clients.values()].map((c) => c.start()));
  const { table: instruments, failures } = await InstrumentTable.load(clients, cfg.symbols);
  for (const f of failures) log.warn({ venue: f.venue, err: f.error }, 'instrument rules unavailable (hedge orders are not rounded)');

  // Credentials: an authenticated read per venue gates readiness and consumption (re-checked in the background).
  const credentials = new CredentialCheck({ clients, health, timeoutMs: x.credentials.timeoutMs });
  const logCredentials = (results: Awaited<ReturnType<CredentialCheck['run']>>): void => {
    for (const r of results) {
      metrics.credentialChecks.labels(r.venue, r.status).inc();
      if (r.status === 'refused') log.error({ venue: r.venue, error: r.error }, `credential check failed: ${r.venue} refused our API credentials; not trading until it passes`);
      else if (r.status === 'unverified') log.warn({ venue: r.venue, error: r.error }, `credential check: ${r.venue} did not answer; not trading until it does`);
    }
  };
  logCredentials(await credentials.run());

  const ledger = new InventoryLedger(redis);
  if (!credentials.allOk) log.warn('inventory seeding deferred until the credential check passes');
  else if (x.inventory.enabled && x.inventory.syncFromVenues) {
    const n = await seedInventory(redis, ledger, clients, cfg.symbols);
    if (n > 0) log.info({ entries: n }, 'inventory ledger seeded from venue balances (free + locked)');
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
  // The idempotency marker must outlive the journal's duplicate window: else a trade's report could be dropped as a
  // duplicate of an earlier one of the same opportunity. Raised here by construction from the stream's own setting.
  const dupWindowMs = Math.ceil(((await (await bus.jetstreamManager()).streams.info(streams.executions.name)).config.duplicate_window ?? 0) / 1e6);
  const dedupTtlMs = Math.max(x.dedupTtlMs, dupWindowMs + x.admission.maxOpportunityAgeMs + 60_000);
  if (dedupTtlMs > x.dedupTtlMs) log.info({ dedupTtlMs, configured: x.dedupTtlMs, journalDuplicateWindowMs: dupWindowMs }, 'idempotency marker TTL raised above the journal duplicate window');

  let sem: RedisSemaphore | null = null;
  const semaphore = (): RedisSemaphore | null => {
    const limit = runtime.current?.params.maxConcurrentTrades ?? x.concurrency.maxConcurrentTrades;
    if (limit <= 0) return null;
    if (sem?.limit !== limit) sem = new RedisSemaphore(redis, { name: x.concurrency.semaphoreName, limit, leaseMs: x.concurrency.leaseMs });
    return sem;
  };

  await inflight.heartbeat(x.inflight.heartbeatTtlMs);
  const heartbeat = new Repeater(x.inflight.heartbeatMs, () => inflight.heartbeat(x.inflight.heartbeatTtlMs), (err) => {
    metrics.redisErrors.labels('heartbeat').inc();
    warn('heartbeat', { err }, 'in-flight heartbeat failed');
  });
  heartbeat.start();
  const journal = new Journal(bus, {
    ackTimeoutMs: x.journal.ackTimeoutMs,
    retryDelayMs: x.journal.retryDelayMs,
    keepTrying: () => !stopping,
    sleep,
    onRetry: (err) => {
      metrics.journalRetries.inc();
      warn('journal', { err }, 'journal publish failed; retrying');
    },
  }, new JournalReader(() => bus.jetstream(), { timeoutMs: x.journal.readTimeoutMs, maxMessages: x.journal.readMaxMessages }));
  const active = new Set<string>();
  const settings: ExecutorSettings = {
    executorId,
    dedupTtlMs,
    orderTimeoutMs: x.orderTimeoutMs,
    pollIntervalMs: x.pollIntervalMs,
    leaseRenewIntervalMs: Math.min(x.concurrency.renewIntervalMs, Math.floor(x.concurrency.leaseMs / 3)),
    routeLockTtlMs: x.concurrency.routeLockTtlMs,
    onBusy: x.concurrency.onBusy,
    busyWaitMs: x.concurrency.waitMs,
    inventoryEnabled: x.inventory.enabled,
    legRisk: x.legRisk,
    recordWriteRetryMs: x.inflight.recordWriteRetryMs,
  };
  const routeLock = new RouteLock(redis);
  const reconciler = new Reconciler({
    executorId, store: inflight, clients, journal, ledger, semaphore, routeLock, instruments, usd, legRisk: x.legRisk,
    tracker, orderTimeoutMs: x.orderTimeoutMs, pollIntervalMs: x.pollIntervalMs, sleep, active, metrics, warn, now: nowMs,
    heartbeatTtlMs: x.inflight.heartbeatTtlMs, notFoundGraceMs: x.inflight.notFoundGraceMs, followUpGiveUpMs: x.inflight.followUpGiveUpMs,
    recordWriteRetryMs: x.inflight.recordWriteRetryMs,
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
  const ledgerCheck = ledgerReconciliation({ redis, ledger, store: inflight, clients, symbols: cfg.symbols, intervalMs: x.inventory.reconcileIntervalMs, metrics, log, warn });
  if (x.inventory.enabled && x.inventory.syncFromVenues) ledgerCheck.start();
  ctx.onShutdown('background', async () => {
    await Promise.all([sweeper.stop(), leaseGauge.stop(), ledgerCheck.stop()]);
    await heartbeat.stop();
    // Nothing left in flight: remove our key (heartbeat included); otherwise others reconcile it after the TTL.
    if ((await inflight.own().catch(() => null))?.size === 0) await redis.del(inflight.key).catch(() => undefined);
  });

  const deps: ExecutorDeps = {
    settings, clients, tracker, instruments, fees: new FeeTable(cfg.markets.venues), usd, semaphore,
    routeLock, ledger, idempotency: new IdempotencyGuard(redis), inflight, journal, runtime, active, metrics, warn,
    admission: {
      settings: x.admission,
      now: nowMs,
      hasVenue: (venue) => clients.has(venue),
      runtime,
      health,
      riskStale: (now) => risk.stale(now),
      risk: risk.book,
      books: touches,
      usdRate: (opp) => usd.rate(opp),
    },
    gate: new PriorityGate(),
    ...replicaAckOf(cfg, redis, log),
    now: nowMs, sleep, lateFills,
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
  await Promise.all([semaphore()?.prepare(), deps.routeLock.prepare(), ledger.prepare(), inflight.prepare()]);
  for (const v of [validators.Opportunity, validators.ExecutionReport, validators.BookSnapshot, inflightRecordValidator]) v.check(null);
  const executor = new TradeExecutor(deps);
  const consumer = await startOpportunityConsumer(
    bus.jetstream(),
    consumerSettings,
    {
      handle: (opp, ts) => executor.handle(opp, ts),
      now: nowMs,
      onInvalid: (err) => {
        metrics.badInput.labels('opportunity').inc();
        warn('bad-opportunity', { err }, 'invalid opportunity dropped');
      },
      onError: (err, opp) => warn('handle', { err, oppId: opp.id }, 'opportunity handling failed; redelivered later'),
    },
    !credentials.allOk,
  );
  ctx.onShutdown('consumer', async () => {
    stopping = true;
    await consumer.stop();
  });

  // Ready (and consuming) only while every venue's credentials are verified and none was refused since.
  let started = false;
  const credentialsRefused = (): string[] => health.venues.filter((v) => health.get(v)?.unavailable(nowMs())?.reason === 'credentials');
  const applyReadiness = async (): Promise<void> => {
    const ok = !stopping && credentials.allOk && credentialsRefused().length === 0;
    ctx.setReady(ok);
    if (ok) await consumer.resume();
    else await consumer.pause();
    if (ok && !started) {
      started = true;
      log.info({ mode: cfg.mode, venues: [...clients.keys()], symbols: cfg.symbols }, 'executor started');
    }
  };
  let recheck: NodeJS.Timeout | undefined;
  const scheduleCheck = (): void => {
    if (stopping) return;
    recheck = setTimeout(() => {
      void credentials
        .run()
        .then(logCredentials)
        .then(applyReadiness)
        .catch((err: unknown) => warn('credential-check', { err }, 'credential check failed to run'))
        .finally(scheduleCheck);
    }, credentials.allOk && credentialsRefused().length === 0 ? x.credentials.recheckMs : x.credentials.retryMs);
    recheck.unref();
  };
  const healthTick = new Repeater(x.venueHealth.probeIntervalMs, async () => {
    await health.tick();
    metrics.riskFeedCurrent.set(risk.stale(nowMs()) === null ? 1 : 0);
    if (credentialsRefused().length > 0 && !consumer.paused) await applyReadiness();
  }, (err) => warn('venue-health', { err }, 'venue health pass failed'));
  healthTick.start();
  ctx.onShutdown('venue-health', async () => {
    stopping = true;
    if (recheck !== undefined) clearTimeout(recheck);
    await healthTick.stop();
  });

  await ctx.startHttp({
    host: cfg.http.host,
    port: cfg.http.port,
    routes: {
      '/stats': (_req, res) => {
        res.setHeader('content-type', 'application/json');
        const now = nowMs();
        res.end(
          JSON.stringify({
            executorId,
            mode: cfg.mode,
            ready: started && !consumer.paused,
            active: active.size,
            handling: consumer.running,
            killSwitch: runtime.killed,
            killReason: runtime.killReason ?? null,
            risk: { dailyVolumeUsd: risk.book.volumeUsd, dailyPnlUsd: risk.book.pnlUsd, exposureUsd: risk.book.exposureUsd, stale: risk.stale(now), journalSeq: risk.position },
            venues: Object.fromEntries(health.venues.map((v) => [v, health.unavailable(v, now)])),
            credentials: credentials.results(),
          }),
        );
      },
    },
  });
  await applyReadiness();
  if (!started) {
    const failing = credentials.results().filter((r) => r.status !== 'ok').map((r) => r.venue);
    log.error({ venues: failing, retryMs: x.credentials.retryMs }, 'executor not ready: venue credentials not verified; not consuming opportunities until they are');
  }
  scheduleCheck();
}
