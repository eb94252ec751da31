import type { KeyObject } from 'node:crypto';
import type { Secret } from '../common/credentials';
import { ParseError } from '../common/parse-error';
import { UserStream, type UserStreamBaseOptions, type UserStreamState } from '../common/user-stream';
import { signWsParams } from './signing';
import { parseWsApiFrame } from './trading-parse';
import type { ExecutionReport } from './trading-wire';

export type { UserStreamState };

export interface UserStreamCounters {
  frames: number;
  reports: number;
  otherEvents: number;
  /** Frames that could not be parsed (dropped). */
  rejected: number;
  subscribeErrors: number;
  reconnects: number;
}

export interface BinanceUserStreamOptions extends UserStreamBaseOptions {
  readonly apiKey: Secret;
  readonly hmacKey: KeyObject;
  /** Server-aligned timestamp for the signed subscribe request. */
  readonly timestamp: () => number;
  readonly recvWindowMs: number;
  /** Called on -1021 before re-subscribing. */
  readonly resyncTime: () => Promise<void>;
  readonly onReport: (report: ExecutionReport) => void;
  readonly onRejected?: (error: ParseError) => void;
}

/**
 * Binance private order updates over the WebSocket API: on every (re)connect it sends
 * `userDataStream.subscribe.signature` (params apiKey, recvWindow, timestamp, signature: HMAC over the params sorted
 * by name) and then receives `{"subscriptionId":N,"event":{...}}` frames.
 */
export class BinanceUserStream extends UserStream {
  private pendingId: string | null = null;
  private seq = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  override readonly counters: UserStreamCounters = { frames: 0, reports: 0, otherEvents: 0, rejected: 0, subscribeErrors: 0, reconnects: 0 };

  constructor(private readonly o: BinanceUserStreamOptions) {
    super(o);
  }

  override async stop(): Promise<void> {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await super.stop();
  }

  protected override onDisconnect(): void {
    this.pendingId = null;
  }

  protected override sendSubscribe(): void {
    const id = `uds-${++this.seq}`;
    this.pendingId = id;
    const params = signWsParams(this.o.hmacKey, {
      apiKey: this.o.apiKey.reveal(),
      recvWindow: this.o.recvWindowMs,
      timestamp: this.o.timestamp(),
    });
    this.conn.send(JSON.stringify({ id, method: 'userDataStream.subscribe.signature', params }));
  }

  protected override onFrame(text: string): void {
    this.counters.frames++;
    const f = parseWsApiFrame(text);
    if (f instanceof ParseError) {
      this.counters.rejected++;
      this.o.onRejected?.(f);
      return;
    }
    switch (f.kind) {
      case 'executionReport':
        this.counters.reports++;
        this.o.onReport(f.report);
        return;
      case 'streamTerminated':
        this.subscribe();
        return;
      case 'otherEvent':
        this.counters.otherEvents++;
        return;
      case 'response': {
        const r = f.response;
        if (r.id !== this.pendingId) return;
        this.pendingId = null;
        if (r.status === 200) {
          this.setState('live');
          return;
        }
        this.counters.subscribeErrors++;
        const code = r.error?.code ?? null;
        this.o.onError?.(new Error(`binance user stream subscribe failed: status ${r.status}${code === null ? '' : ` code ${code}`} ${r.error?.msg ?? ''}`.trim()));
        // -1021: our clock drifted: resync, then subscribe again on the same connection. Anything else: reconnect
        // with backoff (a bad key keeps failing slowly instead of hammering the venue).
        if (code === -1021) {
          void this.o.resyncTime().then(
            () => this.retryLater(0),
            () => this.retryLater(1000),
          );
        } else this.conn.reconnect(`subscribe failed (${r.status})`);
      }
    }
  }

  private retryLater(ms: number): void {
    if (this.state === 'stopped') return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.subscribe();
    }, ms);
  }
}
