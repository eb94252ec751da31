import { join } from 'node:path';
import { ForkedWorker } from '../lib/forked';
import { benchSubjects } from '../floors/bench-subjects';
import { EdgeFeed } from './edge-feed';
import { RemoteTrigger } from './remote-trigger';
import { isReady, type TriggerReport, type TriggerSlice } from './trigger-protocol';

/** Venue names of the floor's books (on bench subjects: the detector never sees floor traffic). */
const FLOOR_VENUES = ['benchfloora', 'benchfloorb'] as const;

/**
 * The floor of a path through one service: the same book updates (EdgeBooks, same rate and payload) go through a
 * do-nothing relay process (relay.ts re-publishes them unchanged) to a trigger subscriber in a third process that
 * also sees the books themselves: publisher → NATS → relay → NATS → subscriber, i.e. two hops and one process
 * boundary, measured exactly like the detector path (now − pubTs of the triggering book).
 */
export class RelayFloor {
  private constructor(
    private readonly feed: EdgeFeed,
    private readonly relay: ForkedWorker,
    private readonly sub: RemoteTrigger,
  ) {}

  static async start(url: string): Promise<RelayFloor> {
    const feed = await EdgeFeed.start(url, { venueNames: FLOOR_VENUES, subjectOf: benchSubjects.floorBook, withStatus: false });
    const relay = ForkedWorker.fork(join(__dirname, '..', 'floors', 'relay.js'), 'relay');
    let sub: RemoteTrigger | undefined;
    try {
      const to = benchSubjects.relayed();
      await relay.request({ type: 'start', url, from: feed.bookSubjects(), to }, 'ready', isReady);
      sub = await RemoteTrigger.start(url, feed.bookSubjects(), to);
      return new RelayFloor(feed, relay, sub);
    } catch (error) {
      relay.kill();
      sub?.kill();
      await feed.close();
      throw error;
    }
  }

  slice(ratePerSec: number, count: number): Promise<void> {
    return this.feed.slice(ratePerSec, count);
  }

  reset(): void {
    this.sub.reset();
  }

  takeSlice(): Promise<TriggerSlice> {
    return this.sub.slice();
  }

  get sent(): number {
    return this.feed.sent;
  }

  /** The whole report; closes everything. */
  async finish(): Promise<TriggerReport> {
    try {
      return await this.sub.stop();
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    this.sub.kill();
    this.relay.kill();
    await this.feed.close();
  }
}
