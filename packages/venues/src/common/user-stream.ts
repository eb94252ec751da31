import { WsConnection } from './ws-connection';

export type UserStreamState = 'stopped' | 'connecting' | 'subscribing' | 'live';

export interface UserStreamBaseOptions {
  readonly url: string;
  readonly staleAfterMs: number;
  readonly onState?: (state: UserStreamState) => void;
  readonly onError?: (error: Error) => void;
}

/**
 * A venue's private order-update stream over one WebSocket: connects, subscribes again on every (re)connect and
 * tracks the state stopped → connecting → subscribing → live, counting reconnects. A venue subclass holds only its
 * wire: what to send to subscribe (`sendSubscribe`), how to read a frame (`onFrame`) and what to forget when the
 * connection closes (`onDisconnect`).
 */
export abstract class UserStream {
  protected readonly conn: WsConnection;
  private stateValue: UserStreamState = 'stopped';
  abstract readonly counters: { reconnects: number };

  constructor(private readonly base: UserStreamBaseOptions) {
    this.conn = new WsConnection(
      { url: base.url, staleAfterMs: base.staleAfterMs },
      {
        onOpen: () => this.subscribe(),
        onMessage: (text) => this.onFrame(text),
        onClose: (info) => {
          this.onDisconnect();
          if (info.willReconnect) {
            this.counters.reconnects++;
            this.setState('connecting');
          }
        },
        onError: (e) => base.onError?.(e),
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
    this.setState('stopped');
    await this.conn.stop();
  }

  /** Sends the subscribe request(s) on the open connection (no-op once stopped). */
  protected subscribe(): void {
    if (this.stateValue === 'stopped') return;
    this.setState('subscribing');
    this.sendSubscribe();
  }

  protected setState(s: UserStreamState): void {
    if (this.stateValue === s) return;
    if (this.stateValue === 'stopped' && s !== 'connecting') return;
    this.stateValue = s;
    this.base.onState?.(s);
  }

  protected abstract sendSubscribe(): void;
  protected abstract onFrame(text: string): void;
  /** The connection closed: forget what belonged to it. */
  protected abstract onDisconnect(): void;
}
