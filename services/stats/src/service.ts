import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { streams, subjects, ValidationError, validators } from '@arb/contracts';
import { createRateLimitedLog, nowMs, provisionJetStream, replicatedSpec, type ServiceContext } from '@arb/service-kit';
import type { StatsConfig } from './config';
import { statsRoutes, type JournalPosition } from './http-routes';
import { JournalReader } from './journal-reader';
import { registerStatsMetrics } from './metrics';
import { StatsBook, type StatsSnapshot } from './stats-book';
import { startTradingSignals } from './trading-signals';

/** The status page: services/stats/static/index.html (the same path from src/ and dist/). */
export function loadStatusPage(): string {
  return readFileSync(resolve(__dirname, '..', 'static', 'index.html'), 'utf8');
}

export interface RunningStats {
  book: StatsBook;
  reader: JournalReader;
}

/**
 * Wires the stats service: replays the ARB_EXECS journal from its start into a StatsBook and keeps following it,
 * counts opportunities (core subscription on arb.opp.>, since start) and feed statuses, and serves /metrics,
 * /stats, /stats/timeseries and the status page at /. Ready once the replay reached the journal's end seen at start.
 */
export async function startStats(ctx: ServiceContext, cfg: StatsConfig): Promise<RunningStats> {
  const log = ctx.logger;
  const sc = cfg.stats;
  const page = loadStatusPage();
  const started = nowMs();
  const book = new StatsBook({
    usdPegs: cfg.markets.usdPegs,
    maxKeysPerScope: sc.maxKeysPerScope,
    maxTrackedReportIds: sc.maxTrackedReportIds,
    timeseries: sc.timeseries,
    feeds: { timeoutMs: sc.feeds.statusTimeoutMs, maxVenues: sc.feeds.maxVenues, maxSymbolsPerVenue: sc.feeds.maxSymbolsPerVenue },
    executorStaleMs: sc.availability.executorStaleMs,
    startedTs: started,
  });
  const warn = createRateLimitedLog(log, sc.logIntervalMs, { level: 'warn' });

  const bus = await ctx.connectBus({ url: cfg.nats.url });
  const provisioned = await provisionJetStream(bus.nc, replicatedSpec(cfg.nats.replicas));
  log.info({ provisioned }, 'JetStream provisioned');

  const oppSub = bus.subscribe(subjects.opportunities(), validators.Opportunity, (o) => book.addOpportunity(o, nowMs()));
  const statusSub = bus.subscribe(subjects.statuses(), validators.FeedStatus, (s) => book.onFeedStatus(s, nowMs()));
  await bus.flush();

  const replayStarted = nowMs();
  // Messages flow only after reader.start(), once `metrics` below exists.
  const reader = new JournalReader({
    js: bus.jetstream(),
    jsm: await bus.jetstreamManager(),
    nc: bus.nc,
    stream: streams.executions.name,
    batch: sc.journal.batch,
    retryMs: sc.journal.retryMs,
    onMessage: (data, seq) => {
      let report;
      try {
        report = validators.ExecutionReport.decode(data);
      } catch (err) {
        book.noteInvalid();
        metrics.journalMessages.labels('invalid').inc();
        const issues = err instanceof ValidationError ? err.issues.slice(0, 5) : [String(err)];
        warn('journal-invalid', { seq, issues }, 'invalid ExecutionReport in the journal: skipped');
        return;
      }
      let result: 'added' | 'duplicate';
      try {
        result = book.addReport(report, nowMs());
      } catch (err) {
        // A valid report the book cannot take (a bug): count it like an invalid one rather than stop the journal.
        book.noteInvalid();
        metrics.journalMessages.labels('invalid').inc();
        warn('journal-failed', { seq, id: report.id, err }, 'report could not be counted: skipped');
        return;
      }
      metrics.journalMessages.labels(result === 'added' ? 'accepted' : 'duplicate').inc();
      if (result === 'duplicate') warn('journal-duplicate', { seq, id: report.id }, 'report id seen before: not counted again');
    },
    onCaughtUp: ({ seq, targetSeq }) =>
      log.info({ seq, targetSeq, reports: book.journal, ms: Math.round(nowMs() - replayStarted) }, 'journal replay complete'),
    onError: (err) => warn('journal-consumer', { err }, 'journal consumer failed: re-creating it'),
  });
  // Metrics scrapes read many gauges: they share one snapshot per book version and second.
  let cached: { key: string; snap: StatsSnapshot } | undefined;
  const cachedSnapshot = (): StatsSnapshot => {
    const now = nowMs();
    const key = `${book.version}:${Math.floor(now / 1000)}`;
    if (cached?.key !== key) cached = { key, snap: book.snapshot(now) };
    return cached.snap;
  };
  const journal = (): JournalPosition => ({
    lastSeq: reader.lastSeq,
    targetSeq: reader.targetSeq,
    caughtUp: reader.caughtUp,
  });
  const metrics = registerStatsMetrics(ctx.registry, { snapshot: cachedSnapshot, journal });
  for (const result of ['accepted', 'duplicate', 'invalid']) metrics.journalMessages.labels(result).inc(0);

  await reader.start();
  const signals = await startTradingSignals({
    nc: bus.nc,
    jsm: await bus.jetstreamManager(),
    book,
    probeMs: sc.availability.probeMs,
    startedTs: started,
    warmupMs: sc.availability.warmupMs,
    logger: log,
    registry: ctx.registry,
    warn,
    now: nowMs,
  });
  ctx.onShutdown('journal', async () => {
    await signals.stop();
    await reader.stop();
    await Promise.allSettled([oppSub.drain(), statusSub.drain()]);
  });

  const routes = statsRoutes({ book, journal, page, now: nowMs });
  await ctx.startHttp({ host: cfg.http.host, port: cfg.http.port, routes, ready: () => reader.caughtUp });
  ctx.setReady(true);
  log.info({ stream: streams.executions.name, targetSeq: reader.targetSeq }, 'stats started');
  return { book, reader };
}
