import { parseBookSubject, redisKeys, subjects, validators, type BookSnapshot } from '@arb/contracts';
import {
  ConfigError,
  createRateLimitedLog,
  memberIdFor,
  nowMs,
  provisionJetStream,
  replicatedSpec,
  RuntimeConfigStore,
  SymbolOwnership,
  type ServiceContext,
} from '@arb/service-kit';
import { BookSubscriptions } from './book-subscriptions';
import type { DetectorConfig } from './config';
import { Detector, type SymbolOwner } from './detector';
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
  /** The dynamic ownership (detector.partition.mode dynamic), else undefined. */
  ownership: SymbolOwnership | undefined;
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
  const dynamic = dc.partition.mode === 'dynamic' && dc.symbols === undefined;
  if (dc.partition.mode === 'dynamic' && dc.symbols !== undefined) {
    log.warn({ symbols: dc.symbols }, 'detector.symbols is set: it overrides detector.partition (mode dynamic ignored)');
  }
  if (dynamic) checkDynamic(cfg);
  // Static: fixed for the process. Dynamic: the universe; this replica's share follows the live replicas.
  const owned = dynamic ? cfg.symbols : partition.ownedOf(cfg.symbols);
  if (!dynamic && !partition.ownsAll && owned.length === 0) log.warn({ partition: dc.partition }, 'this replica owns no symbol');

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

  // Dynamic: joins the group after the detector and its subscriptions exist (its first assignment subscribes).
  const ownership = dynamic
    ? await SymbolOwnership.open(bus.nc, cfg.symbols, {
        group: 'detector',
        member: memberIdFor(ctx.instance),
        heartbeatMs: dc.partition.heartbeatMs,
        ttlMs: dc.partition.ttlMs,
        info: { instance: ctx.instance, pid: process.pid },
        logger: log,
      })
    : undefined;
  const owner: SymbolOwner = ownership ?? partition;

  const feedHealth = new FeedHealth({ required: dc.feedStatus.required, timeoutMs: dc.feedStatus.timeoutMs });
  const detector = new Detector<P>({
    evaluator,
    params,
    markets,
    inventory,
    feedHealth,
    partition: owner,
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
  // The journal's reports free a route whose last opportunity was traded (suppression.releaseOnReport).
  const reportSub = bus.subscribe(subjects.executions(), validators.ExecutionReport, (r) => detector.onReport(r));
  const books = new BookSubscriptions((subject) =>
    bus.subscribe(subject, validators.BookSnapshot, (book, raw) => detector.onBook(book, parseBookSubject(raw.subject))),
  );
  ctx.onShutdown('subscriptions', async () => {
    await Promise.allSettled([statusSub.drain(), reportSub.drain(), books.close()]);
  });
  if (ownership === undefined) {
    books.set(partition.ownsAll ? [subjects.books()] : owned.map((s) => subjects.booksOfSymbol(s)));
    metrics.ownedSymbols.set(partition.ownsAll ? cfg.symbols.length : owned.length);
  } else {
    ownership.membership.onChange((members) => metrics.partitionMembers.set(members.length));
    // A lost symbol's books are refused (not-owned) from the change on, so nothing more is published for it.
    ownership.onChange((change) => {
      books.set(change.owned.map((s) => subjects.booksOfSymbol(s)));
      detector.release(change.removed);
      metrics.ownedSymbols.set(change.owned.length);
      metrics.ownershipChanges.inc();
      metrics.ownershipMoves.labels('gained').inc(change.added.length);
      metrics.ownershipMoves.labels('lost').inc(change.removed.length);
      log.info(
        { added: change.added, removed: change.removed, owned: change.owned, members: change.members },
        'symbol ownership changed',
      );
    });
    await ownership.start();
    metrics.partitionMembers.set(ownership.membership.members().length);
    // Runs before the subscriptions are drained: leaving deletes the heartbeat key, so the others take over at once.
    ctx.onShutdown('ownership', () => ownership.stop());
  }
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
            symbols: ownership !== undefined ? ownership.ownedKeys() : partition.ownsAll ? 'all' : owned,
            partition: ownership !== undefined ? { mode: 'dynamic', member: ownership.membership.member, members: ownership.membership.members() } : { mode: 'static' },
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
  log.info({ subjects: books.subjects(), partition: dc.partition, venues: markets.venues(), inventory: cfg.inventory.source }, 'detector started');
  return { detector, params, partition, ownership };
}

function checkDynamic(cfg: DetectorConfig): void {
  const p = cfg.detector.partition;
  if (cfg.symbols.length === 0) {
    throw new ConfigError('detector.partition.mode dynamic splits the symbol universe `symbols` among the replicas, and it is empty');
  }
  if (p.ttlMs < 3 * p.heartbeatMs) {
    throw new ConfigError(`detector.partition.ttlMs (${p.ttlMs}) must be at least 3 x heartbeatMs (${p.heartbeatMs})`);
  }
}
