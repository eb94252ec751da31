import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { nowMs, sleep } from '../lib/clock';
import { pace, type PaceResult } from '../lib/pacer';
import { REPLAY_STREAM, REPLAY_VENUE_SYMBOL, type ReplayData } from './replay-data';

/** `/ws`, `/stream` or either with a connection index (`/stream/0`): Binance's live-subscribe endpoints. */
const LIVE_PATH = /^\/(ws|stream)(\/\d+)?$/;

/** Stop writing while this much is queued on the socket (ws backpressure), resume when it drains. */
const HIGH_WATER_BYTES = 1 << 20;

const EXCHANGE_INFO = JSON.stringify({
  timezone: 'UTC',
  serverTime: 0,
  rateLimits: [],
  exchangeFilters: [],
  symbols: [
    {
      symbol: REPLAY_VENUE_SYMBOL,
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
        { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
        { filterType: 'NOTIONAL', minNotional: '5.00000000', maxNotional: '9000000.00000000' },
      ],
    },
  ],
});

/**
 * A Binance Spot look-alike that replays one pre-generated session: `/stream?streams=btcusdt@depth@0ms` (combined
 * stream) sends frames[0] on connect, `GET /api/v3/depth` returns the book as of frames[0], then the caller drives
 * the rest with `blast()` (as fast as the socket drains) or `paced(rate, n)`. `/api/v3/exchangeInfo` is minimal.
 * One session per server: a reconnect cannot be replayed consistently and is counted as an incident.
 */
export class ReplayServer {
  /** Index of the next frame to send. */
  sent = 0;
  connections = 0;
  snapshotRequests = 0;
  badRequests: string[] = [];
  readonly snapshotServed: Promise<void>;
  /** Resolves (with a description) when the client connects a second time: the session cannot go on. */
  readonly reconnected: Promise<string>;
  private onSnapshot: () => void = () => undefined;
  private onReconnect: (why: string) => void = () => undefined;
  private client: WebSocket | undefined;

  private constructor(
    private readonly data: ReplayData,
    private readonly http: Server,
    private readonly wss: WebSocketServer,
  ) {
    this.snapshotServed = new Promise((resolve) => (this.onSnapshot = resolve));
    this.reconnected = new Promise((resolve) => (this.onReconnect = resolve));
    http.on('request', (req, res) => this.route(req, res));
    http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const combined = url.pathname === '/stream' && url.searchParams.get('streams') === REPLAY_STREAM;
      // Live-subscribe style (what ccxt does): a bare stream endpoint, then a SUBSCRIBE request naming the stream.
      const live = LIVE_PATH.test(url.pathname) && url.search === '';
      if (!combined && !live) {
        this.badRequests.push(`ws ${req.url ?? ''}`);
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => (combined ? this.onConnection(ws) : this.onLiveConnection(ws)));
    });
  }

  static async start(data: ReplayData, host = '127.0.0.1'): Promise<ReplayServer> {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const server = new ReplayServer(data, http, wss);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, host, () => resolve());
    });
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get framesLeft(): number {
    return this.data.frames.length - this.sent;
  }

  /** Sends every remaining frame as fast as the client reads them (pausing above 1 MB queued). */
  async blast(): Promise<PaceResult> {
    const ws = this.requireClient();
    const frames = this.data.frames;
    const start = nowMs();
    while (this.sent < frames.length && ws.readyState === ws.OPEN) {
      while (this.sent < frames.length && ws.bufferedAmount < HIGH_WATER_BYTES) ws.send(frames[this.sent++] as string);
      if (this.sent < frames.length) await sleep(1);
    }
    return { sent: this.sent, elapsedMs: nowMs() - start };
  }

  /** Sends the next `count` frames at `ratePerSec`. */
  paced(ratePerSec: number, count: number): Promise<PaceResult> {
    const ws = this.requireClient();
    const frames = this.data.frames;
    const n = Math.min(count, this.framesLeft);
    return pace(ratePerSec, n, () => ws.send(frames[this.sent++] as string), () => ws.readyState !== ws.OPEN);
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private requireClient(): WebSocket {
    if (this.client === undefined || this.client.readyState !== this.client.OPEN) throw new Error('replay: no client connected');
    return this.client;
  }

  private onConnection(ws: WebSocket): void {
    this.connections++;
    if (this.connections > 1) this.onReconnect(`the client reconnected after frame ${this.sent} (it dropped the connection)`);
    this.client = ws;
    ws.on('error', () => undefined);
    if (this.sent === 0) ws.send(this.data.frames[this.sent++] as string);
  }

  /**
   * A live-subscribe connection: answers `{"method":"SUBSCRIBE","params":[REPLAY_STREAM],"id":N}` with
   * `{"result":null,"id":N}`, then sends frame 0 (later frames as the caller drives them, like a combined stream).
   */
  private onLiveConnection(ws: WebSocket): void {
    ws.on('error', () => undefined);
    ws.on('message', (raw) => {
      let req: unknown;
      try {
        req = JSON.parse(String(raw));
      } catch {
        this.badRequests.push('ws: unparseable request');
        return;
      }
      const r = req as { method?: unknown; params?: unknown; id?: unknown };
      if (r.method !== 'SUBSCRIBE' || !Array.isArray(r.params) || !r.params.includes(REPLAY_STREAM)) {
        this.badRequests.push(`ws request ${String(raw).slice(0, 120)}`);
        ws.send(JSON.stringify({ error: { code: 2, msg: 'Invalid request' }, id: r.id ?? null }));
        return;
      }
      ws.send(JSON.stringify({ result: null, id: r.id ?? null }));
      this.onConnection(ws);
    });
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.method !== 'GET') return json(405, '{"code":-1,"msg":"method not allowed"}');
    switch (url.pathname) {
      case '/api/v3/depth': {
        if (url.searchParams.get('symbol') !== REPLAY_VENUE_SYMBOL) return json(400, '{"code":-1121,"msg":"Invalid symbol."}');
        const limit = Math.min(5000, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
        const s = this.data.snapshot;
        this.snapshotRequests++;
        json(200, JSON.stringify({ lastUpdateId: s.lastUpdateId, bids: s.bids.slice(0, limit), asks: s.asks.slice(0, limit) }));
        this.onSnapshot();
        return;
      }
      case '/api/v3/exchangeInfo':
        return json(200, EXCHANGE_INFO);
      case '/api/v3/ping':
        return json(200, '{}');
      case '/api/v3/time':
        return json(200, JSON.stringify({ serverTime: Date.now() }));
      default:
        this.badRequests.push(`GET ${req.url ?? ''}`);
        return json(404, '{"code":-1,"msg":"not found"}');
    }
  }
}
