import type { KeyObject } from 'node:crypto';
import type { Secret } from '../common/credentials';
import { ParseError } from '../common/parse-error';
import { WsConnection } from '../common/ws-connection';
import { signWsParams } from './signing';
import { parseWsApiFrame } from './trading-parse';
import type { ExecutionReport } from './trading-wire';

export type UserStreamState = 'stopped' | 'connecting' | 'subscribing' | 'live';

export interface UserStreamCounters {
  frames: number;
  reports: number;
  otherEvents: number;
  /** Frames that could not be parsed (dropped). */
  rejected: number;
  subscribeErrors: number;
  reconnects: number;
}

export interface BinanceUserStreamOptions {
  readonly url: string;
  readonly apiKey: Secret;
  readonly hmacKey: KeyObject;
  /** Server-aligned timestamp for the signed subscribe request. */
  readonly timestamp: () => number;
  readonly recvWindowMs: number;
  readonly staleAfterMs: number;
  /** Called on -1021 before re-subscribing. */
  readonly resyncTime: () => Promise<void>;
  readonly onReport: (report: ExecutionReport) => void;
  readonly onState?: (state: UserStreamState) => void;
  readonly onError?: (error: Error) => void;
  readonly onRejected?: (error: ParseError) => void;
}

/**
 * Binance private order updates over the WebSocket API: on every (re)connect it sends
 * `userDataStream.subscribe.signature` (params apiKey, recvWindow, timestamp, signature: HMAC over the params sorted
 * by name) and then receives `{"subscriptionId":N,"event":{...}}` frames.
 */
export class BinanceUserStream {
  private readonly conn: WsConnection;
  private stateValue: UserStreamState = 'stopped';
  private pendingId: string | null = null;
  private seq = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  readonly counters: UserStreamCounters = { frames: 0, reports: 0, otherEvents: 0, rejected: 0, subscribeErrors: 0, reconnects: 0 };

  constructor(private readonly o: BinanceUserStreamOptions) {
    this.conn = new WsConnection(
      { url: o.url, staleAfterMs: o.staleAfterMs },
      {
        onOpen: () => this.subscribe(),
        onMessage: (text) => this.onMessage(text),
        onClose: (info) => {
          this.pendingId = null;
          if (info.willReconnect) {
            this.counters.reconnects++;
            this.setState('connecting');
          }
        },
        onError: (e) => o.onError?.(e),
      },
    );
  }

  get state(): UserStreamState {
    return this.stateValue;
  }

  start(): void {
    if (this.stateValue !== 'stopped') return;
    this.setState('connecting');
    this.conn.start();
  }

  async stop(): Promise<void> {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.setState('stopped');
    await this.conn.stop();
  }

  private setState(s: UserStreamState): void {
    if (this.stateValue === s) return;
    if (this.stateValue === 'stopped' && s !== 'connecting') return;
    this.stateValue = s;
    this.o.onState?.(s);
  }

  private subscribe(): void {
    if (this.stateValue === 'stopped') return;
    this.setState('subscribing');
    const id = `uds-${++this.seq}`;
    this.pendingId = id;
    const params = signWsParams(this.o.hmacKey, {
      apiKey: this.o.apiKey.reveal(),
      recvWindow: this.o.recvWindowMs,
      timestamp: this.o.timestamp(),
    });
    this.conn.send(JSON.stringify({ id, method: 'userDataStream.subscribe.signature', params }));
  }

  private onMessage(text: string): void {
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
    if (this.stateValue === 'stopped') return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.subscribe();
    }, ms);
  }
}
