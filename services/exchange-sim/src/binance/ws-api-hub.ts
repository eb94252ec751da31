import type { WebSocket } from 'ws';
import type { BinanceConfig } from '../config/schema';
import type { VenueFaults } from '../faults/venue-faults';
import type { VenueStats } from '../net/stats';
import type { TradingEngine } from '../trading/engine';
import type { BinanceKey } from './auth';
import { binanceUserEvent } from './user-events';
import { BinanceWsApiConnection } from './ws-api';

/** The venue's WebSocket API connections (`/ws-api/v3`) and the routing of engine events to their subscriptions. */
export class BinanceWsApiHub {
  private readonly conns = new Set<BinanceWsApiConnection>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly cfg: BinanceConfig,
    private readonly keys: ReadonlyMap<string, BinanceKey>,
    private readonly faults: VenueFaults,
    private readonly stats: VenueStats,
    private readonly maxBufferedBytes: number,
    private readonly badInput: (kind: string) => void,
    engine: TradingEngine,
  ) {
    this.unsubscribe = engine.onEvent((e) => {
      const ev = binanceUserEvent(e, this.faults.now());
      if (ev) for (const c of this.conns) c.deliver(ev.apiKey, ev.event);
    });
  }

  accept(ws: WebSocket): void {
    const keys = { key: (k: string) => this.keys.get(k) };
    const conn = new BinanceWsApiConnection(ws, this.cfg, keys, this.faults, this.stats, this.maxBufferedBytes, this.badInput);
    this.conns.add(conn);
    this.stats.connectionsOpen++;
    this.stats.connectionsTotal++;
    ws.on('close', () => {
      if (!this.conns.delete(conn)) return;
      this.stats.connectionsOpen--;
      conn.close();
    });
  }

  terminateAll(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  close(): void {
    this.unsubscribe();
    for (const c of this.conns) c.close();
    this.conns.clear();
  }
}
