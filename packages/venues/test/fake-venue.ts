import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A scriptable local HTTP + WebSocket server standing in for a venue in client tests. */
export class FakeVenue {
  readonly http: Server;
  readonly wss: WebSocketServer;
  readonly sockets: WebSocket[] = [];
  readonly received: string[] = [];
  readonly requests: string[] = [];
  readonly connectUrls: string[] = [];
  port = 0;
  /** REST handler: return [status, body] or [status, body, headers]. */
  rest: (url: URL) => [number, unknown] | [number, unknown, Record<string, string>] = () => [404, { code: -1, msg: 'not found' }];
  /** When each REST request arrived (Date.now()). */
  readonly requestTimes: number[] = [];

  constructor() {
    this.http = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      this.requests.push(`${url.pathname}${url.search}`);
      this.requestTimes.push(Date.now());
      const [status, body, headers = {}] = this.rest(url);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
      this.sockets.push(ws);
      this.connectUrls.push(req.url ?? '');
      ws.on('message', (d: Buffer) => this.received.push(d.toString()));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.http.listen(0, '127.0.0.1', r));
    this.port = (this.http.address() as AddressInfo).port;
    return this;
  }

  /** The latest open connection. */
  get ws(): WebSocket | undefined {
    return this.sockets.filter((s) => s.readyState === s.OPEN).at(-1);
  }

  send(frame: unknown): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    this.ws?.send(text);
  }

  dropConnections(): void {
    for (const s of this.sockets) s.terminate();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}

export function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 5);
    };
    tick();
  });
}
