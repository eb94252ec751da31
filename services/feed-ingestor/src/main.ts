import { subjects, validators, type BookSnapshot, type FeedStatus } from '@arb/contracts';
import { createRateLimitedLog, loadConfig, nowMs, runService } from '@arb/service-kit';
import { BookFeed } from './book-feed';
import { FeedIngestorConfig } from './config';
import { createFeedMetrics } from './metrics';
import { ownedSymbols } from './shard';
import { createVenueClient } from './venue-client';

/** One process per venue: `VENUE=binance node dist/main.js`. */
void runService('feed-ingestor', async (ctx) => {
  const cfg = loadConfig(FeedIngestorConfig);
  ctx.logger.level = cfg.log.level;
  const venue = process.env.VENUE ?? cfg.feed.venue;
  if (venue === undefined || venue === '') throw new Error('VENUE is not set (e.g. VENUE=binance)');
  const log = ctx.logger.child({ venue });
  const symbols = ownedSymbols(cfg);
  const client = createVenueClient(venue, cfg, symbols);
  const bus = await ctx.connectBus({ url: cfg.nats.url, name: `feed-ingestor-${venue}-${ctx.instance}` });
  const bookSubjects = new Map(symbols.map((s) => [s, subjects.book(venue, s)]));
  const statusSubject = subjects.status(venue);
  const warn = createRateLimitedLog(log, 5000);

  const feed = new BookFeed({
    client,
    depth: cfg.feed.depth,
    staleAfterMs: cfg.feed.staleAfterMs,
    statusIntervalMs: cfg.feed.statusIntervalMs,
    metrics: createFeedMetrics(ctx.registry),
    publishBook: (s: BookSnapshot) => bus.publish(bookSubjects.get(s.symbol) ?? subjects.book(venue, s.symbol), validators.BookSnapshot, s),
    publishStatus: (s: FeedStatus) => bus.publish(statusSubject, validators.FeedStatus, s),
    warn,
    now: nowMs,
  });
  ctx.onShutdown('feed', () => feed.stop());
  await ctx.startHttp({ host: cfg.http.host, port: cfg.http.port, ready: () => client.state() === 'live' });
  feed.start();
  ctx.setReady(true);
  log.info({ symbols, partition: cfg.feed.symbols === undefined ? cfg.feed.partition : 'explicit', mode: cfg.mode }, 'feed-ingestor started');
});
