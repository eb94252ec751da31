import type { WebSocket } from 'ws';
import type { CoinbaseConfig } from '../config/schema';
import type { VenueFaults } from '../faults/venue-faults';
import { Outbound } from '../net/outbound';
import type { VenueStats } from '../net/stats';
import { errorMessage, heartbeatMessage, goTime, subscriptionsMessage } from './messages';
import type { L2Subscriber } from './product-feed';
import { parseCbRequest } from './ws-requests';
import { isoMicros } from '../model/format';

/** Where a connection's level2 (un)subscriptions go. */
export interface L2Registry {
  /** null when every product exists, else an error text (nothing subscribed). */
  subscribe(sub: CoinbaseConnection, productIds: string[]): string | null;
  unsubscribe(sub: CoinbaseConnection, productIds: string[]): void;
}

/**
 * One Coinbase Advanced Trade market-data WebSocket. Its `sequence_num` starts at a sim-wide
 * unique base and goes up by one per message of any channel, so a number is never reused.
 */
export class CoinbaseConnection implements L2Subscriber {
  readonly out: Outbound;
  readonly level2 = new Set<string>();
  heartbeats = false;
  private seq: number;
  private hbCounter = 0;
  private subscribeTimer: NodeJS.Timeout | null;

  constructor(
    readonly ws: WebSocket,
    seqBase: number,
    cfg: CoinbaseConfig,
    private readonly registry: L2Registry,
    private readonly faults: VenueFaults,
    private readonly stats: VenueStats,
    maxBufferedBytes: number,
    private readonly onBadInput: (kind: string) => void,
  ) {
    this.seq = seqBase;
    this.out = new Outbound(ws, faults, stats, maxBufferedBytes);
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString()));
    ws.on('error', () => ws.terminate());
    this.subscribeTimer = setTimeout(() => {
      this.stats.subscribeTimeouts++;
      ws.close(1008, 'subscribe timeout');
    }, cfg.subscribeTimeoutMs);
  }

  nextSeq(): number {
    return this.seq++;
  }

  heartbeat(): void {
    if (!this.heartbeats) return;
    const now = this.faults.preciseNow();
    this.out.control(heartbeatMessage(isoMicros(now), this.nextSeq(), goTime(now), ++this.hbCounter));
  }

  close(): void {
    if (this.subscribeTimer) clearTimeout(this.subscribeTimer);
    this.subscribeTimer = null;
    this.registry.unsubscribe(this, [...this.level2]);
    this.level2.clear();
    this.out.close();
  }

  private onMessage(text: string): void {
    const req = parseCbRequest(text);
    if (typeof req === 'string') {
      this.onBadInput('bad_request');
      return this.out.control(errorMessage(req));
    }
    const channel = req.channel === 'l2_data' ? 'level2' : req.channel;
    if (channel !== 'level2' && channel !== 'heartbeats') {
      this.onBadInput('bad_channel');
      return this.out.control(errorMessage(`Failed to subscribe: channel ${JSON.stringify(req.channel)} is not available on this venue`));
    }
    if (req.type === 'subscribe') {
      if (channel === 'level2') {
        if (req.productIds.length === 0) return this.fail('Failed to subscribe: level2 requires product_ids');
        const err = this.registry.subscribe(this, req.productIds);
        if (err !== null) return this.fail(err);
        for (const p of req.productIds) this.level2.add(p);
      } else {
        this.heartbeats = true;
      }
      if (this.subscribeTimer) clearTimeout(this.subscribeTimer);
      this.subscribeTimer = null;
    } else if (channel === 'level2') {
      const ids = req.productIds.length > 0 ? req.productIds : [...this.level2];
      this.registry.unsubscribe(this, ids);
      for (const p of ids) this.level2.delete(p);
    } else {
      this.heartbeats = false;
    }
    this.ackSubscriptions();
  }

  private fail(message: string): void {
    this.onBadInput('bad_subscribe');
    this.out.control(errorMessage(message));
  }

  private ackSubscriptions(): void {
    const subs: Record<string, string[]> = {};
    if (this.level2.size > 0) subs.level2 = [...this.level2];
    if (this.heartbeats) subs.heartbeats = ['heartbeats'];
    this.out.control(subscriptionsMessage(isoMicros(this.faults.preciseNow()), this.nextSeq(), subs));
  }
}
