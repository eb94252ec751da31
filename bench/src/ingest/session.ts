import { join } from 'node:path';
import { subjects } from '@arb/contracts';
import { within } from '../lib/deadline';
import { collectGarbage } from '../lib/gc';
import type { BenchContext } from '../types';
import { BookWatch } from './book-watch';
import { IngestorProcess } from './ingestor-process';
import { REPLAY_SYMBOL, type ReplayData } from './replay-data';
import { ReplayServer } from './replay-server';

const SYNC_TIMEOUT_MS = 30_000;

/**
 * Everything one ingest benchmark needs: a replay server with `data`, the real feed-ingestor pointed at it and at
 * the run's nats-server, and a BookWatch on the ingestor's book subject. `start` returns once the ingestor has
 * synced (published the book as of the snapshot), so the caller's clock starts on a live, idle feed.
 */
export class IngestSession {
  private constructor(
    readonly data: ReplayData,
    readonly natsUrl: string,
    readonly replay: ReplayServer,
    readonly watch: BookWatch,
    readonly ingestor: IngestorProcess,
  ) {}

  static readonly subject = subjects.book('binance', REPLAY_SYMBOL);

  static async start(ctx: BenchContext, data: ReplayData, label: string): Promise<IngestSession> {
    const nats = await ctx.nats();
    collectGarbage(); // the replay data was just generated: settle the heap before anything is timed
    const replay = await ReplayServer.start(data);
    let watch: BookWatch | undefined;
    let ingestor: IngestorProcess | undefined;
    try {
      watch = await BookWatch.start(nats.url, IngestSession.subject);
      ingestor = await IngestorProcess.start({
        root: ctx.root,
        natsUrl: nats.url,
        wsUrl: replay.wsUrl,
        restUrl: replay.restUrl,
        logFile: join(ctx.outDir, 'logs', `${label}.log`),
      });
      const child = ingestor.child;
      const w = watch;
      await within(w.reach(data.snapshot.lastUpdateId), SYNC_TIMEOUT_MS, () => syncProblem(replay, w, child.outputTail()), child.exited);
      return new IngestSession(data, nats.url, replay, watch, ingestor);
    } catch (error) {
      await ingestor?.stop();
      await watch?.close();
      await replay.close();
      throw error;
    }
  }

  /** Settles with a description when the run cannot go on: the ingestor exited or reconnected. */
  get failure(): Promise<string> {
    return Promise.race([this.ingestor.child.exited.then((how) => `feed-ingestor exited (${how})`), this.replay.reconnected]);
  }

  /** Problems seen by the replay server that make the numbers meaningless (reconnects, resyncs, bad requests). */
  incidents(): string[] {
    const out: string[] = [];
    if (this.replay.connections > 1) out.push(`${this.replay.connections - 1} reconnect(s)`);
    if (this.replay.snapshotRequests > 1) out.push(`${this.replay.snapshotRequests - 1} extra snapshot request(s)`);
    if (this.replay.badRequests.length > 0) out.push(`bad requests: ${this.replay.badRequests.slice(0, 3).join('; ')}`);
    if (this.watch.invalid > 0) out.push(`${this.watch.invalid} unparseable book message(s)`);
    return out;
  }

  async stop(): Promise<void> {
    await this.ingestor.stop();
    await this.watch.close();
    await this.replay.close();
  }
}

function syncProblem(replay: ReplayServer, watch: BookWatch, tail: string): string {
  const seen = `ws connections ${replay.connections}, snapshot requests ${replay.snapshotRequests}, books seen ${watch.received}`;
  const bad = replay.badRequests.length > 0 ? `, bad requests: ${replay.badRequests.slice(0, 3).join('; ')}` : '';
  return `feed-ingestor did not publish a synced book (${seen}${bad})${tail ? `\n--- ingestor output (tail) ---\n${tail}` : ''}`;
}
