import { parseBookSubject, redisKeys, subjects, validators, type BookSnapshot } from '@arb/contracts';
import { createRateLimitedLog, nowMs, provisionJetStream, replicatedSpec, RuntimeConfigStore, type ServiceContext } from '@arb/service-kit';
import type { DetectorConfig } from './config';
import { Detector } from './detector';
import type { RouteEvaluator } from './evaluator';
import { FeedHealth } from './feed-health';
import { ConfigInventory, RedisInventory, type Inventory } from './inventory';
import { MarketTable, splitSymbol } from './markets';
import { createDetectorMetrics } from './metrics';
import { paramsFromConfig, type DetectorParams } from './params';
import { ParamsHolder } from './params-holder';
import { SymbolPartition } from '@arb/domain';
import { createJsPublisher } from './publisher';
import { RedisMirror } from './redis-mirror';
import { runtimeParamsListener, summary } from './runtime-params';

export interface RunningDetector<P> {
  detector: Detector<P>;
  params: ParamsHolder;
  partition: SymbolPartition;
}

/**
 * Wires the detector into a service process: NATS (books, feed statuses, opportunities via JetStream), Redis
 * (write-behind book mirror, optional inventory polling), metrics, /stats, shutdown hooks. Ready once subscribed.
 */
export async function startDetector<P>(
  ctx: ServiceContext,
  cfg: DetectorConfig,
  evaluator: RouteEvaluator<P>,
  /** Validates the params (throws when the evaluator cannot use them): a bad config fails start-up, not every update. */
  checkParams?: (p: DetectorParams) => void,
): Promise<RunningDetector<P>> {
  const log = ctx.logger;
  const dc = cfg.detector;
  const markets = new MarketTable(cfg.markets);
  markets.validate(cfg.symbols);
  const partition = new SymbolPartition({ ...dc.partition, symbols: dc.symbols });
  const owned = partition.ownedOf(cfg.symbols);
  if (!partition.ownsAll && owned.length === 0) log.warn({ partition: dc.partition }, 'this replica owns no symbol');

  const metrics = createDetectorMetrics(ctx.registry);
  const warn = createRateLimitedLog(log, 10_000, { level: 'warn' });
  const params = new ParamsHolder(paramsFromConfig(dc, cfg.markets));
  checkParams?.(params.current());
  evaluator.applyParams?.([params.current()]);
  if (dc.confidence.volReferenceBps !== undefined) {
    log.warn(
      { volReferenceBps: dc.confidence.volReferenceBps },
      'detector.confidence.volReferenceBps is obsolete and ignored: volatility is priced once, as the threshold premium (detector.risk)',
    );
  }

  const bus = await ctx.connectBus({ url: cfg.nats.url });
  const provisioned = await provisionJetStream(bus.nc, replicatedSpec(cfg.nats.replicas));
  log.info({ provisioned }, 'JetStream provisioned');

  // Runtime config (arb_config KV): applied at once (watch() resolves after the document in force is applied), then
  // on every change, before the next book update. A/B variants are resolved here, never per evaluation.
  const store = await RuntimeConfigStore.open(bus.nc, { logger: log, registry: ctx.registry });
  const live = await store.watch(
    runtimeParamsListener({
      holder: params,
      file: params.current(),
      bucketMs: dc.variants.bucketMs,
      check: checkParams,
      applied: (all) => evaluator.applyParams?.(all),
      metrics,
      logger: log,
    }),
  );
  ctx.onShutdown('runtime-config', () => live.stop());

  const needRedis = dc.mirror.enabled || cfg.inventory.source === 'redis';
  // Fail-fast client: commands error at once while Redis is down instead of queueing; nothing awaits it on the hot path.
  const redis = needRedis
    ? ctx.createRedis({ url: cfg.redis.url, sentinel: cfg.redis.sentinel, enableOfflineQueue: false, commandTimeoutMs: dc.mirror.commandTimeoutMs, maxRetriesPerRequest: 0 })
    : undefined;

  let inventory: Inventory;
  if (cfg.inventory.source === 'redis' && redis !== undefined) {
    const inv = new RedisInventory({
      client: redis,
      refreshMs: cfg.inventory.refreshMs,
      onError: (err) => warn('inventory', { err }, 'inventory refresh from Redis failed'),
      onRefresh: (ok) => metrics.inventoryRefreshes.labels(ok ? 'ok' : 'failed').inc(),
    });
    for (const venue of markets.venues()) {
      for (const symbol of owned) {
        const { base, quote } = splitSymbol(symbol);
        inv.track(venue, base);
        inv.track(venue, quote);
      }
    }
    inv.start();
    void inv.refresh();
    ctx.onShutdown('inventory', () => inv.stop());
    inventory = inv;
  } else {
    inventory = new ConfigInventory(cfg.inventory.balances);
  }

  let mirrorBook: ((book: BookSnapshot) => void) | undefined;
  if (dc.mirror.enabled && redis !== undefined) {
    const mirror = new RedisMirror<BookSnapshot>({
      client: redis,
      ttlMs: dc.mirror.ttlMs,
      flushIntervalMs: dc.mirror.flushIntervalMs,
      maxPending: dc.mirror.maxPending,
      serialize: (b) => JSON.stringify(b),
      now: nowMs,
      metrics: metrics.mirror,
      onError: (err) => warn('mirror', { err }, 'book mirror flush to Redis failed'),
    });
    const keys = new Map<string, string>();
    mirrorBook = (b) => {
      const slot = `${b.venue}|${b.symbol}`;
      let key = keys.get(slot);
      if (key === undefined) {
        key = redisKeys.book(b.venue, b.symbol);
        keys.set(slot, key);
      }
      mirror.write(key, b);
    };
    mirror.start();
    ctx.onShutdown('mirror', () => mirror.stop());
  }

  const feedHealth = new FeedHealth({ required: dc.feedStatus.required, timeoutMs: dc.feedStatus.timeoutMs });
  const detector = new Detector<P>({
    evaluator,
    params,
    markets,
    inventory,
    feedHealth,
    partition,
    publish: createJsPublisher(bus, metrics, {
      ackTimeoutMs: dc.publish.ackTimeoutMs,
      onError: (err, opp) => warn('publish', { err, symbol: opp.symbol }, 'opportunity publish not acknowledged'),
    }),
    ...(mirrorBook !== undefined ? { mirror: mirrorBook } : {}),
    metrics,
    intake: dc.intake,
    now: nowMs,
    warn,
  });

  const statusSub = bus.subscribe(subjects.statuses(), validators.FeedStatus, (s) => detector.onStatus(s));
  const bookSubjects = partition.ownsAll ? [subjects.books()] : owned.map((s) => subjects.booksOfSymbol(s));
  const bookSubs = bookSubjects.map((subject) =>
    bus.subscribe(subject, validators.BookSnapshot, (book, raw) => detector.onBook(book, parseBookSubject(raw.subject))),
  );
  ctx.onShutdown('subscriptions', async () => {
    await Promise.allSettled([statusSub, ...bookSubs].map((s) => s.drain()));
  });
  await bus.flush();

  await ctx.startHttp({
    host: cfg.http.host,
    port: cfg.http.port,
    // Ready once subscribed (setReady below) and while the NATS connection is open.
    ready: () => !bus.isClosed(),
    routes: {
      '/stats': (_req, res) => {
        const now = nowMs();
        const set = params.snapshot();
        const p = set.base;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            books: detector.books.size,
            symbols: partition.ownsAll ? 'all' : owned,
            feeds: feedHealth.snapshot(now),
            params: { version: p.version, revision: set.revision, killSwitch: set.killSwitch, ...summary(p) },
            variants: set.variants.map((v) => ({ name: v.name, share: v.share, params: summary(v.params) })),
            variantBucketMs: set.bucketMs,
          }),
        );
      },
    },
  });
  ctx.setReady(true);
  log.info({ subjects: bookSubjects, partition: dc.partition, venues: markets.venues(), inventory: cfg.inventory.source }, 'detector started');
  return { detector, params, partition };
}
