import type { WebSocket } from 'ws';
import type { CoinbaseConfig } from '../config/schema';
import type { VenueFaults } from '../faults/venue-faults';
import { isoMicros } from '../model/format';
import { Outbound } from '../net/outbound';
import type { VenueStats } from '../net/stats';
import type { Account } from '../trading/account';
import type { SimOrder } from '../trading/order';
import { errorMessage, goTime, heartbeatMessage, subscriptionsMessage } from './messages';
import { UserChannel, type UserChannelAuth } from './user-channel';

export type { UserChannelAuth };

/**
 * One connection to the private `user` channel endpoint (the sim serves it at `/user`; the real host is
 * advanced-trade-ws-user.coinbase.com). Subscribe with `{"type":"subscribe","channel":"user","jwt":…}`
 * (JWT without `uri`); a snapshot of open orders follows, then `update` events with `orders[]`.
 * `heartbeats` can be subscribed on the same connection.
 */
export class CoinbaseUserConnection {
  readonly out: Outbound;
  private readonly user: UserChannel;
  private heartbeats = false;
  private seq = 0;
  private hbCounter = 0;
  private subscribeTimer: NodeJS.Timeout | null;

  constructor(
    readonly ws: WebSocket,
    cfg: CoinbaseConfig,
    auth: UserChannelAuth,
    private readonly faults: VenueFaults,
    private readonly stats: VenueStats,
    maxBufferedBytes: number,
    private readonly onBadInput: (kind: string) => void,
  ) {
    this.user = new UserChannel(auth);
    this.out = new Outbound(ws, faults, stats, maxBufferedBytes);
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString()));
    ws.on('error', () => ws.terminate());
    this.subscribeTimer = setTimeout(() => {
      this.stats.subscribeTimeouts++;
      ws.close(1008, 'subscribe timeout');
    }, cfg.subscribeTimeoutMs);
  }

  /** An order of `keyName` changed: send it if this connection follows that account and product. */
  deliver(keyName: string, order: SimOrder, account: Account): void {
    const events = this.user.update(keyName, order, account);
    if (events) this.send(events);
  }

  heartbeat(): void {
    if (!this.heartbeats) return;
    const now = this.faults.preciseNow();
    this.out.control(heartbeatMessage(isoMicros(now), this.seq++, goTime(now), ++this.hbCounter));
  }

  close(): void {
    if (this.subscribeTimer) clearTimeout(this.subscribeTimer);
    this.subscribeTimer = null;
    this.out.close();
  }

  private send(events: unknown[]): void {
    this.out.control(JSON.stringify({ channel: 'user', client_id: '', timestamp: isoMicros(this.faults.preciseNow()), sequence_num: this.seq++, events }));
  }

  private fail(message: string, kind: string): void {
    this.onBadInput(kind);
    this.out.control(errorMessage(message));
  }

  private onMessage(text: string): void {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return this.fail('Malformed JSON', 'bad_request');
    }
    const r = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    const type = r.type;
    if (type !== 'subscribe' && type !== 'unsubscribe') return this.fail(`Malformed request: unknown type ${JSON.stringify(type)}`, 'bad_request');
    const ids = Array.isArray(r.product_ids) ? r.product_ids.filter((p): p is string => typeof p === 'string') : [];
    if (r.channel === 'heartbeats') {
      this.heartbeats = type === 'subscribe';
    } else if (r.channel !== 'user') {
      return this.fail(`Failed to subscribe: channel ${JSON.stringify(r.channel)} is not available on this endpoint`, 'bad_channel');
    } else if (type === 'unsubscribe') {
      this.user.unsubscribe();
    } else {
      const snapshot = this.user.subscribe(typeof r.jwt === 'string' ? r.jwt : '', ids, this.faults.now() / 1000);
      if (!snapshot) return this.fail('authentication failure', 'auth_jwt');
      this.send(snapshot);
    }
    if (this.subscribeTimer) clearTimeout(this.subscribeTimer);
    this.subscribeTimer = null;
    const subs: Record<string, string[]> = {};
    const user = this.user.ack();
    if (user) subs.user = user;
    if (this.heartbeats) subs.heartbeats = ['heartbeats'];
    this.out.control(subscriptionsMessage(isoMicros(this.faults.preciseNow()), this.seq++, subs));
  }
}
