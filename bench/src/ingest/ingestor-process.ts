import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@arb/testkit';
import { TrackedChild } from '../lib/child';
import { cpuSeconds } from '../lib/proc-stat';
import { fetchMetrics, promSamples, promValue } from '@arb/testkit';
import { REPLAY_SYMBOL } from './replay-data';

/** The real feed-ingestor build, relative to the repository root. */
export const INGESTOR_ENTRY = join('services', 'feed-ingestor', 'dist', 'main.js');

export function ingestorUnavailable(root: string): string | undefined {
  return existsSync(join(root, INGESTOR_ENTRY)) ? undefined : `${INGESTOR_ENTRY} not built yet`;
}

export interface IngestorOptions {
  readonly root: string;
  readonly natsUrl: string;
  readonly wsUrl: string;
  readonly restUrl: string;
  readonly logFile: string;
}

/** One feed-ingestor process (VENUE=binance, ARB_MODE=sim) pointed at a replay server, /metrics on a free port. */
export class IngestorProcess {
  private constructor(
    readonly child: TrackedChild,
    readonly metricsUrl: string,
  ) {}

  static async start(opts: IngestorOptions): Promise<IngestorProcess> {
    const httpPort = await freePort();
    const env: NodeJS.ProcessEnv = {};
    // Only the basics from our environment: no ARB_* setting of the caller leaks into the measured process.
    for (const k of ['PATH', 'HOME', 'LANG', 'TZ', 'NODE_OPTIONS']) if (process.env[k] !== undefined) env[k] = process.env[k];
    Object.assign(env, {
      VENUE: 'binance',
      ARB_MODE: 'sim',
      ARB__NATS__URL: opts.natsUrl,
      ARB__SYMBOLS: `[${REPLAY_SYMBOL}]`,
      ARB__VENUES__BINANCE__WS_URL: opts.wsUrl,
      ARB__VENUES__BINANCE__REST_URL: opts.restUrl,
      ARB__VENUES__BINANCE__DEPTH_STREAM: '@depth@0ms',
      // As on the real venue (config/default.yaml); sim.yaml lowers it for exchange-sim's 40-level books.
      ARB__VENUES__BINANCE__SNAPSHOT_LIMIT: '1000',
      ARB__HTTP__HOST: '127.0.0.1',
      ARB__HTTP__PORT: String(httpPort),
      ARB__FEED__DEPTH: '20',
    });
    mkdirSync(join(opts.logFile, '..'), { recursive: true });
    const child = new TrackedChild(process.execPath, [join(opts.root, INGESTOR_ENTRY)], { env, cwd: opts.root, logFile: opts.logFile });
    return new IngestorProcess(child, `http://127.0.0.1:${httpPort}/metrics`);
  }

  get pid(): number {
    return this.child.pid;
  }

  /** CPU seconds used so far (utime + stime), undefined off Linux. */
  cpu(): number | undefined {
    return cpuSeconds(this.child.pid);
  }

  /** `feed_updates_total` for the replayed symbol (diff updates applied). */
  async updatesApplied(): Promise<number | undefined> {
    return promValue(await fetchMetrics(this.metricsUrl), 'feed_updates_total', { venue: 'binance', symbol: REPLAY_SYMBOL });
  }

  /** Incidents the ingestor counted (every non-zero feed_venue_events_total kind, rejected frames, invalid books). */
  async incidents(): Promise<Record<string, number>> {
    const text = await fetchMetrics(this.metricsUrl);
    const out: Record<string, number> = {};
    for (const s of promSamples(text, 'feed_venue_events_total')) {
      const kind = s.labels.get('kind') ?? 'event';
      if (s.value > 0) out[kind] = (out[kind] ?? 0) + s.value;
    }
    const rejected = promValue(text, 'feed_rejected_messages_total');
    if (rejected !== undefined && rejected > 0) out.rejected = rejected;
    const invalid = promValue(text, 'feed_invalid_books_total');
    if (invalid !== undefined && invalid > 0) out.invalidBooks = invalid;
    return out;
  }

  stop(): Promise<string> {
    return this.child.stop();
  }
}
