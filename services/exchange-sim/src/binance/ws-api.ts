import type { WebSocket } from 'ws';
import type { BinanceConfig } from '../config/schema';
import type { VenueFaults } from '../faults/venue-faults';
import { Outbound } from '../net/outbound';
import type { VenueStats } from '../net/stats';
import { BERR, checkTimestamp, mandatory, verifySignature, wsApiPayload, type BinanceError, type BinanceKey } from './auth';

type Id = string | number | null;

/** Resolves API keys for signature subscriptions. */
export interface WsApiKeys {
  key(apiKey: string): BinanceKey | undefined;
}

const RATE_LIMITS = [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2 }];

/**
 * One Binance WebSocket API connection (`/ws-api/v3`), serving what a trading client needs:
 * `userDataStream.subscribe.signature` (HMAC over the params sorted by name), `userDataStream.unsubscribe`,
 * `session.subscriptions`, `ping`, `time`. Events go out as `{"subscriptionId":N,"event":{…}}`.
 */
export class BinanceWsApiConnection {
  readonly out: Outbound;
  /** subscriptionId → API key. */
  readonly subscriptions = new Map<number, string>();
  private nextSubscriptionId = 0;
  private pingTimer: NodeJS.Timeout | null;
  private pongDeadline: NodeJS.Timeout | null = null;

  constructor(
    readonly ws: WebSocket,
    private readonly cfg: BinanceConfig,
    private readonly keys: WsApiKeys,
    private readonly faults: VenueFaults,
    private readonly stats: VenueStats,
    maxBufferedBytes: number,
    private readonly onBadInput: (kind: string) => void,
  ) {
    this.out = new Outbound(ws, faults, stats, maxBufferedBytes);
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString()));
    ws.on('pong', () => {
      this.stats.pongsReceived++;
      if (this.pongDeadline) clearTimeout(this.pongDeadline);
      this.pongDeadline = null;
    });
    ws.on('error', () => ws.terminate());
    this.pingTimer = setInterval(() => this.ping(), cfg.pingIntervalMs);
  }

  /** Sends `event` to every subscription of `apiKey` on this connection. */
  deliver(apiKey: string, event: Record<string, unknown>): void {
    for (const [id, key] of this.subscriptions) if (key === apiKey) this.out.control(JSON.stringify({ subscriptionId: id, event }));
  }

  close(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongDeadline) clearTimeout(this.pongDeadline);
    this.pingTimer = this.pongDeadline = null;
    this.subscriptions.clear();
    this.out.close();
  }

  private ping(): void {
    this.ws.ping();
    this.stats.pingsSent++;
    this.pongDeadline ??= setTimeout(() => {
      this.stats.pongTimeouts++;
      this.ws.terminate();
    }, this.cfg.pongTimeoutMs);
  }

  private reply(id: Id, result: unknown): void {
    this.out.control(JSON.stringify({ id, status: 200, result, rateLimits: RATE_LIMITS }));
  }

  private error(id: Id, e: BinanceError, kind: string): void {
    this.onBadInput(kind);
    this.out.control(JSON.stringify({ id, status: e.status, error: { code: e.code, msg: e.msg } }));
  }

  private onMessage(text: string): void {
    let req: unknown;
    try {
      req = JSON.parse(text);
    } catch {
      return this.error(null, { status: 400, code: -1135, msg: 'Invalid JSON Request' }, 'ws_api_json');
    }
    if (typeof req !== 'object' || req === null || Array.isArray(req)) return this.error(null, { status: 400, code: -1135, msg: 'Invalid JSON Request' }, 'ws_api_json');
    const r = req as Record<string, unknown>;
    const id: Id = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : null;
    const params = typeof r.params === 'object' && r.params !== null && !Array.isArray(r.params) ? (r.params as Record<string, unknown>) : {};
    const method = typeof r.method === 'string' ? r.method.replace(/^v3\//, '') : '';
    switch (method) {
      case 'ping':
        return this.reply(id, {});
      case 'time':
        return this.reply(id, { serverTime: this.faults.now() });
      case 'session.subscriptions':
        return this.reply(id, [...this.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId })));
      case 'userDataStream.subscribe.signature':
        return this.subscribe(id, params);
      case 'userDataStream.unsubscribe': {
        const sid = params.subscriptionId;
        if (sid === undefined) this.subscriptions.clear();
        else if (typeof sid !== 'number' || !this.subscriptions.delete(sid)) return this.error(id, { status: 400, code: -2036, msg: 'Subscription not found.' }, 'ws_api_unsubscribe');
        return this.reply(id, {});
      }
      default:
        return this.error(id, { status: 400, code: -1020, msg: 'This operation is not supported.' }, 'ws_api_method');
    }
  }

  private subscribe(id: Id, params: Record<string, unknown>): void {
    const apiKey = params.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '') return this.error(id, mandatory('apiKey'), 'ws_api_auth');
    const key = this.keys.key(apiKey);
    if (key === undefined) return this.error(id, BERR.rejectedKey, 'ws_api_auth');
    const signature = params.signature;
    if (typeof signature !== 'string' || signature === '') return this.error(id, mandatory('signature'), 'ws_api_auth');
    if (!verifySignature(key, wsApiPayload(params), signature)) return this.error(id, BERR.badSignature, 'ws_api_auth');
    const str = (v: unknown): string | undefined => (typeof v === 'number' || typeof v === 'string' ? String(v) : undefined);
    const clock = checkTimestamp(str(params.timestamp), str(params.recvWindow), this.faults.now());
    if (clock) return this.error(id, clock, 'ws_api_auth');
    if ([...this.subscriptions.values()].includes(apiKey)) {
      return this.error(id, { status: 400, code: -2035, msg: 'User Data Stream subscription already active.' }, 'ws_api_subscribe');
    }
    const subscriptionId = this.nextSubscriptionId++;
    this.subscriptions.set(subscriptionId, apiKey);
    this.reply(id, { subscriptionId });
  }
}
